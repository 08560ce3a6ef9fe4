/* Callees and callers with __int128 and _Complex arguments, results and struct
 * fields, for tests/c_types.rs, once in the host's System V convention and once with GCC's ms_abi
 * (prefix ms_, x86-64 only; tests/cross_c_types.rs builds the rest for aarch64 and
 * riscv64). Written by scripts/gen_c_types.py from the signature list of tests/c_types.rs: callee N hashes
 * its arguments (every scalar leaf, in order, sign-extended to 128 bits; a float or
 * double as the int64 it holds; a complex as its real then imaginary part) with mix() and returns the hash converted to its result type
 * (a struct result: leaf k gets hash + k); caller N calls f with arguments made from
 * v[0], v[1], ... (one per leaf, converted to the leaf's type; v >> 12 for a
 * double, v >> 40 for a float, v >> 1 for a long double or q128, so that they hold it exactly) and returns f's result
 * extended to 128 bits (a struct result: hashed like arguments). */
#include <stdint.h>

typedef __int128 i128;
typedef unsigned __int128 u128;
/* ld is long double (x87 80-bit on x86-64, binary128 on aarch64 and riscv64 Linux);
 * q128 is binary128 everywhere: __float128 on x86-64. They hold (int64_t)v >> 1. */
#if defined(__x86_64__)
typedef __float128 q128;
#else
typedef long double q128;
#endif

static u128 mix(u128 h, u128 v) { return ((h * 0x9e3779b97f4a7c15u) + v) ^ (h >> 64); }
typedef struct { i128 f0; } s0;
typedef struct { int64_t f0; i128 f1; } s1;
typedef struct { int32_t f0; i128 f1; } s2;
typedef struct { float f0; float f1; } s3;
typedef struct { double f0; double f1; } s4;
typedef struct { long double f0; } s5;
typedef struct { long double f0; int64_t f1; } s6;
typedef struct { q128 f0; } s7;
typedef struct { q128 f0; q128 f1; } s8;
typedef struct { long double _Complex f0; } s9;

i128 callee0(i128 a0, i128 a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    return (i128)(h);
}

u128 caller0(i128 (*f)(i128, i128), const u128 *v) {
    i128 a0;
    a0 = (i128)(v[0]);
    i128 a1;
    a1 = (i128)(v[1]);
    return (u128)(i128)(f(a0, a1));
}

i128 callee1(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, i128 a5, int64_t a6) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    return (i128)(h);
}

u128 caller1(i128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, i128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    i128 a5;
    a5 = (i128)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6));
}

u128 callee2(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int32_t a6, i128 a7, int64_t a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    return (u128)(h);
}

u128 caller2(u128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int32_t, i128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int32_t a6;
    a6 = (int32_t)(v[6]);
    i128 a7;
    a7 = (i128)(v[7]);
    int64_t a8;
    a8 = (int64_t)(v[8]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8));
}

u128 callee3(u128 a0, double a1, u128 a2, int8_t a3, u128 a4, u128 a5) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    return (u128)(h);
}

u128 caller3(u128 (*f)(u128, double, u128, int8_t, u128, u128), const u128 *v) {
    u128 a0;
    a0 = (u128)(v[0]);
    double a1;
    a1 = (double)((int64_t)(v[1]) >> 12);
    u128 a2;
    a2 = (u128)(v[2]);
    int8_t a3;
    a3 = (int8_t)(v[3]);
    u128 a4;
    a4 = (u128)(v[4]);
    u128 a5;
    a5 = (u128)(v[5]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5));
}

s0 callee4(int32_t a0, s0 a1, double a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1.f0));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    s0 r;
    r.f0 = (i128)(h + 0);
    return r;
}

u128 caller4(s0 (*f)(int32_t, s0, double), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    s0 a1;
    a1.f0 = (i128)(v[1]);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    s0 r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    return h;
}

s1 callee5(int64_t a0, s1 a1, int8_t a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1.f0));
    h = mix(h, (u128)(i128)(a1.f1));
    h = mix(h, (u128)(i128)(a2));
    s1 r;
    r.f0 = (int64_t)(h + 0);
    r.f1 = (i128)(h + 1);
    return r;
}

u128 caller5(s1 (*f)(int64_t, s1, int8_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    s1 a1;
    a1.f0 = (int64_t)(v[1]);
    a1.f1 = (i128)(v[2]);
    int8_t a2;
    a2 = (int8_t)(v[3]);
    s1 r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

int64_t callee6(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, s0 a5, int64_t a6, s2 a7) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5.f0));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7.f0));
    h = mix(h, (u128)(i128)(a7.f1));
    return (int64_t)(h);
}

u128 caller6(int64_t (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, s0, int64_t, s2), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    s0 a5;
    a5.f0 = (i128)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    s2 a7;
    a7.f0 = (int32_t)(v[7]);
    a7.f1 = (i128)(v[8]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7));
}

i128 callee7(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, i128 a7, int64_t a8, i128 a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    h = mix(h, (u128)(i128)(a9));
    return (i128)(h);
}

u128 caller7(i128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, i128, int64_t, i128), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    i128 a7;
    a7 = (i128)(v[7]);
    int64_t a8;
    a8 = (int64_t)(v[8]);
    i128 a9;
    a9 = (i128)(v[9]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9));
}

i128 callee8(int64_t a0, i128 a1, int64_t a2, i128 a3, int64_t a4) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    return (i128)(h);
}

u128 caller8(i128 (*f)(int64_t, i128, int64_t, i128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    i128 a1;
    a1 = (i128)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    i128 a3;
    a3 = (i128)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4));
}

