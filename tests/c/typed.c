/* Callees and callers for tests/typed.rs: every scalar type, a few structs, and C
 * code that calls typed callbacks. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* For each scalar T (named N): a downcall target that mixes both arguments, one that
 * widens its argument to 64 bits (so a wrongly extended argument shows), one that
 * narrows a 64-bit value to T (so a wrongly extended result shows), and a caller of
 * a T (T, T) callback whose result it widens. */
#define SCALAR(T, N, MIX)                                                        \
    T mix_##N(T a, T b) { return MIX; }                                          \
    int64_t widen_##N(T a) { return (int64_t)a; }                                \
    T narrow_##N(int64_t a) { return (T)a; }                                     \
    int64_t call_##N(T (*f)(T, T), T a, T b) { return (int64_t)f(a, b); }

SCALAR(int8_t, i8, (int8_t)(a - b))
SCALAR(uint8_t, u8, (uint8_t)(a - b))
SCALAR(int16_t, i16, (int16_t)(a - b))
SCALAR(uint16_t, u16, (uint16_t)(a - b))
SCALAR(int32_t, i32, a - b)
SCALAR(uint32_t, u32, a - b)
SCALAR(int64_t, i64, a - b)
SCALAR(uint64_t, u64, a - b)
SCALAR(intptr_t, isize, a - b)
SCALAR(size_t, usize, a - b)
SCALAR(float, f32, a - b)
SCALAR(double, f64, a - b)
SCALAR(bool, bool, a && !b)

const char *advance(const char *p, size_t n) { return p + n; }
const char *call_ptr(const char *(*f)(const char *, size_t), const char *p, size_t n) {
    return f(p, n);
}

void store(int32_t *out, int32_t value) { *out = value; }
void call_void(void (*f)(int32_t *, int32_t), int32_t *out, int32_t value) { f(out, value); }

int32_t forty_two(void) { return 42; }
int32_t call_nullary(int32_t (*f)(void)) { return f(); }

/* Twelve parameters: some on the stack on every convention. */
int64_t mixed12(int8_t a, uint16_t b, int32_t c, int64_t d, float e, double f,
                const int32_t *p, uint8_t g, int16_t h, uint32_t i, uint64_t j, float k) {
    return a + b + c + d + (int64_t)e + (int64_t)f + *p + g + h + i + (int64_t)j + (int64_t)k;
}
int64_t call_mixed12(int64_t (*fn)(int8_t, uint16_t, int32_t, int64_t, float, double,
                                   const int32_t *, uint8_t, int16_t, uint32_t, uint64_t,
                                   float),
                     const int32_t *p) {
    return fn(-3, 40000, -100000, (int64_t)1 << 40, 2.5f, -7.25, p, 200, -300, 3000000000u,
              (uint64_t)1 << 50, 9.75f);
}

typedef struct { double re, im; } pair;
typedef struct { int8_t tag; double value; } tagged;
typedef struct { uint8_t r, g, b; } rgb;
typedef struct { float v[3]; int32_t n; } vec3n;
typedef struct { int64_t a, b, c; } triple;

pair rotate(pair z) { pair r = { -z.im, z.re }; return r; }
tagged retag(tagged t, int8_t tag) { t.value += t.tag; t.tag = tag; return t; }
rgb swap_rb(rgb c) { rgb r = { c.b, c.g, c.r }; return r; }
vec3n scale3(vec3n v, float by) {
    for (int i = 0; i < 3; i++) v.v[i] *= by;
    v.n += 1;
    return v;
}
triple shift(triple t, int64_t by) { triple r = { t.b + by, t.c + by, t.a + by }; return r; }

pair call_rotate(pair (*f)(pair), double re, double im) { pair z = { re, im }; return f(z); }
triple call_shift(triple (*f)(triple, int64_t), int64_t a, int64_t b, int64_t c, int64_t by) {
    triple t = { a, b, c };
    return f(t, by);
}
int64_t call_swap_rb(rgb (*f)(rgb), uint8_t r, uint8_t g, uint8_t b) {
    rgb c = { r, g, b };
    rgb out = f(c);
    return out.r * 65536 + out.g * 256 + out.b;
}
