/* Callees for benches/fastcall.rs, built with the system gcc at -O1. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- per-call cases ---- */

void noop(void) {}

/* No argument or result needs a cast: a hand-rolled fast call is a tail call. */
int32_t add6(int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

/* Narrow arguments and a narrow result: every value needs a cast. */
int16_t mix6(uint8_t a, int16_t b, int32_t c, bool d, uint16_t e, int8_t f) {
    return (int16_t)(a - 3 * b + c + (d ? 1000 : -7) + e - 5 * f);
}

/* ---- a dlopen-like library of 25 symbols for the batch compile ---- */

/* What the void functions last did, so that the bench can check them. */
static int64_t sink;

int64_t lib_sink(void) { return sink; }

void lib_reset(void) { sink = -1; }
int32_t lib_version(void) { return 30201; }
int32_t lib_add(int32_t a, int32_t b) { return a + b; }
int64_t lib_mul64(int64_t a, int64_t b) { return a * b; }
uint32_t lib_hash(const void *p, size_t n) {
    return (uint32_t)((uintptr_t)p * 2654435761u) ^ (uint32_t)n;
}
double lib_norm2(double x, double y) { return x * x + y * y; }
float lib_scalef(float x, int32_t by) { return x * (float)by; }
bool lib_is_even(uint32_t x) { return (x & 1) == 0; }
uint8_t lib_clamp_u8(int32_t x) { return x < 0 ? 0 : x > 255 ? 255 : (uint8_t)x; }
int16_t lib_sub16(int16_t a, int16_t b) { return (int16_t)(a - b); }
uint16_t lib_swap16(uint16_t x) { return (uint16_t)((x << 8) | (x >> 8)); }
int8_t lib_neg8(int8_t x) { return (int8_t)-x; }
void lib_record(void *p, int32_t v) { sink = (int64_t)(uintptr_t)p + v; }
double lib_lerp(double a, double b, double t) { return a + (b - a) * t; }
int64_t lib_sum8(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                 int64_t g, int64_t h) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}
double lib_dot3(float ax, float ay, float az, float bx, float by, float bz) {
    return (double)ax * bx + (double)ay * by + (double)az * bz;
}
void *lib_offset(void *p, intptr_t by) { return (char *)p + by; }
size_t lib_align_up(size_t x, size_t to) { return (x + to - 1) / to * to; }
uint64_t lib_pack(uint8_t a, uint16_t b, uint32_t c, uint64_t d) {
    return ((uint64_t)a << 56) ^ ((uint64_t)b << 40) ^ ((uint64_t)c << 8) ^ d;
}
int32_t lib_select(bool which, int32_t a, int32_t b) { return which ? a : b; }
double lib_poly(double x, int32_t n, double a, double b) { return a * x * n + b; }
/* Seven int32 (one on the stack), nine doubles (one on the stack) and an int8
 * (on the stack): stack arguments of both classes, interleaved. */
int64_t lib_wide(int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f,
                 int32_t g, double h, double i, double j, double k, double l,
                 double m, double n, double o, double p, int8_t q) {
    return a - b + c - d + e - f + 7 * (int64_t)g +
           (int64_t)(h + 2 * i + 3 * j + 4 * k + 5 * l + 6 * m + 7 * n + 8 * o + 9 * p) +
           11 * q;
}
double lib_sum10(double a, double b, double c, double d, double e, double f,
                 double g, double h, double i, double j) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j;
}
uint32_t lib_flags(bool a, bool b, uint8_t c, bool d) {
    return (uint32_t)a | (uint32_t)b << 1 | (uint32_t)c << 2 | (uint32_t)d << 10;
}
bool lib_in_range(int64_t x, int64_t lo, int64_t hi) { return lo <= x && x < hi; }