i128 callee9(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, int64_t a7, int32_t a8, i128 a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    h = mix(h, (u128)(i128)(a9));
    return (i128)(h);
}

u128 caller9(i128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int32_t, i128), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    int64_t a7;
    a7 = (int64_t)(v[7]);
    int32_t a8;
    a8 = (int32_t)(v[8]);
    i128 a9;
    a9 = (i128)(v[9]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9));
}

int32_t callee10(double a0, int64_t a1, s1 a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2.f0));
    h = mix(h, (u128)(i128)(a2.f1));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    return (int32_t)(h);
}

u128 caller10(int32_t (*f)(double, int64_t, s1, int64_t, int64_t, int64_t, int64_t), const u128 *v) {
    double a0;
    a0 = (double)((int64_t)(v[0]) >> 12);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    s1 a2;
    a2.f0 = (int64_t)(v[2]);
    a2.f1 = (i128)(v[3]);
    int64_t a3;
    a3 = (int64_t)(v[4]);
    int64_t a4;
    a4 = (int64_t)(v[5]);
    int64_t a5;
    a5 = (int64_t)(v[6]);
    int64_t a6;
    a6 = (int64_t)(v[7]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6));
}

float _Complex callee11(float _Complex a0, double _Complex a1, int32_t a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(a2));
    float _Complex r;
    __real__ r = (float)((int64_t)(h + 0) >> 40);
    __imag__ r = (float)((int64_t)(h + 1) >> 40);
    return r;
}

u128 caller11(float _Complex (*f)(float _Complex, double _Complex, int32_t), const u128 *v) {
    float _Complex a0;
    __real__ a0 = (float)((int64_t)(v[0]) >> 40);
    __imag__ a0 = (float)((int64_t)(v[1]) >> 40);
    double _Complex a1;
    __real__ a1 = (double)((int64_t)(v[2]) >> 12);
    __imag__ a1 = (double)((int64_t)(v[3]) >> 12);
    int32_t a2;
    a2 = (int32_t)(v[4]);
    float _Complex r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

double _Complex callee12(double _Complex a0, double _Complex a1, double _Complex a2, double _Complex a3, double _Complex a4) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a2));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a2));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a4));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a4));
    double _Complex r;
    __real__ r = (double)((int64_t)(h + 0) >> 12);
    __imag__ r = (double)((int64_t)(h + 1) >> 12);
    return r;
}

u128 caller12(double _Complex (*f)(double _Complex, double _Complex, double _Complex, double _Complex, double _Complex), const u128 *v) {
    double _Complex a0;
    __real__ a0 = (double)((int64_t)(v[0]) >> 12);
    __imag__ a0 = (double)((int64_t)(v[1]) >> 12);
    double _Complex a1;
    __real__ a1 = (double)((int64_t)(v[2]) >> 12);
    __imag__ a1 = (double)((int64_t)(v[3]) >> 12);
    double _Complex a2;
    __real__ a2 = (double)((int64_t)(v[4]) >> 12);
    __imag__ a2 = (double)((int64_t)(v[5]) >> 12);
    double _Complex a3;
    __real__ a3 = (double)((int64_t)(v[6]) >> 12);
    __imag__ a3 = (double)((int64_t)(v[7]) >> 12);
    double _Complex a4;
    __real__ a4 = (double)((int64_t)(v[8]) >> 12);
    __imag__ a4 = (double)((int64_t)(v[9]) >> 12);
    double _Complex r = f(a0, a1, a2, a3, a4);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

double _Complex callee13(i128 a0, float _Complex a1, int64_t a2, double _Complex a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a3));
    double _Complex r;
    __real__ r = (double)((int64_t)(h + 0) >> 12);
    __imag__ r = (double)((int64_t)(h + 1) >> 12);
    return r;
}

u128 caller13(double _Complex (*f)(i128, float _Complex, int64_t, double _Complex), const u128 *v) {
    i128 a0;
    a0 = (i128)(v[0]);
    float _Complex a1;
    __real__ a1 = (float)((int64_t)(v[1]) >> 40);
    __imag__ a1 = (float)((int64_t)(v[2]) >> 40);
    int64_t a2;
    a2 = (int64_t)(v[3]);
    double _Complex a3;
    __real__ a3 = (double)((int64_t)(v[4]) >> 12);
    __imag__ a3 = (double)((int64_t)(v[5]) >> 12);
    double _Complex r = f(a0, a1, a2, a3);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

s4 callee14(float _Complex a0, s3 a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f1));
    s4 r;
    r.f0 = (double)((int64_t)(h + 0) >> 12);
    r.f1 = (double)((int64_t)(h + 1) >> 12);
    return r;
}

u128 caller14(s4 (*f)(float _Complex, s3), const u128 *v) {
    float _Complex a0;
    __real__ a0 = (float)((int64_t)(v[0]) >> 40);
    __imag__ a0 = (float)((int64_t)(v[1]) >> 40);
    s3 a1;
    a1.f0 = (float)((int64_t)(v[2]) >> 40);
    a1.f1 = (float)((int64_t)(v[3]) >> 40);
    s4 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    h = mix(h, (u128)(i128)(int64_t)(r.f1));
    return h;
}

long double callee15(long double a0) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    return (long double)((int64_t)(h) >> 1);
}

u128 caller15(long double (*f)(long double), const u128 *v) {
    long double a0;
    a0 = (long double)((int64_t)(v[0]) >> 1);
    return (u128)(i128)(int64_t)(f(a0));
}

