/* Callees and callers with __int128, long double and binary128 arguments and results,
 * each after a runtime context pointer, for the fast-call and boundary tests
 * tests/wide_kinds.rs (host: System V, and GCC's ms_abi with prefix ms_) and
 * tests/cross_wide_kinds.rs (aarch64 and riscv64 under qemu). Written by
 * scripts/gen_wide_kinds.py from tests/c/wide_kinds.sigs; do not edit.
 *
 * calleeN(ctx, ...) notes the context's boundary records and its own frame pointer
 * (note()), hashes every scalar leaf of its other arguments in order (sign-extended
 * to 128 bits; a float as the int64 it holds) with mix(), stores the hash in
 * ctx->hash and returns it converted to its result type (a struct result: leaf k gets
 * hash + k). callerN(f, ctx, v) calls f, a function of signature N, with the context
 * and arguments made from v[0], v[1], ... (one per leaf, converted to the leaf's
 * type: v >> 12 for a double, v >> 40 for a float, v >> 1 for a long double or
 * binary128, so that they hold it exactly) and returns f's result extended to 128 bits
 * (a struct result hashed like arguments; void: ctx->hash). fcallerN(entry, ctx, v)
 * does the same through a fast-call entry of signature N: (receiver, ctx, args...,
 * [out], options), narrow integers as 32 bits, 16-byte scalars and structs as pointers
 * to them, a 16-byte or struct result through out. Both callers first store their own
 * frame pointer in ctx->caller_fp. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;
#if defined(__x86_64__)
typedef __float128 q128;
#else
typedef long double q128;
#endif

/* The runtime context: the standard boundary records at 0, 8, 16 and 24 (entry SP,
 * entry FP, exit FP, exit PC), what the latest callee saw of them, the frame pointers
 * of the latest caller and callee, the frame the callee's links to, the entry
 * trampoline's frame record (saved FP, return address) as the callee saw it, and the
 * latest callee's hash. Records hold WK_UNTOUCHED until a trampoline writes them. */
#define WK_UNTOUCHED ((uintptr_t)0x5eed0000deadbeefull)
typedef struct {
    uintptr_t entry_sp, entry_fp, exit_fp, exit_pc;
    uintptr_t seen[4];
    uintptr_t caller_fp, callee_fp, callee_link, entry_link, entry_return;
    u128 hash;
} wk_ctx;

static u128 mix(u128 h, u128 v) { return ((h * 0x9e3779b97f4a7c15u) + v) ^ (h >> 64); }

/* Called by every callee with its own frame pointer: copies the records, and reads the
 * frame records while they are live (gcc's riscv64 frame pointer points above the
 * saved FP and return address; elsewhere at the saved FP). */
static void note(void *c, void *frame) {
    wk_ctx *ctx = c;
    ctx->seen[0] = ctx->entry_sp;
    ctx->seen[1] = ctx->entry_fp;
    ctx->seen[2] = ctx->exit_fp;
    ctx->seen[3] = ctx->exit_pc;
    ctx->callee_fp = (uintptr_t)frame;
#if defined(__riscv)
    ctx->callee_link = ((uintptr_t *)frame)[-2];
#else
    ctx->callee_link = ((uintptr_t *)frame)[0];
#endif
    /* The entry trampoline's own frame record (Cranelift's: FP at its saved FP). */
    if (ctx->entry_fp != WK_UNTOUCHED) {
        ctx->entry_link = ((uintptr_t *)ctx->entry_fp)[0];
        ctx->entry_return = ((uintptr_t *)ctx->entry_fp)[1];
    }
}
typedef struct { int64_t f0; i128 f1; } w0;
typedef struct { long double f0; } w1;

i128 callee0(void * a0, i128 a1, i128 a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    ((wk_ctx *)a0)->hash = h;
    return (i128)(h);
}

u128 caller0(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    i128 a1;
    a1 = (i128)(v[0]);
    i128 a2;
    a2 = (i128)(v[1]);
    i128 r = ((i128 (*)(void *, i128, i128))f)(c, a1, a2);
    return (u128)(i128)(r);
}

u128 fcaller0(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    i128 a1;
    a1 = (i128)(v[0]);
    i128 a2;
    a2 = (i128)(v[1]);
    i128 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, const i128 *, const i128 *, i128 *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

u128 callee1(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, i128 a5, int64_t a6) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    ((wk_ctx *)a0)->hash = h;
    return (u128)(h);
}

u128 caller1(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    i128 a5;
    a5 = (i128)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    u128 r = ((u128 (*)(void *, int64_t, int64_t, int64_t, int64_t, i128, int64_t))f)(c, a1, a2, a3, a4, a5, a6);
    return (u128)(i128)(r);
}

u128 fcaller1(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    i128 a5;
    a5 = (i128)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    u128 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, const i128 *, int64_t, u128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, &a5, a6, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

int64_t callee2(void * a0, u128 a1, double a2, int8_t a3, u128 a4, int32_t a5) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    ((wk_ctx *)a0)->hash = h;
    return (int64_t)(h);
}

