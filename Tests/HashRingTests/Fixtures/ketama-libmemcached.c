/*
 * Writes ketama-libmemcached.csv: the key -> server mapping that libmemcached's
 * weighted ketama (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED) gives for a fixed list of
 * weighted servers and 2000 keys. The Swift tests check CAPLab's Ketama against it.
 *
 * Needs Debian's libmemcached-dev; runs offline (no server is contacted):
 *   cc -O2 -o ketama-gen ketama-libmemcached.c $(pkg-config --cflags --libs libmemcached)
 *   ./ketama-gen > ketama-libmemcached.csv && rm ketama-gen
 * Run with libmemcached 1.1.4 (Debian 12, libmemcached11 1.1.4-1).
 */
#include <libmemcached/memcached.h>
#include <stdio.h>
#include <stdlib.h>

struct server { const char *host; in_port_t port; uint32_t weight; };

/* Mixed ports (the default port 11211 changes the point-name format) and weights. */
static const struct server servers[] = {
    {"10.0.1.1", 11211, 1}, {"10.0.1.2", 11211, 2}, {"10.0.1.3", 11211, 1},
    {"cache-a.example", 11212, 3}, {"cache-b.example", 11213, 1},
    {"10.0.1.7", 11211, 5}, {"192.168.7.20", 22122, 2}, {"cache-c.example", 11211, 1},
};

int main(void) {
    memcached_st *memc = memcached_create(NULL);
    if (memc == NULL) return 1;
    if (memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1) != MEMCACHED_SUCCESS) return 2;
    size_t count = sizeof servers / sizeof servers[0];
    for (size_t i = 0; i < count; i++) {
        if (memcached_server_add_with_weight(memc, servers[i].host, servers[i].port, servers[i].weight)
            != MEMCACHED_SUCCESS) return 3;
    }
    printf("# libmemcached %s weighted ketama; servers as host:port weight\n", memcached_lib_version());
    for (size_t i = 0; i < count; i++)
        printf("# server %s:%u %u\n", servers[i].host, (unsigned)servers[i].port, servers[i].weight);
    printf("key,server\n");
    char key[64];
    for (int i = 0; i < 2000; i++) {
        /* Plain and structured keys of varied length. */
        int length = (i % 3 == 0) ? snprintf(key, sizeof key, "key-%d", i)
                   : (i % 3 == 1) ? snprintf(key, sizeof key, "user:%d:session", i * 7919)
                                  : snprintf(key, sizeof key, "k%x", (unsigned)(i * 2654435761u));
        uint32_t index = memcached_generate_hash(memc, key, (size_t)length);
        const memcached_instance_st *server = memcached_server_instance_by_position(memc, index);
        printf("%s,%s:%u\n", key, memcached_server_name(server), (unsigned)memcached_server_port(server));
    }
    memcached_free(memc);
    return 0;
}