long double callee16(long double a0, long double a1, int32_t a2, long double a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    return (long double)((int64_t)(h) >> 1);
}

u128 caller16(long double (*f)(long double, long double, int32_t, long double), const u128 *v) {
    long double a0;
    a0 = (long double)((int64_t)(v[0]) >> 1);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[2]);
    long double a3;
    a3 = (long double)((int64_t)(v[3]) >> 1);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3));
}

long double callee17(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, long double a6, int64_t a7) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(a7));
    return (long double)((int64_t)(h) >> 1);
}

u128 caller17(long double (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, long double, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    long double a6;
    a6 = (long double)((int64_t)(v[6]) >> 1);
    int64_t a7;
    a7 = (int64_t)(v[7]);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7));
}

double callee18(int32_t a0, long double a1, double a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    return (double)((int64_t)(h) >> 12);
}

u128 caller18(double (*f)(int32_t, long double, double), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    return (u128)(i128)(int64_t)(f(a0, a1, a2));
}

q128 callee19(q128 a0, q128 a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    return (q128)((int64_t)(h) >> 1);
}

u128 caller19(q128 (*f)(q128, q128), const u128 *v) {
    q128 a0;
    a0 = (q128)((int64_t)(v[0]) >> 1);
    q128 a1;
    a1 = (q128)((int64_t)(v[1]) >> 1);
    return (u128)(i128)(int64_t)(f(a0, a1));
}

q128 callee20(double a0, double a1, double a2, double a3, double a4, double a5, double a6, q128 a7, q128 a8, double a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    h = mix(h, (u128)(i128)(int64_t)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(int64_t)(a8));
    h = mix(h, (u128)(i128)(int64_t)(a9));
    return (q128)((int64_t)(h) >> 1);
}

u128 caller20(q128 (*f)(double, double, double, double, double, double, double, q128, q128, double), const u128 *v) {
    double a0;
    a0 = (double)((int64_t)(v[0]) >> 12);
    double a1;
    a1 = (double)((int64_t)(v[1]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[3]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[4]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[5]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[6]) >> 12);
    q128 a7;
    a7 = (q128)((int64_t)(v[7]) >> 1);
    q128 a8;
    a8 = (q128)((int64_t)(v[8]) >> 1);
    double a9;
    a9 = (double)((int64_t)(v[9]) >> 12);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9));
}

q128 callee21(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, q128 a7, int64_t a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(a8));
    return (q128)((int64_t)(h) >> 1);
}

u128 caller21(q128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, q128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    q128 a7;
    a7 = (q128)((int64_t)(v[7]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[8]);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8));
}

s5 callee22(s5 a0, int32_t a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0.f0));
    h = mix(h, (u128)(i128)(a1));
    s5 r;
    r.f0 = (long double)((int64_t)(h + 0) >> 1);
    return r;
}

u128 caller22(s5 (*f)(s5, int32_t), const u128 *v) {
    s5 a0;
    a0.f0 = (long double)((int64_t)(v[0]) >> 1);
    int32_t a1;
    a1 = (int32_t)(v[1]);
    s5 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    return h;
}

s6 callee23(s6 a0, long double a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0.f0));
    h = mix(h, (u128)(i128)(a0.f1));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    s6 r;
    r.f0 = (long double)((int64_t)(h + 0) >> 1);
    r.f1 = (int64_t)(h + 1);
    return r;
}

u128 caller23(s6 (*f)(s6, long double), const u128 *v) {
    s6 a0;
    a0.f0 = (long double)((int64_t)(v[0]) >> 1);
    a0.f1 = (int64_t)(v[1]);
    long double a1;
    a1 = (long double)((int64_t)(v[2]) >> 1);
    s6 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

s8 callee24(s7 a0, s8 a1, int8_t a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0.f0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f1));
    h = mix(h, (u128)(i128)(a2));
    s8 r;
    r.f0 = (q128)((int64_t)(h + 0) >> 1);
    r.f1 = (q128)((int64_t)(h + 1) >> 1);
    return r;
}

u128 caller24(s8 (*f)(s7, s8, int8_t), const u128 *v) {
    s7 a0;
    a0.f0 = (q128)((int64_t)(v[0]) >> 1);
    s8 a1;
    a1.f0 = (q128)((int64_t)(v[1]) >> 1);
    a1.f1 = (q128)((int64_t)(v[2]) >> 1);
    int8_t a2;
    a2 = (int8_t)(v[3]);
    s8 r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    h = mix(h, (u128)(i128)(int64_t)(r.f1));
    return h;
}

int64_t callee25(int32_t a0, long double a1, int32_t a2, q128 a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    return (int64_t)(h);
}

u128 caller25(int64_t (*f)(int32_t, long double, int32_t, q128), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[2]);
    q128 a3;
    a3 = (q128)((int64_t)(v[3]) >> 1);
    return (u128)(i128)(f(a0, a1, a2, a3));
}

i128 callee26(float a0, long double a1, q128 a2, i128 a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(a3));
    return (i128)(h);
}

u128 caller26(i128 (*f)(float, long double, q128, i128), const u128 *v) {
    float a0;
    a0 = (float)((int64_t)(v[0]) >> 40);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    q128 a2;
    a2 = (q128)((int64_t)(v[2]) >> 1);
    i128 a3;
    a3 = (i128)(v[3]);
    return (u128)(i128)(f(a0, a1, a2, a3));
}

