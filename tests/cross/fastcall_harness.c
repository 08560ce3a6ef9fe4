/* Harness for tests/cross_fastcall.rs: calls fast-call entries that springboard
 * emitted for aarch64-unknown-linux-gnu (entry convention AAPCS64) from gcc-compiled
 * C, under qemu-aarch64.
 *
 * tests/cross_fastcall.rs appends the generated part: one function per entry and
 * way of calling it (`clean`: through the entry's own prototype; `dirty`: through a
 * prototype that declares every 32-bit entry value as uint64_t, and every f32 as a
 * double, whose bits above the value are garbage), and the table `sbf_calls`, one
 * row per call with everything it must do.
 *
 * A call's target is either a gcc-compiled C function of tests/c/fastcall_callees.c
 * (AAPCS64 targets; it records every argument through fc_see and counts mismatches
 * with fc_expect), or, for Apple targets, the assembly probe `sbf_probe`: it records
 * x0-x8, d0-d7 and the first SBF_STACK bytes of its stack arguments, has
 * sbf_probe_check compare them with the row's places (the test's independent model of
 * Apple's convention: where each argument must be and its bytes there), then returns
 * the row's value in x0 and d0 with every other caller-saved register overwritten.
 *
 * Prints one `FAIL <call>: <problem>` line per problem and finally
 * `N passed, M failed`, counting calls; exits non-zero when a call failed. */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The target-side state (tests/cross/fastcall_prelude.c). */
struct fc_buffer {
    size_t length;
    void *data;
};
extern uint64_t fc_expect[32], fc_seen[32], fc_seen_count, fc_failures, fc_calls, fc_ret;
extern int64_t fc_first_bad;
extern uint64_t fc_fail_length, fc_sentinel, fc_convert_calls, fc_raise_calls;
extern void *fc_raise_options;

#define SBF_RECEIVER ((void *)(uintptr_t)0x0badcafe00001000ull)
#define SBF_OPTIONS ((void *)(uintptr_t)0x0091710500002000ull)
#define SBF_CANARY 0xccccccccccccccccull
/* Bytes of stack arguments the probe records. */
#define SBF_STACK 64
_Static_assert(SBF_STACK == 64, "sbf_probe copies 64 bytes");

/* Bytes that must be at a location when the probe is called. */
typedef struct {
    int16_t arg;          /* the target parameter */
    uint8_t kind;         /* 0 x register, 1 d register, 2 stack */
    uint16_t where;       /* register number or offset in the stack argument area */
    uint16_t size;
    const uint8_t *bytes;
    const uint8_t *mask;  /* 0: every byte counts */
} sbf_place_t;

typedef struct sbf_call {
    const char *name;
    /* Calls the entry; returns its result's bits (32-bit results zero-extended). */
    uint64_t (*call)(const struct sbf_call *c, void *out);
    int apple;                       /* the target is the probe */
    int options;                     /* the entry has an options pointer */
    int raise;                       /* a conversion fails: raise, never the target */
    uint32_t conversions;            /* converter calls expected */
    uint64_t sentinel;               /* the converter's failure value */
    const uint64_t *args;            /* entry values, by target parameter */
    const struct fc_buffer *buffers; /* descriptors of the buffer parameters, in order */
    uint32_t nseen;                  /* C target: what fc_see must record */
    const uint64_t *seen;
    uint32_t nplaces;                /* probe: where the arguments must be */
    const sbf_place_t *places;
    uint64_t callee_ret;             /* fc_ret, or what the probe returns in x0 and d0 */
    int result_kind;                 /* 0 none, 1 32 bits, 2 64 bits, 3 stored at out */
    uint64_t result;                 /* kind 3: what out must hold afterwards */
} sbf_call_t;

extern const sbf_call_t sbf_calls[];

static const sbf_call_t *sbf_current;
static int sbf_problems;

#define SBF_FAIL(...) do { \
    printf("FAIL %s: ", sbf_current->name); printf(__VA_ARGS__); printf("\n"); \
    sbf_problems++; \
} while (0)

static float sbf_f32(uint64_t bits) {
    uint32_t low = (uint32_t)bits;
    float value;
    memcpy(&value, &low, 4);
    return value;
}
static double sbf_f64(uint64_t bits) { double v; memcpy(&v, &bits, 8); return v; }
static uint64_t sbf_bits32(float value) { uint32_t b; memcpy(&b, &value, 4); return b; }
static uint64_t sbf_bits64(double value) { uint64_t b; memcpy(&b, &value, 8); return b; }

/* ---- The probe ---------------------------------------------------------------- */

