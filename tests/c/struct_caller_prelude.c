
uint64_t sb_struct_first_bits = 0;
void *sb_struct_originals[ORIGINALS_LEN];

/* Records a problem; `bits` is what the caller saw. */
static int32_t sb_caller_fail(int32_t case_index, int32_t what, int32_t leaf, uint64_t bits) {
    if (sb_struct_failure_count == 0) sb_struct_first_bits = bits;
    sb_fail(case_index, what, leaf);
    return 1;
}

/* A scalar leaf of an object: where it is and the bytes it must hold (little endian,
   zero-extended). */
struct sb_leaf {
    uint32_t offset;
    uint32_t size;
    uint64_t bits;
};

/* Compares every leaf of `object` with its expected bytes; records each mismatch
   (`what` and the leaf's index) and returns their number. */
__attribute__((noinline)) static int32_t sb_check_leaves(
    int32_t case_index, int32_t what, const void *object, const struct sb_leaf *leaves,
    size_t count) {
    int32_t problems = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t actual = 0;
        memcpy(&actual, (const unsigned char *)object + leaves[i].offset, leaves[i].size);
        if (actual != leaves[i].bits)
            problems += sb_caller_fail(case_index, what, (int32_t)i, actual);
    }
    return problems;
}

/* Loaded before each call and compared after it: too many to keep in scratch
   registers, so the compiler puts them in the registers the convention preserves
   (or on the stack). */
static volatile int64_t sb_live_ints[8] = {
    0x0123456789abcdefLL, -0x1032547698badcfeLL, 0x2143658709badcfeLL,
    -0x3254769810dcfebaLL, 0x4365870921fedcbaLL, -0x5476981032fedcbaLL,
    0x6587092143abcdefLL, -0x7698103254abcdefLL
};
static volatile double sb_live_doubles[10] = {
    -0.5, 1.75, -2.875, 3.0625, -4.15625, 5.5, -6.25, 7.125, -8.0078125, 9.75
};

#define SB_LIVE_BEGIN \
    int64_t k0 = sb_live_ints[0], k1 = sb_live_ints[1], k2 = sb_live_ints[2], \
            k3 = sb_live_ints[3], k4 = sb_live_ints[4], k5 = sb_live_ints[5], \
            k6 = sb_live_ints[6], k7 = sb_live_ints[7]; \
    double d0 = sb_live_doubles[0], d1 = sb_live_doubles[1], d2 = sb_live_doubles[2], \
           d3 = sb_live_doubles[3], d4 = sb_live_doubles[4], d5 = sb_live_doubles[5], \
           d6 = sb_live_doubles[6], d7 = sb_live_doubles[7], d8 = sb_live_doubles[8], \
           d9 = sb_live_doubles[9];

__attribute__((noinline)) static int sb_live_changed(
    int64_t k0, int64_t k1, int64_t k2, int64_t k3, int64_t k4, int64_t k5, int64_t k6,
    int64_t k7, double d0, double d1, double d2, double d3, double d4, double d5,
    double d6, double d7, double d8, double d9) {
    const int64_t k[8] = { k0, k1, k2, k3, k4, k5, k6, k7 };
    const double d[10] = { d0, d1, d2, d3, d4, d5, d6, d7, d8, d9 };
    for (int i = 0; i < 8; i++) if (k[i] != sb_live_ints[i]) return 1;
    for (int i = 0; i < 10; i++) if (d[i] != sb_live_doubles[i]) return 1;
    return 0;
}

#define SB_LIVE_CHANGED \
    sb_live_changed(k0, k1, k2, k3, k4, k5, k6, k7, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9)