long double _Complex callee27(long double _Complex a0) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 caller27(long double _Complex (*f)(long double _Complex), const u128 *v) {
    long double _Complex a0;
    __real__ a0 = (long double)((int64_t)(v[0]) >> 1);
    __imag__ a0 = (long double)((int64_t)(v[1]) >> 1);
    long double _Complex r = f(a0);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

long double _Complex callee28(int64_t a0, long double _Complex a1, double a2, long double _Complex a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a3));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 caller28(long double _Complex (*f)(int64_t, long double _Complex, double, long double _Complex), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    long double _Complex a1;
    __real__ a1 = (long double)((int64_t)(v[1]) >> 1);
    __imag__ a1 = (long double)((int64_t)(v[2]) >> 1);
    double a2;
    a2 = (double)((int64_t)(v[3]) >> 12);
    long double _Complex a3;
    __real__ a3 = (long double)((int64_t)(v[4]) >> 1);
    __imag__ a3 = (long double)((int64_t)(v[5]) >> 1);
    long double _Complex r = f(a0, a1, a2, a3);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

long double callee29(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, long double _Complex a6, long double a7, int64_t a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a6));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(a8));
    return (long double)((int64_t)(h) >> 1);
}

u128 caller29(long double (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, long double _Complex, long double, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    long double _Complex a6;
    __real__ a6 = (long double)((int64_t)(v[6]) >> 1);
    __imag__ a6 = (long double)((int64_t)(v[7]) >> 1);
    long double a7;
    a7 = (long double)((int64_t)(v[8]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[9]);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8));
}

double callee30(long double _Complex a0, float a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    return (double)((int64_t)(h) >> 12);
}

u128 caller30(double (*f)(long double _Complex, float), const u128 *v) {
    long double _Complex a0;
    __real__ a0 = (long double)((int64_t)(v[0]) >> 1);
    __imag__ a0 = (long double)((int64_t)(v[1]) >> 1);
    float a1;
    a1 = (float)((int64_t)(v[2]) >> 40);
    return (u128)(i128)(int64_t)(f(a0, a1));
}

long double _Complex callee31(int32_t a0) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 caller31(long double _Complex (*f)(int32_t), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    long double _Complex r = f(a0);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

s9 callee32(s9 a0, int32_t a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0.f0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0.f0));
    h = mix(h, (u128)(i128)(a1));
    s9 r;
    __real__ r.f0 = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r.f0 = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 caller32(s9 (*f)(s9, int32_t), const u128 *v) {
    s9 a0;
    __real__ a0.f0 = (long double)((int64_t)(v[0]) >> 1);
    __imag__ a0.f0 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a1;
    a1 = (int32_t)(v[2]);
    s9 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r.f0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r.f0));
    return h;
}

long double _Complex callee33(double a0, double a1, double a2, double a3, double a4, double a5, double a6, long double _Complex a7, double a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    h = mix(h, (u128)(i128)(int64_t)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a7));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a7));
    h = mix(h, (u128)(i128)(int64_t)(a8));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 caller33(long double _Complex (*f)(double, double, double, double, double, double, double, long double _Complex, double), const u128 *v) {
    double a0;
    a0 = (double)((int64_t)(v[0]) >> 12);
    double a1;
    a1 = (double)((int64_t)(v[1]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[3]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[4]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[5]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[6]) >> 12);
    long double _Complex a7;
    __real__ a7 = (long double)((int64_t)(v[7]) >> 1);
    __imag__ a7 = (long double)((int64_t)(v[8]) >> 1);
    double a8;
    a8 = (double)((int64_t)(v[9]) >> 12);
    long double _Complex r = f(a0, a1, a2, a3, a4, a5, a6, a7, a8);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

long double _Complex callee34(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, int64_t a7, long double _Complex a8, int32_t a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a8));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a8));
    h = mix(h, (u128)(i128)(a9));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 caller34(long double _Complex (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, long double _Complex, int32_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    int64_t a7;
    a7 = (int64_t)(v[7]);
    long double _Complex a8;
    __real__ a8 = (long double)((int64_t)(v[8]) >> 1);
    __imag__ a8 = (long double)((int64_t)(v[9]) >> 1);
    int32_t a9;
    a9 = (int32_t)(v[10]);
    long double _Complex r = f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

#if defined(__x86_64__)

__attribute__((ms_abi)) i128 ms_callee0(i128 a0, i128 a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    return (i128)(h);
}

u128 ms_caller0(__attribute__((ms_abi)) i128 (*f)(i128, i128), const u128 *v) {
    i128 a0;
    a0 = (i128)(v[0]);
    i128 a1;
    a1 = (i128)(v[1]);
    return (u128)(i128)(f(a0, a1));
}

__attribute__((ms_abi)) i128 ms_callee1(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, i128 a5, int64_t a6) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    return (i128)(h);
}

u128 ms_caller1(__attribute__((ms_abi)) i128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, i128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    i128 a5;
    a5 = (i128)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6));
}

__attribute__((ms_abi)) u128 ms_callee2(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int32_t a6, i128 a7, int64_t a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    return (u128)(h);
}

u128 ms_caller2(__attribute__((ms_abi)) u128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int32_t, i128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int32_t a6;
    a6 = (int32_t)(v[6]);
    i128 a7;
    a7 = (i128)(v[7]);
    int64_t a8;
    a8 = (int64_t)(v[8]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8));
}

__attribute__((ms_abi)) u128 ms_callee3(u128 a0, double a1, u128 a2, int8_t a3, u128 a4, u128 a5) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    return (u128)(h);
}

