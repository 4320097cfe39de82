#ifndef CMAGLEV_H
#define CMAGLEV_H
#include <stddef.h>
#include <stdint.h>

/* Maglev hashing (Eisenbud et al., NSDI 2016, §3.4) in C: CAPLab's own peer
 * for its Swift Maglev. Node i's permutation is offsets[i] + j * skips[i]
 * mod m; the population loop fills `table` (m entries, m prime > n). */
void cmaglev_populate(const uint32_t *offsets, const uint32_t *skips, size_t n, uint32_t m, uint32_t *table);

/* Sum of the owners of n key hashes: table[(hash * m) >> 64] each (the measured loop, in C). */
int64_t cmaglev_lookup_all(const uint32_t *table, uint32_t m, const uint64_t *hashes, size_t n);

#endif
