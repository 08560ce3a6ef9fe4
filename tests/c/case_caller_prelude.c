
/* The `size` (at most 8) bytes at `p` as a zero-extended little-endian number. */
static uint64_t sb_bytes_of(const void *p, size_t size) {
    uint64_t bits = 0;
    memcpy(&bits, p, size);
    return bits;
}

/* Records a problem; `bits` is what the caller saw. */
static int32_t sb_caller_fail(int32_t case_index, int32_t what, int32_t leaf, uint64_t bits) {
    if (sb_case_failure_count == 0) sb_case_first_bits = bits;
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
        uint64_t actual =
            sb_bytes_of((const unsigned char *)object + leaves[i].offset, leaves[i].size);
        if (actual != leaves[i].bits)
            problems += sb_caller_fail(case_index, what, (int32_t)i, actual);
    }
    return problems;
}
