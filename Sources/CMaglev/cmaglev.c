#include "cmaglev.h"
#include <stdlib.h>
#include <string.h>

void cmaglev_populate(const uint32_t *offsets, const uint32_t *skips, size_t n, uint32_t m, uint32_t *table) {
    uint32_t *position = malloc(n * sizeof *position);
    if (position == NULL) abort();
    memcpy(position, offsets, n * sizeof *position);
    memset(table, 0xff, (size_t)m * sizeof *table);
    uint32_t filled = 0;
    for (;;) {
        for (size_t i = 0; i < n; i++) {
            uint32_t c = position[i];
            while (table[c] != UINT32_MAX) {
                c += skips[i];
                if (c >= m) c -= m;
            }
            table[c] = (uint32_t)i;
            c += skips[i];
            if (c >= m) c -= m;
            position[i] = c;
            if (++filled == m) { free(position); return; }
        }
    }
}

int64_t cmaglev_lookup_all(const uint32_t *table, uint32_t m, const uint64_t *hashes, size_t n) {
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t slot = (uint64_t)(((unsigned __int128)hashes[i] * m) >> 64);
        sum += table[slot];
    }
    return sum;
}
