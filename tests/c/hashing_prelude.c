#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

uint64_t sb_last_hash;

static uint64_t sb_mix(uint64_t hash, uint64_t value) {
    hash = (hash ^ value) * 0x9e3779b97f4a7c15ull;
    return hash ^ (hash >> 31);
}


/* `n` bytes of the object at `p`, from byte `offset`, as a little-endian word. */
static inline uint64_t sb_word(const void *p, size_t offset, size_t n) {
    uint64_t w = 0;
    memcpy(&w, (const char *)p + offset, n);
    return w;
}