u128 caller2(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    u128 a1;
    a1 = (u128)(v[0]);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    int8_t a3;
    a3 = (int8_t)(v[2]);
    u128 a4;
    a4 = (u128)(v[3]);
    int32_t a5;
    a5 = (int32_t)(v[4]);
    int64_t r = ((int64_t (*)(void *, u128, double, int8_t, u128, int32_t))f)(c, a1, a2, a3, a4, a5);
    return (u128)(i128)(r);
}

u128 fcaller2(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    u128 a1;
    a1 = (u128)(v[0]);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    int8_t a3;
    a3 = (int8_t)(v[2]);
    u128 a4;
    a4 = (u128)(v[3]);
    int32_t a5;
    a5 = (int32_t)(v[4]);
    int64_t r = ((int64_t (*)(void *, void *, const u128 *, double, int32_t, const u128 *, int32_t, void *))entry)((void *)0x5ece1e5, c, &a1, a2, (int32_t)a3, &a4, a5, (void *)0x0b7105);
    return (u128)(i128)(r);
}

i128 callee3(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, i128 a7, int64_t a8, i128 a9) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    h = mix(h, (u128)(i128)(a9));
    ((wk_ctx *)a0)->hash = h;
    return (i128)(h);
}

u128 caller3(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    i128 a7;
    a7 = (i128)(v[6]);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    i128 a9;
    a9 = (i128)(v[8]);
    i128 r = ((i128 (*)(void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, i128, int64_t, i128))f)(c, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    return (u128)(i128)(r);
}

u128 fcaller3(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    i128 a7;
    a7 = (i128)(v[6]);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    i128 a9;
    a9 = (i128)(v[8]);
    i128 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, const i128 *, int64_t, const i128 *, i128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, a6, &a7, a8, &a9, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

w0 callee4(void * a0, int32_t a1, w0 a2, int8_t a3) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2.f0));
    h = mix(h, (u128)(i128)(a2.f1));
    h = mix(h, (u128)(i128)(a3));
    ((wk_ctx *)a0)->hash = h;
    w0 r;
    r.f0 = (int64_t)(h + 0);
    r.f1 = (i128)(h + 1);
    return r;
}

u128 caller4(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    w0 a2;
    a2.f0 = (int64_t)(v[1]);
    a2.f1 = (i128)(v[2]);
    int8_t a3;
    a3 = (int8_t)(v[3]);
    w0 r = ((w0 (*)(void *, int32_t, w0, int8_t))f)(c, a1, a2, a3);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

u128 fcaller4(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    w0 a2;
    a2.f0 = (int64_t)(v[1]);
    a2.f1 = (i128)(v[2]);
    int8_t a3;
    a3 = (int8_t)(v[3]);
    w0 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, int32_t, const w0 *, int32_t, w0 *, void *))entry)((void *)0x5ece1e5, c, a1, &a2, (int32_t)a3, &r, (void *)0x0b7105);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

long double callee5(void * a0, long double a1) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    ((wk_ctx *)a0)->hash = h;
    return (long double)((int64_t)(h) >> 1);
}

u128 caller5(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double r = ((long double (*)(void *, long double))f)(c, a1);
    return (u128)(i128)(int64_t)(r);
}

u128 fcaller5(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, const long double *, long double *, void *))entry)((void *)0x5ece1e5, c, &a1, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

long double callee6(void * a0, long double a1, long double a2, int32_t a3, long double a4) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    ((wk_ctx *)a0)->hash = h;
    return (long double)((int64_t)(h) >> 1);
}

u128 caller6(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a3;
    a3 = (int32_t)(v[2]);
    long double a4;
    a4 = (long double)((int64_t)(v[3]) >> 1);
    long double r = ((long double (*)(void *, long double, long double, int32_t, long double))f)(c, a1, a2, a3, a4);
    return (u128)(i128)(int64_t)(r);
}

u128 fcaller6(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a3;
    a3 = (int32_t)(v[2]);
    long double a4;
    a4 = (long double)((int64_t)(v[3]) >> 1);
    long double r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, const long double *, const long double *, int32_t, const long double *, long double *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, a3, &a4, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

long double callee7(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, long double a6, int64_t a7) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(a7));
    ((wk_ctx *)a0)->hash = h;
    return (long double)((int64_t)(h) >> 1);
}

u128 caller7(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    long double a6;
    a6 = (long double)((int64_t)(v[5]) >> 1);
    int64_t a7;
    a7 = (int64_t)(v[6]);
    long double r = ((long double (*)(void *, int64_t, int64_t, int64_t, int64_t, int64_t, long double, int64_t))f)(c, a1, a2, a3, a4, a5, a6, a7);
    return (u128)(i128)(int64_t)(r);
}

u128 fcaller7(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    long double a6;
    a6 = (long double)((int64_t)(v[5]) >> 1);
    int64_t a7;
    a7 = (int64_t)(v[6]);
    long double r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, int64_t, const long double *, int64_t, long double *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, &a6, a7, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

double callee8(void * a0, int32_t a1, long double a2, double a3) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    ((wk_ctx *)a0)->hash = h;
    return (double)((int64_t)(h) >> 12);
}

u128 caller8(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double r = ((double (*)(void *, int32_t, long double, double))f)(c, a1, a2, a3);
    return (u128)(i128)(int64_t)(r);
}

