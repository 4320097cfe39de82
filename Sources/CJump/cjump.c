#include "cjump.h"

int32_t cjump_hash(uint64_t key, int32_t num_buckets) {
    int64_t b = -1, j = 0;
    while (j < num_buckets) {
        b = j;
        key = key * 2862933555777941757ULL + 1;
        j = (int64_t)((double)(b + 1) * ((double)(1LL << 31) / (double)((key >> 33) + 1)));
    }
    return (int32_t)b;
}

int64_t cjump_lookup_all(const uint64_t *hashes, size_t n, int32_t num_buckets) {
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) sum += cjump_hash(hashes[i], num_buckets);
    return sum;
}
