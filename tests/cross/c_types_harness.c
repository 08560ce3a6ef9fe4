/* Harness for tests/cross_c_types.rs, linked with tests/c/c_types.c and the object
 * `springboard emit` wrote for the target (aarch64 or riscv64 Linux), run under qemu.
 * For each signature N of tests/c_types.rs the object has downN (a downcall) and cbN (a
 * callback). The chain under test is
 *   callerN (gcc) -> cbN (springboard) -> forward -> downN (springboard) -> calleeN (gcc)
 * so the callback must receive every argument where gcc put it and the downcall must
 * put it where gcc reads it (the handler clobbers the argument registers in between);
 * the result comes back the same way. The harness compares
 * that with callerN calling calleeN directly, for many value sets; then vdown, a
 * variadic downcall, against calling vsum directly. Prints "ok N" (the
 * number of comparisons) and exits 0 when all of them agree. */
#include <stdint.h>
#include <stdio.h>

typedef unsigned __int128 u128;
typedef struct { void *handler; void *context; } entry_t;
typedef void (*down_t)(void *callee, const uint64_t *args, void *result);

#define DECLARE(n)                                               \
    void down##n(void *, const uint64_t *, void *);              \
    extern entry_t cb##n##_entry;                                \
    extern char cb##n[], callee##n[];                            \
    u128 caller##n(void *f, const u128 *v);
DECLARE(0) DECLARE(1) DECLARE(2) DECLARE(3) DECLARE(4) DECLARE(5) DECLARE(6)
DECLARE(7) DECLARE(8) DECLARE(9) DECLARE(10) DECLARE(11) DECLARE(12) DECLARE(13)
DECLARE(14) DECLARE(15) DECLARE(16) DECLARE(17) DECLARE(18) DECLARE(19) DECLARE(20)
DECLARE(21) DECLARE(22) DECLARE(23) DECLARE(24) DECLARE(25) DECLARE(26) DECLARE(27)
DECLARE(28) DECLARE(29) DECLARE(30) DECLARE(31) DECLARE(32) DECLARE(33) DECLARE(34)

void vdown(void *, const uint64_t *, void *);
u128 vsum(int32_t n, ...);

struct chain { down_t down; void *callee; };

/* Puts other values in every integer and float argument register (and the return
 * registers), so that a value the callback left in a register cannot reach the callee
 * (or the caller) unless the trampolines move it there themselves. */
__attribute__((noinline)) static double clobber(int64_t a, int64_t b, int64_t c, int64_t d,
                                                int64_t e, int64_t f, int64_t g, int64_t h,
                                                double p, double q, double r, double s,
                                                double t, double u, double v, double w) {
    __asm__ volatile("" ::: "memory");
    return (double)(a ^ b ^ c ^ d ^ e ^ f ^ g ^ h) + p + q + r + s + t + u + v + w;
}

static volatile double sink;

/* The callback's handler: the argument array and result place go straight on to the
 * downcall (both kinds share the array layout), with the registers clobbered between
 * the two trampolines in both directions. */
static void forward(void *context, uint64_t *args, void *result) {
    struct chain *chain = context;
    sink = clobber(-1, -2, -3, -4, -5, -6, -7, -8, -1.5, -2.5, -3.5, -4.5, -5.5, -6.5, -7.5, -8.5);
    chain->down(chain->callee, args, result);
    sink = clobber(-9, -8, -7, -6, -5, -4, -3, -2, -9.5, -8.5, -7.5, -6.5, -5.5, -4.5, -3.5, -2.5);
}

struct item { int n; down_t down; entry_t *entry; void *cb; void *callee; u128 (*caller)(void *, const u128 *); };
#define ITEM(n) { n, down##n, &cb##n##_entry, cb##n, callee##n, caller##n },
static const struct item items[] = {
    ITEM(0) ITEM(1) ITEM(2) ITEM(3) ITEM(4) ITEM(5) ITEM(6) ITEM(7) ITEM(8) ITEM(9) ITEM(10)
    ITEM(11) ITEM(12) ITEM(13) ITEM(14) ITEM(15) ITEM(16) ITEM(17) ITEM(18) ITEM(19)
    ITEM(20) ITEM(21) ITEM(22) ITEM(23) ITEM(24) ITEM(25) ITEM(26) ITEM(27) ITEM(28)
    ITEM(29) ITEM(30) ITEM(31) ITEM(32) ITEM(33) ITEM(34)
};

static uint64_t state = 0x128;
static uint64_t next(void) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int main(void) {
    int failures = 0, checked = 0;
    for (unsigned i = 0; i < sizeof items / sizeof items[0]; i++) {
        const struct item *it = &items[i];
        struct chain chain = { it->down, it->callee };
        it->entry->handler = (void *)forward;
        it->entry->context = &chain;
        for (int round = 0; round < 50; round++) {
            u128 v[16];
            for (int k = 0; k < 16; k++) v[k] = ((u128)next() << 64) | next();
            u128 direct = it->caller(it->callee, v);
            u128 chained = it->caller(it->cb, v);
            if (direct != chained && failures++ < 12) {
                printf("signature %d round %d: %016llx%016llx through springboard, %016llx%016llx direct\n",
                       it->n, round, (unsigned long long)(chained >> 64), (unsigned long long)chained,
                       (unsigned long long)(direct >> 64), (unsigned long long)direct);
            } else if (direct != chained) {
                failures++;
            }
            checked++;
        }
    }
    /* The variadic downcall: slots n, then (int64, pointer to an __int128) pairs. */
    for (int round = 0; round < 50; round++) {
        u128 wide[5], expected;
        int64_t narrow[5];
        uint64_t args[11], result[2] = {0, 0};
        args[0] = 5;
        for (int k = 0; k < 5; k++) {
            narrow[k] = (int64_t)next();
            wide[k] = ((u128)next() << 64) | next();
            args[1 + 2 * k] = (uint64_t)narrow[k];
            args[2 + 2 * k] = (uint64_t)(uintptr_t)&wide[k];
        }
        expected = vsum(5, narrow[0], (__int128)wide[0], narrow[1], (__int128)wide[1], narrow[2],
                        (__int128)wide[2], narrow[3], (__int128)wide[3], narrow[4], (__int128)wide[4]);
        vdown((void *)vsum, args, result);
        u128 got = ((u128)result[1] << 64) | result[0];
        if (got != expected) {
            if (failures < 12) printf("variadic round %d differs\n", round);
            failures++;
        }
        checked++;
    }
    printf(failures ? "FAIL %d\n" : "ok %d\n", failures ? failures : checked);
    return failures != 0;
}