u128 ms_caller3(__attribute__((ms_abi)) u128 (*f)(u128, double, u128, int8_t, u128, u128), const u128 *v) {
    u128 a0;
    a0 = (u128)(v[0]);
    double a1;
    a1 = (double)((int64_t)(v[1]) >> 12);
    u128 a2;
    a2 = (u128)(v[2]);
    int8_t a3;
    a3 = (int8_t)(v[3]);
    u128 a4;
    a4 = (u128)(v[4]);
    u128 a5;
    a5 = (u128)(v[5]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5));
}

__attribute__((ms_abi)) s0 ms_callee4(int32_t a0, s0 a1, double a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1.f0));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    s0 r;
    r.f0 = (i128)(h + 0);
    return r;
}

u128 ms_caller4(__attribute__((ms_abi)) s0 (*f)(int32_t, s0, double), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    s0 a1;
    a1.f0 = (i128)(v[1]);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    s0 r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    return h;
}

__attribute__((ms_abi)) s1 ms_callee5(int64_t a0, s1 a1, int8_t a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1.f0));
    h = mix(h, (u128)(i128)(a1.f1));
    h = mix(h, (u128)(i128)(a2));
    s1 r;
    r.f0 = (int64_t)(h + 0);
    r.f1 = (i128)(h + 1);
    return r;
}

u128 ms_caller5(__attribute__((ms_abi)) s1 (*f)(int64_t, s1, int8_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    s1 a1;
    a1.f0 = (int64_t)(v[1]);
    a1.f1 = (i128)(v[2]);
    int8_t a2;
    a2 = (int8_t)(v[3]);
    s1 r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

__attribute__((ms_abi)) int64_t ms_callee6(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, s0 a5, int64_t a6, s2 a7) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5.f0));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7.f0));
    h = mix(h, (u128)(i128)(a7.f1));
    return (int64_t)(h);
}

u128 ms_caller6(__attribute__((ms_abi)) int64_t (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, s0, int64_t, s2), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    s0 a5;
    a5.f0 = (i128)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    s2 a7;
    a7.f0 = (int32_t)(v[7]);
    a7.f1 = (i128)(v[8]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7));
}

__attribute__((ms_abi)) i128 ms_callee7(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, i128 a7, int64_t a8, i128 a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    h = mix(h, (u128)(i128)(a9));
    return (i128)(h);
}

u128 ms_caller7(__attribute__((ms_abi)) i128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, i128, int64_t, i128), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    i128 a7;
    a7 = (i128)(v[7]);
    int64_t a8;
    a8 = (int64_t)(v[8]);
    i128 a9;
    a9 = (i128)(v[9]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9));
}

__attribute__((ms_abi)) i128 ms_callee8(int64_t a0, i128 a1, int64_t a2, i128 a3, int64_t a4) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    return (i128)(h);
}

u128 ms_caller8(__attribute__((ms_abi)) i128 (*f)(int64_t, i128, int64_t, i128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    i128 a1;
    a1 = (i128)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    i128 a3;
    a3 = (i128)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4));
}

__attribute__((ms_abi)) i128 ms_callee9(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, int64_t a7, int32_t a8, i128 a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    h = mix(h, (u128)(i128)(a9));
    return (i128)(h);
}

u128 ms_caller9(__attribute__((ms_abi)) i128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int32_t, i128), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    int64_t a7;
    a7 = (int64_t)(v[7]);
    int32_t a8;
    a8 = (int32_t)(v[8]);
    i128 a9;
    a9 = (i128)(v[9]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9));
}

__attribute__((ms_abi)) int32_t ms_callee10(double a0, int64_t a1, s1 a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2.f0));
    h = mix(h, (u128)(i128)(a2.f1));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    return (int32_t)(h);
}

u128 ms_caller10(__attribute__((ms_abi)) int32_t (*f)(double, int64_t, s1, int64_t, int64_t, int64_t, int64_t), const u128 *v) {
    double a0;
    a0 = (double)((int64_t)(v[0]) >> 12);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    s1 a2;
    a2.f0 = (int64_t)(v[2]);
    a2.f1 = (i128)(v[3]);
    int64_t a3;
    a3 = (int64_t)(v[4]);
    int64_t a4;
    a4 = (int64_t)(v[5]);
    int64_t a5;
    a5 = (int64_t)(v[6]);
    int64_t a6;
    a6 = (int64_t)(v[7]);
    return (u128)(i128)(f(a0, a1, a2, a3, a4, a5, a6));
}

__attribute__((ms_abi)) float _Complex ms_callee11(float _Complex a0, double _Complex a1, int32_t a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(a2));
    float _Complex r;
    __real__ r = (float)((int64_t)(h + 0) >> 40);
    __imag__ r = (float)((int64_t)(h + 1) >> 40);
    return r;
}

u128 ms_caller11(__attribute__((ms_abi)) float _Complex (*f)(float _Complex, double _Complex, int32_t), const u128 *v) {
    float _Complex a0;
    __real__ a0 = (float)((int64_t)(v[0]) >> 40);
    __imag__ a0 = (float)((int64_t)(v[1]) >> 40);
    double _Complex a1;
    __real__ a1 = (double)((int64_t)(v[2]) >> 12);
    __imag__ a1 = (double)((int64_t)(v[3]) >> 12);
    int32_t a2;
    a2 = (int32_t)(v[4]);
    float _Complex r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

__attribute__((ms_abi)) double _Complex ms_callee12(double _Complex a0, double _Complex a1, double _Complex a2, double _Complex a3, double _Complex a4) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a2));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a2));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a4));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a4));
    double _Complex r;
    __real__ r = (double)((int64_t)(h + 0) >> 12);
    __imag__ r = (double)((int64_t)(h + 1) >> 12);
    return r;
}

