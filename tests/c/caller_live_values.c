
/* Read before each call and compared after it: the optimiser keeps them in
   registers the convention preserves across calls (or spills them). */
static volatile double sb_live_f[10] = {
    1.25, -2.5, 3.75, -5.0, 6.125, -7.25, 8.5, -9.75, 10.0625, -11.125
};
static volatile int64_t sb_live_i[8] = {
    0x1111111111111111LL, 0x2222222222222222LL, 0x3333333333333333LL,
    0x4444444444444444LL, 0x5555555555555555LL, 0x6666666666666666LL,
    0x7777777777777777LL, -0x0888888888888888LL
};

#define SB_LIVE_BEGIN \
    double f0 = sb_live_f[0], f1 = sb_live_f[1], f2 = sb_live_f[2], f3 = sb_live_f[3], \
           f4 = sb_live_f[4], f5 = sb_live_f[5], f6 = sb_live_f[6], f7 = sb_live_f[7], \
           f8 = sb_live_f[8], f9 = sb_live_f[9]; \
    int64_t i0 = sb_live_i[0], i1 = sb_live_i[1], i2 = sb_live_i[2], i3 = sb_live_i[3], \
            i4 = sb_live_i[4], i5 = sb_live_i[5], i6 = sb_live_i[6], i7 = sb_live_i[7];

/* Out of line, so that each caller stays short; its arguments are the values the
   caller kept across the call. */
__attribute__((noinline)) static int sb_live_differs(
    double f0, double f1, double f2, double f3, double f4, double f5, double f6,
    double f7, double f8, double f9, int64_t i0, int64_t i1, int64_t i2, int64_t i3,
    int64_t i4, int64_t i5, int64_t i6, int64_t i7) {
    return f0 != sb_live_f[0] || f1 != sb_live_f[1] || f2 != sb_live_f[2] ||
           f3 != sb_live_f[3] || f4 != sb_live_f[4] || f5 != sb_live_f[5] ||
           f6 != sb_live_f[6] || f7 != sb_live_f[7] || f8 != sb_live_f[8] ||
           f9 != sb_live_f[9] || i0 != sb_live_i[0] || i1 != sb_live_i[1] ||
           i2 != sb_live_i[2] || i3 != sb_live_i[3] || i4 != sb_live_i[4] ||
           i5 != sb_live_i[5] || i6 != sb_live_i[6] || i7 != sb_live_i[7];
}

#define SB_LIVE_CHANGED \
    sb_live_differs(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, i0, i1, i2, i3, i4, i5, i6, i7)
