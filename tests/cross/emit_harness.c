/* Harness for tests/cross_emit.rs: links against the object `springboard emit` wrote
 * for aarch64-unknown-linux-gnu and checks, under qemu-aarch64:
 * - an AAPCS64 downcall with a narrow argument carrying garbage in its slot;
 * - an AAPCS64 callback taking an HFA {f32,f32,f32} and returning {f64,i64};
 * - an Apple downcall into an Apple callback whose handler is this C code, with
 *   eight i64 register arguments and then i8, i16, u8 packed on the stack
 *   (Apple's packing, caller-side extension, and the narrow-stack-argument bug).
 * - a fast call whose callee is the symbol c_mix: receiver dropped, u8 and i16
 *   narrowed from their 32-bit entry values, result widened to 32 bits;
 * - a native entry calling the symbol c_guest, which sees the entry SP/FP recorded.
 * Prints "ok" and exits 0 when every check passes. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
typedef struct { void *handler; void *context; } entry_t;
extern entry_t apple_cb_entry, sb_cb_entry;
void apple_down(void *callee, const uint64_t *args, void *result);
int8_t apple_cb(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int8_t, int16_t, uint8_t);
void sb_add(void *callee, const uint64_t *args, void *result);
typedef struct { double d; int64_t i; } di_t;
typedef struct { float a, b, c; } f3_t;
di_t sb_cb(int32_t, f3_t, int8_t);
static int failures;
int32_t fast_mix(void *receiver, uint32_t a, int32_t b, double c, void *options);
int32_t enter_guest(void *context, int32_t x);
int8_t c_mix(uint8_t a, int16_t b, double c) {
  if (a != 200 || b != -300 || c != 2.5) { printf("c_mix args %u %d %g\n", a, b, c); failures++; }
  return -7;
}
struct records { uintptr_t entry_sp, entry_fp, exit_fp, exit_pc; };
int32_t c_guest(struct records *context, int32_t x) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  /* The entry trampoline's frame lies above this one, its SP at or below its FP. */
  if (context->entry_fp <= here || context->entry_sp > context->entry_fp) {
    printf("entry records %lx %lx, guest frame %lx\n", (unsigned long)context->entry_sp,
           (unsigned long)context->entry_fp, (unsigned long)here);
    failures++;
  }
  return x * 3;
}
static int16_t add(int32_t a, int8_t b) { return (int16_t)(a + b); }
static void apple_handler(void *ctx, uint64_t *args, void *result) {
  for (int i = 0; i < 8; i++) if ((int64_t)args[i] != i * 1000 - 3) { printf("arg %d bad\n", i); failures++; }
  if ((int8_t)args[8] != -5) { printf("i8 bad %llx\n", (unsigned long long)args[8]); failures++; }
  if ((int16_t)args[9] != -300) { printf("i16 bad\n"); failures++; }
  if ((uint8_t)args[10] != 200) { printf("u8 bad\n"); failures++; }
  if (ctx != (void*)0x1234) failures++;
  *(uint64_t *)result = (uint64_t)(int8_t)-77;
}
static void sb_handler(void *ctx, uint64_t *args, void *result) {
  f3_t *s = (f3_t *)args[1];
  if ((int32_t)args[0] != -9 || s->a != 1.5f || s->b != -2.5f || s->c != 3.25f || (int8_t)args[2] != 7) { printf("sb_cb args bad\n"); failures++; }
  di_t r = { 6.5, -11 }; memcpy(result, &r, sizeof r);
}
int main(void) {
  uint64_t args[11]; uint64_t result = 0;
  for (int i = 0; i < 8; i++) args[i] = (uint64_t)(int64_t)(i * 1000 - 3);
  args[8] = 0xAAAAAAAAAAAAAAFBull; /* -5 with garbage */
  args[9] = 0xBBBBBBBBBBBBFED4ull; /* -300 */
  args[10] = 0xCCCCCCCCCCCCCCC8ull; /* 200 */
  apple_cb_entry.handler = (void*)apple_handler; apple_cb_entry.context = (void*)0x1234;
  apple_down((void*)apple_cb, args, &result);
  if ((int64_t)result != -77) { printf("apple result %lld\n", (long long)result); failures++; }
  uint64_t a2[2] = { 40, 0xFFFFFFFFFFFFFF02ull }; /* 40, 2 */
  sb_add((void*)add, a2, &result);
  if ((int64_t)result != 42) { printf("add %lld\n", (long long)result); failures++; }
  sb_cb_entry.handler = (void*)sb_handler;
  f3_t s = {1.5f, -2.5f, 3.25f};
  di_t r = sb_cb(-9, s, 7);
  if (r.d != 6.5 || r.i != -11) { printf("sb_cb result bad\n"); failures++; }
  if (fast_mix((void *)0x1, 200, -300, 2.5, 0) != -7) { printf("fast_mix result\n"); failures++; }
  struct records records = {0, 0, 0, 0};
  if (enter_guest(&records, 14) != 42) { printf("enter_guest result\n"); failures++; }
  if (records.entry_fp == 0) { printf("no entry FP recorded\n"); failures++; }
  printf("%s\n", failures ? "FAIL" : "ok");
  return failures != 0;
  return 0;
}