u128 ms_caller12(__attribute__((ms_abi)) double _Complex (*f)(double _Complex, double _Complex, double _Complex, double _Complex, double _Complex), const u128 *v) {
    double _Complex a0;
    __real__ a0 = (double)((int64_t)(v[0]) >> 12);
    __imag__ a0 = (double)((int64_t)(v[1]) >> 12);
    double _Complex a1;
    __real__ a1 = (double)((int64_t)(v[2]) >> 12);
    __imag__ a1 = (double)((int64_t)(v[3]) >> 12);
    double _Complex a2;
    __real__ a2 = (double)((int64_t)(v[4]) >> 12);
    __imag__ a2 = (double)((int64_t)(v[5]) >> 12);
    double _Complex a3;
    __real__ a3 = (double)((int64_t)(v[6]) >> 12);
    __imag__ a3 = (double)((int64_t)(v[7]) >> 12);
    double _Complex a4;
    __real__ a4 = (double)((int64_t)(v[8]) >> 12);
    __imag__ a4 = (double)((int64_t)(v[9]) >> 12);
    double _Complex r = f(a0, a1, a2, a3, a4);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

__attribute__((ms_abi)) double _Complex ms_callee13(i128 a0, float _Complex a1, int64_t a2, double _Complex a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a3));
    double _Complex r;
    __real__ r = (double)((int64_t)(h + 0) >> 12);
    __imag__ r = (double)((int64_t)(h + 1) >> 12);
    return r;
}

u128 ms_caller13(__attribute__((ms_abi)) double _Complex (*f)(i128, float _Complex, int64_t, double _Complex), const u128 *v) {
    i128 a0;
    a0 = (i128)(v[0]);
    float _Complex a1;
    __real__ a1 = (float)((int64_t)(v[1]) >> 40);
    __imag__ a1 = (float)((int64_t)(v[2]) >> 40);
    int64_t a2;
    a2 = (int64_t)(v[3]);
    double _Complex a3;
    __real__ a3 = (double)((int64_t)(v[4]) >> 12);
    __imag__ a3 = (double)((int64_t)(v[5]) >> 12);
    double _Complex r = f(a0, a1, a2, a3);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

__attribute__((ms_abi)) s4 ms_callee14(float _Complex a0, s3 a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f1));
    s4 r;
    r.f0 = (double)((int64_t)(h + 0) >> 12);
    r.f1 = (double)((int64_t)(h + 1) >> 12);
    return r;
}

u128 ms_caller14(__attribute__((ms_abi)) s4 (*f)(float _Complex, s3), const u128 *v) {
    float _Complex a0;
    __real__ a0 = (float)((int64_t)(v[0]) >> 40);
    __imag__ a0 = (float)((int64_t)(v[1]) >> 40);
    s3 a1;
    a1.f0 = (float)((int64_t)(v[2]) >> 40);
    a1.f1 = (float)((int64_t)(v[3]) >> 40);
    s4 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    h = mix(h, (u128)(i128)(int64_t)(r.f1));
    return h;
}

__attribute__((ms_abi)) long double ms_callee15(long double a0) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    return (long double)((int64_t)(h) >> 1);
}

u128 ms_caller15(__attribute__((ms_abi)) long double (*f)(long double), const u128 *v) {
    long double a0;
    a0 = (long double)((int64_t)(v[0]) >> 1);
    return (u128)(i128)(int64_t)(f(a0));
}

__attribute__((ms_abi)) long double ms_callee16(long double a0, long double a1, int32_t a2, long double a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    return (long double)((int64_t)(h) >> 1);
}

u128 ms_caller16(__attribute__((ms_abi)) long double (*f)(long double, long double, int32_t, long double), const u128 *v) {
    long double a0;
    a0 = (long double)((int64_t)(v[0]) >> 1);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[2]);
    long double a3;
    a3 = (long double)((int64_t)(v[3]) >> 1);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3));
}

__attribute__((ms_abi)) long double ms_callee17(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, long double a6, int64_t a7) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(a7));
    return (long double)((int64_t)(h) >> 1);
}

u128 ms_caller17(__attribute__((ms_abi)) long double (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, long double, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    long double a6;
    a6 = (long double)((int64_t)(v[6]) >> 1);
    int64_t a7;
    a7 = (int64_t)(v[7]);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7));
}

__attribute__((ms_abi)) double ms_callee18(int32_t a0, long double a1, double a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    return (double)((int64_t)(h) >> 12);
}

u128 ms_caller18(__attribute__((ms_abi)) double (*f)(int32_t, long double, double), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    return (u128)(i128)(int64_t)(f(a0, a1, a2));
}

__attribute__((ms_abi)) q128 ms_callee19(q128 a0, q128 a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    return (q128)((int64_t)(h) >> 1);
}

u128 ms_caller19(__attribute__((ms_abi)) q128 (*f)(q128, q128), const u128 *v) {
    q128 a0;
    a0 = (q128)((int64_t)(v[0]) >> 1);
    q128 a1;
    a1 = (q128)((int64_t)(v[1]) >> 1);
    return (u128)(i128)(int64_t)(f(a0, a1));
}

__attribute__((ms_abi)) q128 ms_callee20(double a0, double a1, double a2, double a3, double a4, double a5, double a6, q128 a7, q128 a8, double a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    h = mix(h, (u128)(i128)(int64_t)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(int64_t)(a8));
    h = mix(h, (u128)(i128)(int64_t)(a9));
    return (q128)((int64_t)(h) >> 1);
}