u128 fcaller8(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double r = ((double (*)(void *, void *, int32_t, const long double *, double, void *))entry)((void *)0x5ece1e5, c, a1, &a2, a3, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

q128 callee9(void * a0, q128 a1, q128 a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    ((wk_ctx *)a0)->hash = h;
    return (q128)((int64_t)(h) >> 1);
}

u128 caller9(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    q128 a1;
    a1 = (q128)((int64_t)(v[0]) >> 1);
    q128 a2;
    a2 = (q128)((int64_t)(v[1]) >> 1);
    q128 r = ((q128 (*)(void *, q128, q128))f)(c, a1, a2);
    return (u128)(i128)(int64_t)(r);
}

u128 fcaller9(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    q128 a1;
    a1 = (q128)((int64_t)(v[0]) >> 1);
    q128 a2;
    a2 = (q128)((int64_t)(v[1]) >> 1);
    q128 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, const q128 *, const q128 *, q128 *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

q128 callee10(void * a0, double a1, double a2, double a3, double a4, double a5, double a6, double a7, q128 a8, q128 a9, double a10) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    h = mix(h, (u128)(i128)(int64_t)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(int64_t)(a8));
    h = mix(h, (u128)(i128)(int64_t)(a9));
    h = mix(h, (u128)(i128)(int64_t)(a10));
    ((wk_ctx *)a0)->hash = h;
    return (q128)((int64_t)(h) >> 1);
}

u128 caller10(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    double a1;
    a1 = (double)((int64_t)(v[0]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[3]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[4]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[5]) >> 12);
    double a7;
    a7 = (double)((int64_t)(v[6]) >> 12);
    q128 a8;
    a8 = (q128)((int64_t)(v[7]) >> 1);
    q128 a9;
    a9 = (q128)((int64_t)(v[8]) >> 1);
    double a10;
    a10 = (double)((int64_t)(v[9]) >> 12);
    q128 r = ((q128 (*)(void *, double, double, double, double, double, double, double, q128, q128, double))f)(c, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    return (u128)(i128)(int64_t)(r);
}

u128 fcaller10(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    double a1;
    a1 = (double)((int64_t)(v[0]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[3]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[4]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[5]) >> 12);
    double a7;
    a7 = (double)((int64_t)(v[6]) >> 12);
    q128 a8;
    a8 = (q128)((int64_t)(v[7]) >> 1);
    q128 a9;
    a9 = (q128)((int64_t)(v[8]) >> 1);
    double a10;
    a10 = (double)((int64_t)(v[9]) >> 12);
    q128 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, double, double, double, double, double, double, double, const q128 *, const q128 *, double, q128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, a6, a7, &a8, &a9, a10, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

q128 callee11(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, q128 a7, int64_t a8) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(a8));
    ((wk_ctx *)a0)->hash = h;
    return (q128)((int64_t)(h) >> 1);
}

u128 caller11(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    q128 a7;
    a7 = (q128)((int64_t)(v[6]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    q128 r = ((q128 (*)(void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, q128, int64_t))f)(c, a1, a2, a3, a4, a5, a6, a7, a8);
    return (u128)(i128)(int64_t)(r);
}

u128 fcaller11(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    q128 a7;
    a7 = (q128)((int64_t)(v[6]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    q128 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, const q128 *, int64_t, q128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, a6, &a7, a8, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

w1 callee12(void * a0, w1 a1, int32_t a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1.f0));
    h = mix(h, (u128)(i128)(a2));
    ((wk_ctx *)a0)->hash = h;
    w1 r;
    r.f0 = (long double)((int64_t)(h + 0) >> 1);
    return r;
}

u128 caller12(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    w1 a1;
    a1.f0 = (long double)((int64_t)(v[0]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[1]);
    w1 r = ((w1 (*)(void *, w1, int32_t))f)(c, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    return h;
}

u128 fcaller12(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    w1 a1;
    a1.f0 = (long double)((int64_t)(v[0]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[1]);
    w1 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, const w1 *, int32_t, w1 *, void *))entry)((void *)0x5ece1e5, c, &a1, a2, &r, (void *)0x0b7105);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    return h;
}

i128 callee13(void * a0, float a1, long double a2, q128 a3, i128 a4) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(a4));
    ((wk_ctx *)a0)->hash = h;
    return (i128)(h);
}

u128 caller13(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    float a1;
    a1 = (float)((int64_t)(v[0]) >> 40);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    q128 a3;
    a3 = (q128)((int64_t)(v[2]) >> 1);
    i128 a4;
    a4 = (i128)(v[3]);
    i128 r = ((i128 (*)(void *, float, long double, q128, i128))f)(c, a1, a2, a3, a4);
    return (u128)(i128)(r);
}

u128 fcaller13(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    float a1;
    a1 = (float)((int64_t)(v[0]) >> 40);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    q128 a3;
    a3 = (q128)((int64_t)(v[2]) >> 1);
    i128 a4;
    a4 = (i128)(v[3]);
    i128 r;
    memset(&r, 0xa5, sizeof r);
    ((void (*)(void *, void *, float, const long double *, const q128 *, const i128 *, i128 *, void *))entry)((void *)0x5ece1e5, c, a1, &a2, &a3, &a4, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

uint8_t callee14(void * a0, int8_t a1, u128 a2, long double a3) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    ((wk_ctx *)a0)->hash = h;
    return (uint8_t)(h);
}

u128 caller14(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int8_t a1;
    a1 = (int8_t)(v[0]);
    u128 a2;
    a2 = (u128)(v[1]);
    long double a3;
    a3 = (long double)((int64_t)(v[2]) >> 1);
    uint8_t r = ((uint8_t (*)(void *, int8_t, u128, long double))f)(c, a1, a2, a3);
    return (u128)(i128)(r);
}

u128 fcaller14(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int8_t a1;
    a1 = (int8_t)(v[0]);
    u128 a2;
    a2 = (u128)(v[1]);
    long double a3;
    a3 = (long double)((int64_t)(v[2]) >> 1);
    uint32_t r = ((uint32_t (*)(void *, void *, int32_t, const u128 *, const long double *, void *))entry)((void *)0x5ece1e5, c, (int32_t)a1, &a2, &a3, (void *)0x0b7105);
    return (u128)(i128)(r);
}

void callee15(void * a0, long double a1, i128 a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    ((wk_ctx *)a0)->hash = h;
}

u128 caller15(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    i128 a2;
    a2 = (i128)(v[1]);
    ((void (*)(void *, long double, i128))f)(c, a1, a2);
    return ctx->hash;
}

u128 fcaller15(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    i128 a2;
    a2 = (i128)(v[1]);
    ((void (*)(void *, void *, const long double *, const i128 *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, (void *)0x0b7105);
    return ctx->hash;
}

#if defined(__x86_64__)

__attribute__((ms_abi)) i128 ms_callee0(void * a0, i128 a1, i128 a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    ((wk_ctx *)a0)->hash = h;
    return (i128)(h);
}

u128 ms_caller0(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    i128 a1;
    a1 = (i128)(v[0]);
    i128 a2;
    a2 = (i128)(v[1]);
    i128 r = ((__attribute__((ms_abi)) i128 (*)(void *, i128, i128))f)(c, a1, a2);
    return (u128)(i128)(r);
}

u128 ms_fcaller0(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    i128 a1;
    a1 = (i128)(v[0]);
    i128 a2;
    a2 = (i128)(v[1]);
    i128 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, const i128 *, const i128 *, i128 *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

__attribute__((ms_abi)) u128 ms_callee1(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, i128 a5, int64_t a6) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    ((wk_ctx *)a0)->hash = h;
    return (u128)(h);
}

u128 ms_caller1(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    i128 a5;
    a5 = (i128)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    u128 r = ((__attribute__((ms_abi)) u128 (*)(void *, int64_t, int64_t, int64_t, int64_t, i128, int64_t))f)(c, a1, a2, a3, a4, a5, a6);
    return (u128)(i128)(r);
}

u128 ms_fcaller1(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    i128 a5;
    a5 = (i128)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    u128 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, const i128 *, int64_t, u128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, &a5, a6, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

__attribute__((ms_abi)) int64_t ms_callee2(void * a0, u128 a1, double a2, int8_t a3, u128 a4, int32_t a5) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    ((wk_ctx *)a0)->hash = h;
    return (int64_t)(h);
}

u128 ms_caller2(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    u128 a1;
    a1 = (u128)(v[0]);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    int8_t a3;
    a3 = (int8_t)(v[2]);
    u128 a4;
    a4 = (u128)(v[3]);
    int32_t a5;
    a5 = (int32_t)(v[4]);
    int64_t r = ((__attribute__((ms_abi)) int64_t (*)(void *, u128, double, int8_t, u128, int32_t))f)(c, a1, a2, a3, a4, a5);
    return (u128)(i128)(r);
}

u128 ms_fcaller2(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    u128 a1;
    a1 = (u128)(v[0]);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    int8_t a3;
    a3 = (int8_t)(v[2]);
    u128 a4;
    a4 = (u128)(v[3]);
    int32_t a5;
    a5 = (int32_t)(v[4]);
    int64_t r = ((__attribute__((ms_abi)) int64_t (*)(void *, void *, const u128 *, double, int32_t, const u128 *, int32_t, void *))entry)((void *)0x5ece1e5, c, &a1, a2, (int32_t)a3, &a4, a5, (void *)0x0b7105);
    return (u128)(i128)(r);
}

__attribute__((ms_abi)) i128 ms_callee3(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, i128 a7, int64_t a8, i128 a9) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(a7));
    h = mix(h, (u128)(i128)(a8));
    h = mix(h, (u128)(i128)(a9));
    ((wk_ctx *)a0)->hash = h;
    return (i128)(h);
}

u128 ms_caller3(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    i128 a7;
    a7 = (i128)(v[6]);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    i128 a9;
    a9 = (i128)(v[8]);
    i128 r = ((__attribute__((ms_abi)) i128 (*)(void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, i128, int64_t, i128))f)(c, a1, a2, a3, a4, a5, a6, a7, a8, a9);
    return (u128)(i128)(r);
}

u128 ms_fcaller3(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    i128 a7;
    a7 = (i128)(v[6]);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    i128 a9;
    a9 = (i128)(v[8]);
    i128 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, const i128 *, int64_t, const i128 *, i128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, a6, &a7, a8, &a9, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

__attribute__((ms_abi)) w0 ms_callee4(void * a0, int32_t a1, w0 a2, int8_t a3) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2.f0));
    h = mix(h, (u128)(i128)(a2.f1));
    h = mix(h, (u128)(i128)(a3));
    ((wk_ctx *)a0)->hash = h;
    w0 r;
    r.f0 = (int64_t)(h + 0);
    r.f1 = (i128)(h + 1);
    return r;
}

u128 ms_caller4(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    w0 a2;
    a2.f0 = (int64_t)(v[1]);
    a2.f1 = (i128)(v[2]);
    int8_t a3;
    a3 = (int8_t)(v[3]);
    w0 r = ((__attribute__((ms_abi)) w0 (*)(void *, int32_t, w0, int8_t))f)(c, a1, a2, a3);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

u128 ms_fcaller4(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    w0 a2;
    a2.f0 = (int64_t)(v[1]);
    a2.f1 = (i128)(v[2]);
    int8_t a3;
    a3 = (int8_t)(v[3]);
    w0 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, int32_t, const w0 *, int32_t, w0 *, void *))entry)((void *)0x5ece1e5, c, a1, &a2, (int32_t)a3, &r, (void *)0x0b7105);
    u128 h = 0;
    h = mix(h, (u128)(i128)(r.f0));
    h = mix(h, (u128)(i128)(r.f1));
    return h;
}

