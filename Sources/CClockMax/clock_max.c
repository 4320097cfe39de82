// Element-wise maximum and comparison of two counter arrays: the C loops
// the lab's dense clock is measured against (see include/clock_max.h).
#include "clock_max.h"

void caplab_clock_max_u64(uint64_t *restrict target, const uint64_t *restrict source, size_t count) {
    for (size_t i = 0; i < count; i++) {
        uint64_t t = target[i], s = source[i];
        target[i] = s > t ? s : t;
    }
}

int caplab_clock_compare_u64(const uint64_t *left, const uint64_t *right, size_t count) {
    int smaller = 0, larger = 0;
    for (size_t i = 0; i < count; i++) {
        smaller |= left[i] < right[i];
        larger |= left[i] > right[i];
    }
    return smaller | (larger << 1);
}