/* A call's argument registers and stack arguments, as the probe found them. */
typedef struct { uint64_t x[9]; uint64_t d[8]; uint8_t stack[SBF_STACK]; } sbf_frame_t;
_Static_assert(offsetof(sbf_frame_t, d) == 72, "the probe's offsets");
_Static_assert(offsetof(sbf_frame_t, stack) == 136, "the probe's offsets");
sbf_frame_t sbf_seen;
uint64_t sbf_probe_return;
unsigned sbf_probe_calls;
void sbf_probe_check(void);

__asm__(
    "    .text\n"
    "    .p2align 2\n"
    "    .globl sbf_probe\n"
    "    .type sbf_probe, %function\n"
    "sbf_probe:\n"
    "    adrp x16, sbf_seen\n"
    "    add x16, x16, :lo12:sbf_seen\n"
    "    stp x0, x1, [x16, #0]\n"
    "    stp x2, x3, [x16, #16]\n"
    "    stp x4, x5, [x16, #32]\n"
    "    stp x6, x7, [x16, #48]\n"
    "    str x8, [x16, #64]\n"
    "    stp d0, d1, [x16, #72]\n"
    "    stp d2, d3, [x16, #88]\n"
    "    stp d4, d5, [x16, #104]\n"
    "    stp d6, d7, [x16, #120]\n"
    "    add x17, x16, #136\n"
    "    mov x9, sp\n"
    "    mov x10, #64\n"
    "1:  ldr x11, [x9], #8\n"
    "    str x11, [x17], #8\n"
    "    subs x10, x10, #8\n"
    "    b.ne 1b\n"
    "    stp x29, x30, [sp, #-16]!\n"
    "    mov x29, sp\n"
    "    bl sbf_probe_check\n"
    "    ldp x29, x30, [sp], #16\n"
    /* Garbage in every caller-saved register but the result's. */
    "    movz x1, #0x3c3c\n"
    "    movk x1, #0xc3c3, lsl #16\n"
    "    movk x1, #0x3c3c, lsl #32\n"
    "    movk x1, #0xc3c3, lsl #48\n"
    "    mov x2, x1\n    mov x3, x1\n    mov x4, x1\n    mov x5, x1\n"
    "    mov x6, x1\n    mov x7, x1\n    mov x8, x1\n    mov x9, x1\n"
    "    mov x10, x1\n    mov x11, x1\n    mov x12, x1\n    mov x13, x1\n"
    "    mov x14, x1\n    mov x15, x1\n    mov x17, x1\n"
    "    dup v1.2d, x1\n    dup v2.2d, x1\n    dup v3.2d, x1\n    dup v4.2d, x1\n"
    "    dup v5.2d, x1\n    dup v6.2d, x1\n    dup v7.2d, x1\n    dup v16.2d, x1\n"
    "    dup v17.2d, x1\n    dup v18.2d, x1\n    dup v19.2d, x1\n    dup v20.2d, x1\n"
    "    dup v21.2d, x1\n    dup v22.2d, x1\n    dup v23.2d, x1\n    dup v24.2d, x1\n"
    "    dup v25.2d, x1\n    dup v26.2d, x1\n    dup v27.2d, x1\n    dup v28.2d, x1\n"
    "    dup v29.2d, x1\n    dup v30.2d, x1\n    dup v31.2d, x1\n"
    "    adrp x16, sbf_probe_return\n"
    "    ldr x0, [x16, :lo12:sbf_probe_return]\n"
    "    fmov d0, x0\n"
    "    ret\n"
    "    .size sbf_probe, .-sbf_probe\n");

static void sbf_print_bytes(const uint8_t *p, size_t n) {
    for (size_t k = 0; k < n; k++) printf("%02x", p[k]);
}

/* The probe's C half: every place of the current call must hold its bytes. */
void sbf_probe_check(void) {
    const sbf_call_t *c = sbf_current;
    sbf_probe_calls++;
    for (uint32_t k = 0; k < c->nplaces; k++) {
        const sbf_place_t *p = &c->places[k];
        const uint8_t *at = p->kind == 0   ? (const uint8_t *)&sbf_seen.x[p->where]
                            : p->kind == 1 ? (const uint8_t *)&sbf_seen.d[p->where]
                                           : sbf_seen.stack + p->where;
        for (uint32_t b = 0; b < p->size; b++) {
            if ((!p->mask || p->mask[b]) && at[b] != p->bytes[b]) {
                printf("FAIL %s: argument %d in %s%u: got ", c->name, p->arg,
                       p->kind == 0 ? "x" : p->kind == 1 ? "d" : "stack+", p->where);
                sbf_print_bytes(at, p->size);
                printf(", expected ");
                sbf_print_bytes(p->bytes, p->size);
                printf(" (stack argument area: ");
                sbf_print_bytes(sbf_seen.stack, 48);
                printf(")\n");
                sbf_problems++;
                break;
            }
        }
    }
}