__attribute__((ms_abi)) long double ms_callee5(void * a0, long double a1) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    ((wk_ctx *)a0)->hash = h;
    return (long double)((int64_t)(h) >> 1);
}

u128 ms_caller5(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double r = ((__attribute__((ms_abi)) long double (*)(void *, long double))f)(c, a1);
    return (u128)(i128)(int64_t)(r);
}

u128 ms_fcaller5(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, const long double *, long double *, void *))entry)((void *)0x5ece1e5, c, &a1, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

__attribute__((ms_abi)) long double ms_callee6(void * a0, long double a1, long double a2, int32_t a3, long double a4) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    ((wk_ctx *)a0)->hash = h;
    return (long double)((int64_t)(h) >> 1);
}

u128 ms_caller6(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a3;
    a3 = (int32_t)(v[2]);
    long double a4;
    a4 = (long double)((int64_t)(v[3]) >> 1);
    long double r = ((__attribute__((ms_abi)) long double (*)(void *, long double, long double, int32_t, long double))f)(c, a1, a2, a3, a4);
    return (u128)(i128)(int64_t)(r);
}

u128 ms_fcaller6(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    int32_t a3;
    a3 = (int32_t)(v[2]);
    long double a4;
    a4 = (long double)((int64_t)(v[3]) >> 1);
    long double r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, const long double *, const long double *, int32_t, const long double *, long double *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, a3, &a4, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

__attribute__((ms_abi)) long double ms_callee7(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, long double a6, int64_t a7) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(a7));
    ((wk_ctx *)a0)->hash = h;
    return (long double)((int64_t)(h) >> 1);
}

