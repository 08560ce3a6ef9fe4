/* Context-binding callbacks with x86-64 long double (x87 extended) arguments and
   results in st0: gcc-compiled handlers taking the context first, and checkers that
   call a callback through the C prototype and compare its result exactly. */
#include <stdint.h>

typedef struct {
    long double v;
} sb_ld_box;

/* 1 + 2^-60: exact in long double's 64-bit significand, not in a double; the
   results below (contexts up to 16) stay exact too. */
#define SB_LD_X (1.0L + 0x1p-60L)

long double sb_bound_ld(void *context, long double x, int32_t k) {
    return x * k + (long double)(uintptr_t)context;
}

sb_ld_box sb_bound_ld_box(void *context, sb_ld_box b, long double y) {
    sb_ld_box r = {b.v * 4 - y + (long double)(uintptr_t)context};
    return r;
}

/* 1 when `f`, a `long double (long double, int32_t)`, returns 2x + context. */
int32_t sb_check_ld(const void *f, uintptr_t context) {
    long double (*volatile call)(long double, int32_t) =
        (long double (*)(long double, int32_t))f;
    return call(SB_LD_X, 2) == 2 * SB_LD_X + (long double)context;
}

/* 1 when `f`, a `sb_ld_box (sb_ld_box, long double)`, returns 4x - 3 + context. */
int32_t sb_check_ld_box(const void *f, uintptr_t context) {
    sb_ld_box (*volatile call)(sb_ld_box, long double) =
        (sb_ld_box (*)(sb_ld_box, long double))f;
    sb_ld_box b = {SB_LD_X};
    return call(b, 3.0L).v == 4 * SB_LD_X - 3.0L + (long double)context;
}
