#ifndef CJUMP_H
#define CJUMP_H
#include <stddef.h>
#include <stdint.h>

/* Jump consistent hash, the reference algorithm of Lamping & Veach,
 * "A Fast, Minimal Memory, Consistent Hash Algorithm" (arXiv:1406.2294),
 * written in C as the peer for CAPLab's Swift JumpHash. */
int32_t cjump_hash(uint64_t key, int32_t num_buckets);

/* Sum of cjump_hash over n key hashes (the measured loop, entirely in C). */
int64_t cjump_lookup_all(const uint64_t *hashes, size_t n, int32_t num_buckets);

#endif