/* ---- The runner --------------------------------------------------------------- */

static void sbf_run(const sbf_call_t *c) {
    uint64_t out[4] = {SBF_CANARY, SBF_CANARY, SBF_CANARY, SBF_CANARY};
    for (uint32_t k = 0; k < 32; k++)
        fc_expect[k] = k < c->nseen ? c->seen[k] : 0xdead000000000000ull | k;
    fc_seen_count = fc_failures = fc_calls = fc_convert_calls = fc_raise_calls = 0;
    fc_first_bad = -1;
    fc_raise_options = (void *)(uintptr_t)0x1111;
    fc_ret = sbf_probe_return = c->callee_ret;
    fc_sentinel = c->sentinel;
    sbf_probe_calls = 0;

    uint64_t result = c->call(c, &out[1]);

    unsigned long long target_calls = c->apple ? sbf_probe_calls : fc_calls;
    if (c->apple && fc_calls)
        SBF_FAIL("a C target ran instead of the probe");
    if (!c->apple && sbf_probe_calls)
        SBF_FAIL("the probe ran instead of the C target");
    if (c->raise) {
        if (fc_raise_calls != 1)
            SBF_FAIL("raise was called %llu times, not once",
                     (unsigned long long)fc_raise_calls);
        void *options = c->options ? SBF_OPTIONS : 0;
        if (fc_raise_calls && fc_raise_options != options)
            SBF_FAIL("raise got options %p, not %p", fc_raise_options, options);
        if (target_calls)
            SBF_FAIL("the target ran %llu times after a failed conversion", target_calls);
    } else {
        if (fc_raise_calls)
            SBF_FAIL("raise was called %llu times", (unsigned long long)fc_raise_calls);
        if (target_calls != 1)
            SBF_FAIL("the target ran %llu times, not once", target_calls);
        if (!c->apple && fc_failures) {
            int64_t k = fc_first_bad;
            SBF_FAIL("the target saw %llu arguments wrong, the first argument %lld: "
                     "0x%llx, expected 0x%llx",
                     (unsigned long long)fc_failures, (long long)k,
                     (unsigned long long)(k >= 0 && k < 32 ? fc_seen[k] : 0),
                     (unsigned long long)(k >= 0 && k < 32 ? fc_expect[k] : 0));
        }
        if (!c->apple && fc_calls == 1 && fc_seen_count != c->nseen)
            SBF_FAIL("the target recorded %llu arguments, not %u",
                     (unsigned long long)fc_seen_count, c->nseen);
    }
    if (fc_convert_calls != c->conversions)
        SBF_FAIL("the converter ran %llu times, not %u", (unsigned long long)fc_convert_calls,
                 c->conversions);
    switch (c->result_kind) {
    case 1:
        if ((uint32_t)result != (uint32_t)c->result)
            SBF_FAIL("the entry returned 0x%08x, expected 0x%08x", (uint32_t)result,
                     (uint32_t)c->result);
        break;
    case 2:
        if (result != c->result)
            SBF_FAIL("the entry returned 0x%016llx, expected 0x%016llx",
                     (unsigned long long)result, (unsigned long long)c->result);
        break;
    case 3:
        if (out[1] != c->result)
            SBF_FAIL("out holds 0x%016llx, expected 0x%016llx", (unsigned long long)out[1],
                     (unsigned long long)c->result);
        break;
    }
    if (out[0] != SBF_CANARY || out[2] != SBF_CANARY || out[3] != SBF_CANARY)
        SBF_FAIL("bytes around the out place changed: %016llx %016llx %016llx",
                 (unsigned long long)out[0], (unsigned long long)out[2],
                 (unsigned long long)out[3]);
}

static void sbf_crash(int signal) {
    static const char crash[] = "CRASH in ";
    write(1, crash, sizeof crash - 1);
    if (sbf_current) write(1, sbf_current->name, strlen(sbf_current->name));
    write(1, "\n", 1);
    _exit(128 + signal);
}

int main(void) {
    static char crash_stack[1 << 16];
    stack_t alternate = {.ss_sp = crash_stack, .ss_size = sizeof crash_stack};
    struct sigaction action = {.sa_handler = sbf_crash, .sa_flags = SA_ONSTACK};
    long passed = 0, failed = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigaltstack(&alternate, NULL);
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    sigaction(SIGILL, &action, NULL);
    for (const sbf_call_t *c = sbf_calls; c->name; c++) {
        sbf_current = c;
        sbf_problems = 0;
        sbf_run(c);
        if (sbf_problems) failed++; else passed++;
    }
    printf("%ld passed, %ld failed\n", passed, failed);
    return failed != 0;
}

/* ---- Generated by tests/cross_fastcall.rs ------------------------------------- */
