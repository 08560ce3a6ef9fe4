/* Shared state of the fast-call targets, on the host (tests/fastcall.rs) and under
 * qemu-aarch64 (tests/cross_fastcall.rs); tests/c/fastcall_callees.c is compiled after
 * it.
 *
 * Before a call, the test stores what each argument must be (as the callee sees it,
 * in 64 bits: signed integers sign-extended, floats as their bits) in fc_expect and
 * what the callee returns in fc_ret / fc_ret_bytes. Each callee passes every
 * argument to fc_see, in order, which records it and counts mismatches. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

uint64_t fc_expect[32];
uint64_t fc_seen[32];
uint64_t fc_seen_count;
uint64_t fc_failures;
int64_t fc_first_bad = -1;
uint64_t fc_calls;
uint64_t fc_ret;
uint8_t fc_ret_bytes[32];

/* V8's FastApiTypedArray: the data pointer at offset 8, after the length. */
struct fc_buffer {
    size_t length;
    void *data;
};

/* Struct arguments and results. */
struct fc_pair {
    int32_t a, b;
};
struct fc_triple {
    double x, y, z;
};
struct fc_mix {
    uint8_t a;
    float b;
};
struct fc_floats {
    float a, b;
    double c;
};

/* The converter's failure marker and result, and the raise hook's record. */
uint64_t fc_fail_length = 0xfa11;
uint64_t fc_sentinel;
uint64_t fc_convert_calls;
uint64_t fc_raise_calls;
void *fc_raise_options;

static void fc_see(uint64_t value) {
    uint64_t index = fc_seen_count++;
    if (index < 32) fc_seen[index] = value;
    if (index >= 32 || value != fc_expect[index]) {
        if (fc_first_bad < 0)
            fc_first_bad = (int64_t)index;
        fc_failures++;
    }
}

static uint64_t fc_f32_bits(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

static uint64_t fc_f64_bits(double value) {
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

#define SEE_U(x) fc_see((uint64_t)(x))
#define SEE_S(x) fc_see((uint64_t)(int64_t)(x))
#define SEE_P(x) fc_see((uint64_t)(uintptr_t)(x))
#define SEE_F32(x) fc_see(fc_f32_bits(x))
#define SEE_F64(x) fc_see(fc_f64_bits(x))

#if defined(__x86_64__)
/* Overwrites every register the System V convention lets a callee clobber (and that
 * the Windows x64 one does not, xmm6-15, rsi, rdi), so that a trampoline keeping a
 * value in one across a call, or an entry failing to preserve them, shows. In an
 * ms_abi function gcc saves and restores the ones Windows x64 preserves. */
static void fc_trash_registers(void) {
    __asm__ volatile(
        "movabsq $0x5a5a5a5a5a5a5a5a, %%rcx\n\t"
        "movq %%rcx, %%rdx\n\t"
        "movq %%rcx, %%rsi\n\t"
        "movq %%rcx, %%rdi\n\t"
        "movq %%rcx, %%r8\n\t"
        "movq %%rcx, %%r9\n\t"
        "movq %%rcx, %%r10\n\t"
        "movq %%rcx, %%r11\n\t"
        "movq %%rcx, %%xmm0\n\t"
        "movq %%rcx, %%xmm1\n\t"
        "movq %%rcx, %%xmm2\n\t"
        "movq %%rcx, %%xmm3\n\t"
        "movq %%rcx, %%xmm4\n\t"
        "movq %%rcx, %%xmm5\n\t"
        "movq %%rcx, %%xmm6\n\t"
        "movq %%rcx, %%xmm7\n\t"
        "movq %%rcx, %%xmm8\n\t"
        "movq %%rcx, %%xmm9\n\t"
        "movq %%rcx, %%xmm10\n\t"
        "movq %%rcx, %%xmm11\n\t"
        "movq %%rcx, %%xmm12\n\t"
        "movq %%rcx, %%xmm13\n\t"
        "movq %%rcx, %%xmm14\n\t"
        "movq %%rcx, %%xmm15\n\t"
        :
        :
        : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0", "xmm1", "xmm2",
          "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
          "xmm12", "xmm13", "xmm14", "xmm15", "memory");
}
#elif defined(__aarch64__)
/* Overwrites the registers AAPCS64 lets a callee clobber (x9-x17 and every SIMD/FP
 * register's caller-saved part: v0-v7, v16-v31 whole, v8-v15 above their low 64
 * bits), so that a trampoline keeping a value in one across a call shows. */
static void fc_trash_registers(void) {
    __asm__ volatile(
        "movz x9, #0x5a5a\n\t"
        "movk x9, #0xa5a5, lsl #16\n\t"
        "movk x9, #0x5a5a, lsl #32\n\t"
        "movk x9, #0xa5a5, lsl #48\n\t"
        "mov x10, x9\n\t"
        "mov x11, x9\n\t"
        "mov x12, x9\n\t"
        "mov x13, x9\n\t"
        "mov x14, x9\n\t"
        "mov x15, x9\n\t"
        "mov x16, x9\n\t"
        "mov x17, x9\n\t"
        "dup v0.2d, x9\n\t"
        "dup v1.2d, x9\n\t"
        "dup v2.2d, x9\n\t"
        "dup v3.2d, x9\n\t"
        "dup v4.2d, x9\n\t"
        "dup v5.2d, x9\n\t"
        "dup v6.2d, x9\n\t"
        "dup v7.2d, x9\n\t"
        "dup v16.2d, x9\n\t"
        "dup v17.2d, x9\n\t"
        "dup v18.2d, x9\n\t"
        "dup v19.2d, x9\n\t"
        "dup v20.2d, x9\n\t"
        "dup v21.2d, x9\n\t"
        "dup v22.2d, x9\n\t"
        "dup v23.2d, x9\n\t"
        "dup v24.2d, x9\n\t"
        "dup v25.2d, x9\n\t"
        "dup v26.2d, x9\n\t"
        "dup v27.2d, x9\n\t"
        "dup v28.2d, x9\n\t"
        "dup v29.2d, x9\n\t"
        "dup v30.2d, x9\n\t"
        "dup v31.2d, x9\n\t"
        :
        :
        : "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "v0", "v1", "v2",
          "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20", "v21", "v22",
          "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", "memory");
}
#else
#error "fast-call targets for x86-64 and aarch64 only"
#endif

static double fc_ret_f64(void) {
    double value;
    memcpy(&value, &fc_ret, sizeof value);
    return value;
}

static float fc_ret_f32(void) {
    uint32_t bits = (uint32_t)fc_ret;
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static void fc_enter(void) {
    fc_calls++;
    fc_seen_count = 0;
    fc_trash_registers();
}

/* The buffer converter (platform C convention): the data pointer, or fc_sentinel for
 * a descriptor whose length is fc_fail_length. */
void *fc_convert(const struct fc_buffer *buffer) {
    fc_convert_calls++;
    fc_trash_registers();
    if (buffer->length == fc_fail_length)
        return (void *)(uintptr_t)fc_sentinel;
    return buffer->data;
}

/* The raise hook: records its options pointer, and leaves garbage in the result
 * registers (rax and xmm0, x0 and d0) so that the trampoline's zero result has to be
 * its own. */
uint64_t fc_raise(void *options) {
    fc_raise_calls++;
    fc_raise_options = options;
    fc_trash_registers();
    return 0x7777777777777777u;
}