u128 ms_caller7(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    long double a6;
    a6 = (long double)((int64_t)(v[5]) >> 1);
    int64_t a7;
    a7 = (int64_t)(v[6]);
    long double r = ((__attribute__((ms_abi)) long double (*)(void *, int64_t, int64_t, int64_t, int64_t, int64_t, long double, int64_t))f)(c, a1, a2, a3, a4, a5, a6, a7);
    return (u128)(i128)(int64_t)(r);
}

u128 ms_fcaller7(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    long double a6;
    a6 = (long double)((int64_t)(v[5]) >> 1);
    int64_t a7;
    a7 = (int64_t)(v[6]);
    long double r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, int64_t, const long double *, int64_t, long double *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, &a6, a7, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

__attribute__((ms_abi)) double ms_callee8(void * a0, int32_t a1, long double a2, double a3) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    ((wk_ctx *)a0)->hash = h;
    return (double)((int64_t)(h) >> 12);
}

u128 ms_caller8(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double r = ((__attribute__((ms_abi)) double (*)(void *, int32_t, long double, double))f)(c, a1, a2, a3);
    return (u128)(i128)(int64_t)(r);
}

u128 ms_fcaller8(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int32_t a1;
    a1 = (int32_t)(v[0]);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double r = ((__attribute__((ms_abi)) double (*)(void *, void *, int32_t, const long double *, double, void *))entry)((void *)0x5ece1e5, c, a1, &a2, a3, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

__attribute__((ms_abi)) q128 ms_callee9(void * a0, q128 a1, q128 a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    ((wk_ctx *)a0)->hash = h;
    return (q128)((int64_t)(h) >> 1);
}

u128 ms_caller9(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    q128 a1;
    a1 = (q128)((int64_t)(v[0]) >> 1);
    q128 a2;
    a2 = (q128)((int64_t)(v[1]) >> 1);
    q128 r = ((__attribute__((ms_abi)) q128 (*)(void *, q128, q128))f)(c, a1, a2);
    return (u128)(i128)(int64_t)(r);
}

u128 ms_fcaller9(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    q128 a1;
    a1 = (q128)((int64_t)(v[0]) >> 1);
    q128 a2;
    a2 = (q128)((int64_t)(v[1]) >> 1);
    q128 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, const q128 *, const q128 *, q128 *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

__attribute__((ms_abi)) q128 ms_callee10(void * a0, double a1, double a2, double a3, double a4, double a5, double a6, double a7, q128 a8, q128 a9, double a10) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(int64_t)(a4));
    h = mix(h, (u128)(i128)(int64_t)(a5));
    h = mix(h, (u128)(i128)(int64_t)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(int64_t)(a8));
    h = mix(h, (u128)(i128)(int64_t)(a9));
    h = mix(h, (u128)(i128)(int64_t)(a10));
    ((wk_ctx *)a0)->hash = h;
    return (q128)((int64_t)(h) >> 1);
}

u128 ms_caller10(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    double a1;
    a1 = (double)((int64_t)(v[0]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[3]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[4]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[5]) >> 12);
    double a7;
    a7 = (double)((int64_t)(v[6]) >> 12);
    q128 a8;
    a8 = (q128)((int64_t)(v[7]) >> 1);
    q128 a9;
    a9 = (q128)((int64_t)(v[8]) >> 1);
    double a10;
    a10 = (double)((int64_t)(v[9]) >> 12);
    q128 r = ((__attribute__((ms_abi)) q128 (*)(void *, double, double, double, double, double, double, double, q128, q128, double))f)(c, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10);
    return (u128)(i128)(int64_t)(r);
}

u128 ms_fcaller10(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    double a1;
    a1 = (double)((int64_t)(v[0]) >> 12);
    double a2;
    a2 = (double)((int64_t)(v[1]) >> 12);
    double a3;
    a3 = (double)((int64_t)(v[2]) >> 12);
    double a4;
    a4 = (double)((int64_t)(v[3]) >> 12);
    double a5;
    a5 = (double)((int64_t)(v[4]) >> 12);
    double a6;
    a6 = (double)((int64_t)(v[5]) >> 12);
    double a7;
    a7 = (double)((int64_t)(v[6]) >> 12);
    q128 a8;
    a8 = (q128)((int64_t)(v[7]) >> 1);
    q128 a9;
    a9 = (q128)((int64_t)(v[8]) >> 1);
    double a10;
    a10 = (double)((int64_t)(v[9]) >> 12);
    q128 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, double, double, double, double, double, double, double, const q128 *, const q128 *, double, q128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, a6, a7, &a8, &a9, a10, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

__attribute__((ms_abi)) q128 ms_callee11(void * a0, int64_t a1, int64_t a2, int64_t a3, int64_t a4, int64_t a5, int64_t a6, q128 a7, int64_t a8) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(a3));
    h = mix(h, (u128)(i128)(a4));
    h = mix(h, (u128)(i128)(a5));
    h = mix(h, (u128)(i128)(a6));
    h = mix(h, (u128)(i128)(int64_t)(a7));
    h = mix(h, (u128)(i128)(a8));
    ((wk_ctx *)a0)->hash = h;
    return (q128)((int64_t)(h) >> 1);
}

