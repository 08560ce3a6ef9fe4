/* Harness for tests/cross_emit.rs: links against the object `springboard emit` wrote
 * for aarch64-unknown-linux-gnu and checks, under qemu-aarch64:
 * - an AAPCS64 downcall with a narrow argument carrying garbage in its slot;
 * - an AAPCS64 callback taking an HFA {f32,f32,f32} and returning {f64,i64};
 * - an Apple downcall into an Apple callback whose handler is this C code, with
 *   eight i64 register arguments and then i8, i16, u8 packed on the stack
 *   (Apple's packing, caller-side extension, and the narrow-stack-argument bug).
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
  printf("%s\n", failures ? "FAIL" : "ok");
  return failures != 0;
  return 0;
}