u128 ms_caller20(__attribute__((ms_abi)) q128 (*f)(double, double, double, double, double, double, double, q128, q128, double), const u128 *v) {
    double a0;
    a0 = (double)((int64_t)(v[0]) >> 12);
    double a1;
    a1 = (double)((int64_t)(v[1]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[3]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[4]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[5]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[6]) >> 12);
    q128 a7;
    a7 = (q128)((int64_t)(v[7]) >> 1);
    q128 a8;
    a8 = (q128)((int64_t)(v[8]) >> 1);
    double a9;
    a9 = (double)((int64_t)(v[9]) >> 12);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9));
}

__attribute__((ms_abi)) q128 ms_callee21(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, q128 a7, int64_t a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(a8));
    return (q128)((int64_t)(h) >> 1);
}

u128 ms_caller21(__attribute__((ms_abi)) q128 (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, q128, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    q128 a7;
    a7 = (q128)((int64_t)(v[7]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[8]);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8));
}

__attribute__((ms_abi)) s5 ms_callee22(s5 a0, int32_t a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0.f0));
    h = mix(h, (u128)(i128)(a1));
    s5 r;
    r.f0 = (long double)((int64_t)(h + 0) >> 1);
    return r;
}

u128 ms_caller22(__attribute__((ms_abi)) s5 (*f)(s5, int32_t), const u128 *v) {
    s5 a0;
    a0.f0 = (long double)((int64_t)(v[0]) >> 1);
    int32_t a1;
    a1 = (int32_t)(v[1]);
    s5 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    return h;
}

__attribute__((ms_abi)) s6 ms_callee23(s6 a0, long double a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0.f0));
    h = mix(h, (u128)(i128)(a0.f1));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    s6 r;
    r.f0 = (long double)((int64_t)(h + 0) >> 1);
    r.f1 = (int64_t)(h + 1);
    return r;
}

u128 ms_caller23(__attribute__((ms_abi)) s6 (*f)(s6, long double), const u128 *v) {
    s6 a0;
    a0.f0 = (long double)((int64_t)(v[0]) >> 1);
    a0.f1 = (int64_t)(v[1]);
    long double a1;
    a1 = (long double)((int64_t)(v[2]) >> 1);
    s6 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

__attribute__((ms_abi)) s8 ms_callee24(s7 a0, s8 a1, int8_t a2) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0.f0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f0));
    h = mix(h, (u128)(i128)(int64_t)(a1.f1));
    h = mix(h, (u128)(i128)(a2));
    s8 r;
    r.f0 = (q128)((int64_t)(h + 0) >> 1);
    r.f1 = (q128)((int64_t)(h + 1) >> 1);
    return r;
}

u128 ms_caller24(__attribute__((ms_abi)) s8 (*f)(s7, s8, int8_t), const u128 *v) {
    s7 a0;
    a0.f0 = (q128)((int64_t)(v[0]) >> 1);
    s8 a1;
    a1.f0 = (q128)((int64_t)(v[1]) >> 1);
    a1.f1 = (q128)((int64_t)(v[2]) >> 1);
    int8_t a2;
    a2 = (int8_t)(v[3]);
    s8 r = f(a0, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    h = mix(h, (u128)(i128)(int64_t)(r.f1));
    return h;
}

__attribute__((ms_abi)) int64_t ms_callee25(int32_t a0, long double a1, int32_t a2, q128 a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    return (int64_t)(h);
}

u128 ms_caller25(__attribute__((ms_abi)) int64_t (*f)(int32_t, long double, int32_t, q128), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[2]);
    q128 a3;
    a3 = (q128)((int64_t)(v[3]) >> 1);
    return (u128)(i128)(f(a0, a1, a2, a3));
}

__attribute__((ms_abi)) i128 ms_callee26(float a0, long double a1, q128 a2, i128 a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(a3));
    return (i128)(h);
}

u128 ms_caller26(__attribute__((ms_abi)) i128 (*f)(float, long double, q128, i128), const u128 *v) {
    float a0;
    a0 = (float)((int64_t)(v[0]) >> 40);
    long double a1;
    a1 = (long double)((int64_t)(v[1]) >> 1);
    q128 a2;
    a2 = (q128)((int64_t)(v[2]) >> 1);
    i128 a3;
    a3 = (i128)(v[3]);
    return (u128)(i128)(f(a0, a1, a2, a3));
}

__attribute__((ms_abi)) long double _Complex ms_callee27(long double _Complex a0) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 ms_caller27(__attribute__((ms_abi)) long double _Complex (*f)(long double _Complex), const u128 *v) {
    long double _Complex a0;
    __real__ a0 = (long double)((int64_t)(v[0]) >> 1);
    __imag__ a0 = (long double)((int64_t)(v[1]) >> 1);
    long double _Complex r = f(a0);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

__attribute__((ms_abi)) long double _Complex ms_callee28(int64_t a0, long double _Complex a1, double a2, long double _Complex a3) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a1));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a3));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a3));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 ms_caller28(__attribute__((ms_abi)) long double _Complex (*f)(int64_t, long double _Complex, double, long double _Complex), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    long double _Complex a1;
    __real__ a1 = (long double)((int64_t)(v[1]) >> 1);
    __imag__ a1 = (long double)((int64_t)(v[2]) >> 1);
    double a2;
    a2 = (double)((int64_t)(v[3]) >> 12);
    long double _Complex a3;
    __real__ a3 = (long double)((int64_t)(v[4]) >> 1);
    __imag__ a3 = (long double)((int64_t)(v[5]) >> 1);
    long double _Complex r = f(a0, a1, a2, a3);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

__attribute__((ms_abi)) long double ms_callee29(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, long double _Complex a6, long double a7, int64_t a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a6));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(a8));
    return (long double)((int64_t)(h) >> 1);
}