u128 ms_caller11(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    q128 a7;
    a7 = (q128)((int64_t)(v[6]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    q128 r = ((__attribute__((ms_abi)) q128 (*)(void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, q128, int64_t))f)(c, a1, a2, a3, a4, a5, a6, a7, a8);
    return (u128)(i128)(int64_t)(r);
}

u128 ms_fcaller11(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int64_t a1;
    a1 = (int64_t)(v[0]);
    int64_t a2;
    a2 = (int64_t)(v[1]);
    int64_t a3;
    a3 = (int64_t)(v[2]);
    int64_t a4;
    a4 = (int64_t)(v[3]);
    int64_t a5;
    a5 = (int64_t)(v[4]);
    int64_t a6;
    a6 = (int64_t)(v[5]);
    q128 a7;
    a7 = (q128)((int64_t)(v[6]) >> 1);
    int64_t a8;
    a8 = (int64_t)(v[7]);
    q128 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, const q128 *, int64_t, q128 *, void *))entry)((void *)0x5ece1e5, c, a1, a2, a3, a4, a5, a6, &a7, a8, &r, (void *)0x0b7105);
    return (u128)(i128)(int64_t)(r);
}

__attribute__((ms_abi)) w1 ms_callee12(void * a0, w1 a1, int32_t a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1.f0));
    h = mix(h, (u128)(i128)(a2));
    ((wk_ctx *)a0)->hash = h;
    w1 r;
    r.f0 = (long double)((int64_t)(h + 0) >> 1);
    return r;
}

u128 ms_caller12(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    w1 a1;
    a1.f0 = (long double)((int64_t)(v[0]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[1]);
    w1 r = ((__attribute__((ms_abi)) w1 (*)(void *, w1, int32_t))f)(c, a1, a2);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    return h;
}

u128 ms_fcaller12(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    w1 a1;
    a1.f0 = (long double)((int64_t)(v[0]) >> 1);
    int32_t a2;
    a2 = (int32_t)(v[1]);
    w1 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, const w1 *, int32_t, w1 *, void *))entry)((void *)0x5ece1e5, c, &a1, a2, &r, (void *)0x0b7105);
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(r.f0));
    return h;
}

