/* Callees and callers with __int128 and _Complex arguments, results and struct
 * fields, for tests/c_types.rs, once in the host's System V convention and once with GCC's ms_abi
 * (prefix ms_, x86-64 only; tests/cross_c_types.rs builds the rest for aarch64 and
 * riscv64). Written by scripts/gen_c_types.py from the signature list of tests/c_types.rs: callee N hashes
 * its arguments (every scalar leaf, in order, sign-extended to 128 bits; a float or
 * double as the int64 it holds; a complex as its real then imaginary part) with mix() and returns the hash converted to its result type
 * (a struct result: leaf k gets hash + k); caller N calls f with arguments made from
 * v[0], v[1], ... (one per leaf, converted to the leaf's type; v >> 12 for a
 * double, v >> 40 for a float, so that they hold it exactly) and returns f's result
 * extended to 128 bits (a struct result: hashed like arguments). */
#include <stdint.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

static u128 mix(u128 h, u128 v) { return ((h * 0x9e3779b97f4a7c15u) + v) ^ (h >> 64); }
typedef struct { i128 f0; } s0;
typedef struct { int64_t f0; i128 f1; } s1;
typedef struct { int32_t f0; i128 f1; } s2;
typedef struct { float f0; float f1; } s3;
typedef struct { double f0; double f1; } s4;

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
