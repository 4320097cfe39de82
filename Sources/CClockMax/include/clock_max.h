#ifndef CAPLAB_CLOCK_MAX_H
#define CAPLAB_CLOCK_MAX_H

#include <stddef.h>
#include <stdint.h>

/// The physical limit for a dense vector-clock merge: target[i] =
/// max(target[i], source[i]) for i < count, as a plain C loop.
void caplab_clock_max_u64(uint64_t *restrict target, const uint64_t *restrict source, size_t count);

/// The limit for a dense compare: bit 0 set when left[i] < right[i] for
/// some i, bit 1 when left[i] > right[i] for some i (full scan, no early exit).
int caplab_clock_compare_u64(const uint64_t *left, const uint64_t *right, size_t count);

#endif