__attribute__((ms_abi)) i128 ms_callee13(void * a0, float a1, long double a2, q128 a3, i128 a4) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(int64_t)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    h = mix(h, (u128)(i128)(a4));
    ((wk_ctx *)a0)->hash = h;
    return (i128)(h);
}

u128 ms_caller13(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    float a1;
    a1 = (float)((int64_t)(v[0]) >> 40);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    q128 a3;
    a3 = (q128)((int64_t)(v[2]) >> 1);
    i128 a4;
    a4 = (i128)(v[3]);
    i128 r = ((__attribute__((ms_abi)) i128 (*)(void *, float, long double, q128, i128))f)(c, a1, a2, a3, a4);
    return (u128)(i128)(r);
}

u128 ms_fcaller13(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    float a1;
    a1 = (float)((int64_t)(v[0]) >> 40);
    long double a2;
    a2 = (long double)((int64_t)(v[1]) >> 1);
    q128 a3;
    a3 = (q128)((int64_t)(v[2]) >> 1);
    i128 a4;
    a4 = (i128)(v[3]);
    i128 r;
    memset(&r, 0xa5, sizeof r);
    ((__attribute__((ms_abi)) void (*)(void *, void *, float, const long double *, const q128 *, const i128 *, i128 *, void *))entry)((void *)0x5ece1e5, c, a1, &a2, &a3, &a4, &r, (void *)0x0b7105);
    return (u128)(i128)(r);
}

__attribute__((ms_abi)) uint8_t ms_callee14(void * a0, int8_t a1, u128 a2, long double a3) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(a1));
    h = mix(h, (u128)(i128)(a2));
    h = mix(h, (u128)(i128)(int64_t)(a3));
    ((wk_ctx *)a0)->hash = h;
    return (uint8_t)(h);
}

u128 ms_caller14(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int8_t a1;
    a1 = (int8_t)(v[0]);
    u128 a2;
    a2 = (u128)(v[1]);
    long double a3;
    a3 = (long double)((int64_t)(v[2]) >> 1);
    uint8_t r = ((__attribute__((ms_abi)) uint8_t (*)(void *, int8_t, u128, long double))f)(c, a1, a2, a3);
    return (u128)(i128)(r);
}

u128 ms_fcaller14(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    int8_t a1;
    a1 = (int8_t)(v[0]);
    u128 a2;
    a2 = (u128)(v[1]);
    long double a3;
    a3 = (long double)((int64_t)(v[2]) >> 1);
    uint32_t r = ((__attribute__((ms_abi)) uint32_t (*)(void *, void *, int32_t, const u128 *, const long double *, void *))entry)((void *)0x5ece1e5, c, (int32_t)a1, &a2, &a3, (void *)0x0b7105);
    return (u128)(i128)(r);
}

__attribute__((ms_abi)) void ms_callee15(void * a0, long double a1, i128 a2) {
    note(a0, __builtin_frame_address(0));
    u128 h = 0;
    h = mix(h, (u128)(i128)(int64_t)(a1));
    h = mix(h, (u128)(i128)(a2));
    ((wk_ctx *)a0)->hash = h;
}

u128 ms_caller15(void *f, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    i128 a2;
    a2 = (i128)(v[1]);
    ((__attribute__((ms_abi)) void (*)(void *, long double, i128))f)(c, a1, a2);
    return ctx->hash;
}

u128 ms_fcaller15(void *entry, void *c, const u128 *v) {
    wk_ctx *ctx = c;
    ctx->caller_fp = (uintptr_t)__builtin_frame_address(0);
    ctx->hash = ~(u128)0;
    long double a1;
    a1 = (long double)((int64_t)(v[0]) >> 1);
    i128 a2;
    a2 = (i128)(v[1]);
    ((__attribute__((ms_abi)) void (*)(void *, void *, const long double *, const i128 *, void *))entry)((void *)0x5ece1e5, c, &a1, &a2, (void *)0x0b7105);
    return ctx->hash;
}

#endif

#if defined(WIDE_KINDS_TABLE)
/* The qemu harness's view: for signature N, the object springboard emitted holds
 * wkfN = fastcall(calleeN), wkenN = entry(calleeN), wkexN = exit(calleeN) (native
 * shapes), wkaeN = entry and wkaxN = exit (array shapes, wkaxN_entry its handler). */