u128 ms_caller29(__attribute__((ms_abi)) long double (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, long double _Complex, long double, int64_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    long double _Complex a6;
    __real__ a6 = (long double)((int64_t)(v[6]) >> 1);
    __imag__ a6 = (long double)((int64_t)(v[7]) >> 1);
    long double a7;
    a7 = (long double)((int64_t)(v[8]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[9]);
    return (u128)(i128)(int64_t)(f(a0, a1, a2, a3, a4, a5, a6, a7, a8));
}

__attribute__((ms_abi)) double ms_callee30(long double _Complex a0, float a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    return (double)((int64_t)(h) >> 12);
}

u128 ms_caller30(__attribute__((ms_abi)) double (*f)(long double _Complex, float), const u128 *v) {
    long double _Complex a0;
    __real__ a0 = (long double)((int64_t)(v[0]) >> 1);
    __imag__ a0 = (long double)((int64_t)(v[1]) >> 1);
    float a1;
    a1 = (float)((int64_t)(v[2]) >> 40);
    return (u128)(i128)(int64_t)(f(a0, a1));
}

__attribute__((ms_abi)) long double _Complex ms_callee31(int32_t a0) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 ms_caller31(__attribute__((ms_abi)) long double _Complex (*f)(int32_t), const u128 *v) {
    int32_t a0;
    a0 = (int32_t)(v[0]);
    long double _Complex r = f(a0);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

__attribute__((ms_abi)) s9 ms_callee32(s9 a0, int32_t a1) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ a0.f0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a0.f0));
    h = mix(h, (u128)(i128)(a1));
    s9 r;
    __real__ r.f0 = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r.f0 = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 ms_caller32(__attribute__((ms_abi)) s9 (*f)(s9, int32_t), const u128 *v) {
    s9 a0;
    __real__ a0.f0 = (long double)((int64_t)(v[0]) >> 1);
    __imag__ a0.f0 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a1;
    a1 = (int32_t)(v[2]);
    s9 r = f(a0, a1);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r.f0));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r.f0));
    return h;
}

__attribute__((ms_abi)) long double _Complex ms_callee33(double a0, double a1, double a2, double a3, double a4, double a5, double a6, long double _Complex a7, double a8) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a0));
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    h = mix(h, (u128)(i128)(int64_t)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a7));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a7));
    h = mix(h, (u128)(i128)(int64_t)(a8));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 ms_caller33(__attribute__((ms_abi)) long double _Complex (*f)(double, double, double, double, double, double, double, long double _Complex, double), const u128 *v) {
    double a0;
    a0 = (double)((int64_t)(v[0]) >> 12);
    double a1;
    a1 = (double)((int64_t)(v[1]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[2]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[3]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[4]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[5]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[6]) >> 12);
    long double _Complex a7;
    __real__ a7 = (long double)((int64_t)(v[7]) >> 1);
    __imag__ a7 = (long double)((int64_t)(v[8]) >> 1);
    double a8;
    a8 = (double)((int64_t)(v[9]) >> 12);
    long double _Complex r = f(a0, a1, a2, a3, a4, a5, a6, a7, a8);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

__attribute__((ms_abi)) long double _Complex ms_callee34(int64_t a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, int64_t a7, long double _Complex a8, int32_t a9) {
    u128 h = 0;
    h = mix(h, (u128)(i128)(a0));
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(int64_t)(__real__ a8));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ a8));
    h = mix(h, (u128)(i128)(a9));
    long double _Complex r;
    __real__ r = (long double)((int64_t)(h + 0) >> 1);
    __imag__ r = (long double)((int64_t)(h + 1) >> 1);
    return r;
}

u128 ms_caller34(__attribute__((ms_abi)) long double _Complex (*f)(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, long double _Complex, int32_t), const u128 *v) {
    int64_t a0;
    a0 = (int64_t)(v[0]);
    int64_t a1;
    a1 = (int64_t)(v[1]);
    int64_t a2;
    a2 = (int64_t)(v[2]);
    int64_t a3;
    a3 = (int64_t)(v[3]);
    int64_t a4;
    a4 = (int64_t)(v[4]);
    int64_t a5;
    a5 = (int64_t)(v[5]);
    int64_t a6;
    a6 = (int64_t)(v[6]);
    int64_t a7;
    a7 = (int64_t)(v[7]);
    long double _Complex a8;
    __real__ a8 = (long double)((int64_t)(v[8]) >> 1);
    __imag__ a8 = (long double)((int64_t)(v[9]) >> 1);
    int32_t a9;
    a9 = (int32_t)(v[10]);
    long double _Complex r = f(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(__real__ r));
    h = mix(h, (u128)(i128)(int64_t)(__imag__ r));
    return h;
}

#endif

/* A variadic callee: n pairs of (int64_t, __int128) after n, hashed in order. */
#include <stdarg.h>
u128 vsum(int32_t n, ...) {
    va_list ap;
    va_start(ap, n);
    u128 h = 0;
    for (int32_t i = 0; i < n; i++) {
        h = mix(h, (u128)(i128)va_arg(ap, int64_t));
        h = mix(h, (u128)va_arg(ap, i128));
    }
    va_end(ap);
    return h;
}
