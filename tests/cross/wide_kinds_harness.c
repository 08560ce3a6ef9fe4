/* Harness for tests/cross_wide_kinds.rs: fast calls and boundaries with __int128 and
 * long double (binary128) values on aarch64 or riscv64 Linux, under qemu. Built as one
 * unit with tests/c/wide_kinds.c (its callees, callers and the table of the object's
 * trampolines) and linked with the object springboard emitted for the target: for
 * signature N, wkfN = fastcall(calleeN), wkenN/wkexN = native entry/exit calling
 * calleeN, wkaeN/wkaxN = array entry/exit.
 *
 * Each round calls calleeN directly through callerN (both gcc's: the reference), then
 * through the fast call (fcallerN, the entry's layout), the native entry, the native
 * exit, and the array exit whose handler hands its argument array and result place to
 * the array entry of calleeN; each result must equal the direct one. The records the
 * callee saw must describe the frames: an exit's FP is callerN's frame and its PC
 * returns into callerN; the callee's frame links to the entry FP, the entry SP lies
 * between the two, and a native entry's frame record links to callerN's frame and
 * returns into it. Prints one FAIL line per failed check (the first 20) and finally
 * "N passed, M failed". */
#define _GNU_SOURCE
#define WIDE_KINDS_TABLE
#include <dlfcn.h>
#include <stdio.h>
#include "../c/wide_kinds.c"

static int passed, failed;

#define CHECK(cond, ...)                                        \
    do {                                                        \
        if (cond) {                                             \
            passed++;                                           \
        } else if (failed++ < 20) {                             \
            printf("FAIL line %d (%s): ", __LINE__, #cond);     \
            printf(__VA_ARGS__);                                \
            printf("\n");                                       \
        }                                                       \
    } while (0)

/* 1 when the return address `pc` lies in the function called `name`. */
static int returns_into(uintptr_t pc, const char *name) {
    Dl_info info;
    if (pc == 0 || !dladdr((void *)(pc - 1), &info) || !info.dli_sname) return 0;
    return strcmp(info.dli_sname, name) == 0 && (uintptr_t)info.dli_saddr < pc;
}

struct chain { wk_array_entry_t entry; void *callee; size_t capacity; };

/* The array exit's handler: on to the array entry with the same array and place. */
static void forward(void *context, uint64_t *args, void *result) {
    struct chain *chain = context;
    chain->entry(chain->callee, args, result, chain->capacity);
}

static void reset(wk_ctx *ctx) {
    memset(ctx, 0, sizeof *ctx);
    ctx->entry_sp = ctx->entry_fp = ctx->exit_fp = ctx->exit_pc = WK_UNTOUCHED;
}

static void check_exit(const wk_ctx *ctx, const char *caller, int n, int round) {
    CHECK(ctx->seen[2] == ctx->caller_fp, "%d/%d: exit FP %lx, caller's frame %lx", n, round,
          (unsigned long)ctx->seen[2], (unsigned long)ctx->caller_fp);
    CHECK(returns_into(ctx->seen[3], caller), "%d/%d: exit PC %lx not in %s", n, round,
          (unsigned long)ctx->seen[3], caller);
}

static void check_entry(const wk_ctx *ctx, int n, int round) {
    CHECK(ctx->callee_link == ctx->seen[1], "%d/%d: callee links to %lx, entry FP %lx", n,
          round, (unsigned long)ctx->callee_link, (unsigned long)ctx->seen[1]);
    CHECK(ctx->callee_fp <= ctx->seen[0] && ctx->seen[0] <= ctx->seen[1],
          "%d/%d: entry SP %lx not between the callee's frame %lx and the entry FP %lx", n,
          round, (unsigned long)ctx->seen[0], (unsigned long)ctx->callee_fp,
          (unsigned long)ctx->seen[1]);
}

static uint64_t state = 0x80f;
static uint64_t next(void) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#define ROUNDS 30

int main(void) {
    wk_ctx ctx;
    for (unsigned i = 0; i < sizeof wk_cases / sizeof wk_cases[0]; i++) {
        const wk_case *c = &wk_cases[i];
        struct chain chain = { c->array_entry, c->callee, (size_t)c->params };
        c->array_exit_entry->handler = (void *)forward;
        c->array_exit_entry->context = &chain;
        char caller[32];
        snprintf(caller, sizeof caller, "caller%d", c->n);
        for (int round = 0; round < ROUNDS; round++) {
            u128 v[16];
            for (int k = 0; k < 16; k++) v[k] = ((u128)next() << 64) | next();
            reset(&ctx);
            u128 direct = c->caller(c->callee, &ctx, v);

            reset(&ctx);
            CHECK(c->fcaller(c->fast, &ctx, v) == direct, "%d/%d: fast call", c->n, round);

            reset(&ctx);
            CHECK(c->caller(c->native_entry, &ctx, v) == direct, "%d/%d: native entry", c->n, round);
            check_entry(&ctx, c->n, round);
            CHECK(ctx.entry_link == ctx.caller_fp, "%d/%d: native entry links to %lx", c->n,
                  round, (unsigned long)ctx.entry_link);
            CHECK(returns_into(ctx.entry_return, caller), "%d/%d: native entry returns to %lx",
                  c->n, round, (unsigned long)ctx.entry_return);

            reset(&ctx);
            CHECK(c->caller(c->native_exit, &ctx, v) == direct, "%d/%d: native exit", c->n, round);
            check_exit(&ctx, caller, c->n, round);

            reset(&ctx);
            CHECK(c->caller(c->array_exit, &ctx, v) == direct, "%d/%d: array exit and entry",
                  c->n, round);
            check_exit(&ctx, caller, c->n, round);
            check_entry(&ctx, c->n, round);
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