typedef struct { void *handler; void *context; } wk_entry_t;
typedef void (*wk_array_entry_t)(void *callee, const uint64_t *args, void *result, size_t capacity);
typedef u128 (*wk_caller_t)(void *, void *, const u128 *);
typedef struct {
    int n, params;
    void *callee;
    wk_caller_t caller, fcaller;
    void *fast, *native_entry, *native_exit, *array_exit;
    wk_entry_t *array_exit_entry;
    wk_array_entry_t array_entry;
} wk_case;
extern char wkf0[], wken0[], wkex0[], wkax0[];
extern wk_entry_t wkax0_entry;
void wkae0(void *, const uint64_t *, void *, size_t);
extern char wkf1[], wken1[], wkex1[], wkax1[];
extern wk_entry_t wkax1_entry;
void wkae1(void *, const uint64_t *, void *, size_t);
extern char wkf2[], wken2[], wkex2[], wkax2[];
extern wk_entry_t wkax2_entry;
void wkae2(void *, const uint64_t *, void *, size_t);
extern char wkf3[], wken3[], wkex3[], wkax3[];
extern wk_entry_t wkax3_entry;
void wkae3(void *, const uint64_t *, void *, size_t);
extern char wkf4[], wken4[], wkex4[], wkax4[];
extern wk_entry_t wkax4_entry;
void wkae4(void *, const uint64_t *, void *, size_t);
extern char wkf5[], wken5[], wkex5[], wkax5[];
extern wk_entry_t wkax5_entry;
void wkae5(void *, const uint64_t *, void *, size_t);
extern char wkf6[], wken6[], wkex6[], wkax6[];
extern wk_entry_t wkax6_entry;
void wkae6(void *, const uint64_t *, void *, size_t);
extern char wkf7[], wken7[], wkex7[], wkax7[];
extern wk_entry_t wkax7_entry;
void wkae7(void *, const uint64_t *, void *, size_t);
extern char wkf8[], wken8[], wkex8[], wkax8[];
extern wk_entry_t wkax8_entry;
void wkae8(void *, const uint64_t *, void *, size_t);
extern char wkf9[], wken9[], wkex9[], wkax9[];
extern wk_entry_t wkax9_entry;
void wkae9(void *, const uint64_t *, void *, size_t);
extern char wkf10[], wken10[], wkex10[], wkax10[];
extern wk_entry_t wkax10_entry;
void wkae10(void *, const uint64_t *, void *, size_t);
extern char wkf11[], wken11[], wkex11[], wkax11[];
extern wk_entry_t wkax11_entry;
void wkae11(void *, const uint64_t *, void *, size_t);
extern char wkf12[], wken12[], wkex12[], wkax12[];
extern wk_entry_t wkax12_entry;
void wkae12(void *, const uint64_t *, void *, size_t);
extern char wkf13[], wken13[], wkex13[], wkax13[];
extern wk_entry_t wkax13_entry;
void wkae13(void *, const uint64_t *, void *, size_t);
extern char wkf14[], wken14[], wkex14[], wkax14[];
extern wk_entry_t wkax14_entry;
void wkae14(void *, const uint64_t *, void *, size_t);
extern char wkf15[], wken15[], wkex15[], wkax15[];
extern wk_entry_t wkax15_entry;
void wkae15(void *, const uint64_t *, void *, size_t);
static const wk_case wk_cases[] = {
    { 0, 3, (void *)callee0, caller0, fcaller0, wkf0, wken0, wkex0, wkax0, &wkax0_entry, wkae0 },
    { 1, 7, (void *)callee1, caller1, fcaller1, wkf1, wken1, wkex1, wkax1, &wkax1_entry, wkae1 },
    { 2, 6, (void *)callee2, caller2, fcaller2, wkf2, wken2, wkex2, wkax2, &wkax2_entry, wkae2 },
    { 3, 10, (void *)callee3, caller3, fcaller3, wkf3, wken3, wkex3, wkax3, &wkax3_entry, wkae3 },
    { 4, 4, (void *)callee4, caller4, fcaller4, wkf4, wken4, wkex4, wkax4, &wkax4_entry, wkae4 },
    { 5, 2, (void *)callee5, caller5, fcaller5, wkf5, wken5, wkex5, wkax5, &wkax5_entry, wkae5 },
    { 6, 5, (void *)callee6, caller6, fcaller6, wkf6, wken6, wkex6, wkax6, &wkax6_entry, wkae6 },
    { 7, 8, (void *)callee7, caller7, fcaller7, wkf7, wken7, wkex7, wkax7, &wkax7_entry, wkae7 },
    { 8, 4, (void *)callee8, caller8, fcaller8, wkf8, wken8, wkex8, wkax8, &wkax8_entry, wkae8 },
    { 9, 3, (void *)callee9, caller9, fcaller9, wkf9, wken9, wkex9, wkax9, &wkax9_entry, wkae9 },
    { 10, 11, (void *)callee10, caller10, fcaller10, wkf10, wken10, wkex10, wkax10, &wkax10_entry, wkae10 },
    { 11, 9, (void *)callee11, caller11, fcaller11, wkf11, wken11, wkex11, wkax11, &wkax11_entry, wkae11 },
    { 12, 3, (void *)callee12, caller12, fcaller12, wkf12, wken12, wkex12, wkax12, &wkax12_entry, wkae12 },
    { 13, 5, (void *)callee13, caller13, fcaller13, wkf13, wken13, wkex13, wkax13, &wkax13_entry, wkae13 },
    { 14, 4, (void *)callee14, caller14, fcaller14, wkf14, wken14, wkex14, wkax14, &wkax14_entry, wkae14 },
    { 15, 3, (void *)callee15, caller15, fcaller15, wkf15, wken15, wkex15, wkax15, &wkax15_entry, wkae15 },
};
#endif
