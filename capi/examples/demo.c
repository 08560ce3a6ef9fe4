/* libspringboard from C: a downcall of a C function, a callback passed to qsort,
 * a fast call, the four boundary shapes, a syntax error with its offset, and an
 * emitted object. Prints what it checked. */
#include <springboard.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int64_t mix(int32_t a, double b, int64_t c) { return a * 100 + (int64_t)b + c; }

static void compare(void *context, sb_slot *args, sb_slot *result) {
  int a = *(const int *)args[0].ptr, b = *(const int *)args[1].ptr;
  ++*(int *)context;
  result->i32 = (a > b) - (a < b);
}

static int32_t add(int32_t a, int32_t b) { return a + b; }
static int32_t bump(void *context, int32_t x) { (void)context; return x + 1; }

static void bump_handler(void *context, sb_slot *args, sb_slot *result) {
  (void)context;
  result->i64 = args[1].i32 + 1;
}

#define EXPECT(c) do { if (!(c)) { fprintf(stderr, "failed: %s\n", #c); return 1; } } while (0)

int main(void) {
  char *error = NULL;
  size_t offset = 0;
  sb_engine *engine = sb_engine_new(&error);
  EXPECT(engine != NULL);

  sb_signature *bad = sb_signature_parse("(i32, i33) -> i64", &error, &offset);
  EXPECT(bad == NULL && error != NULL);
  printf("error at %zu: %s\n", offset, error);
  sb_string_free(error);
  error = NULL;

  sb_signature *sig = sb_signature_parse("(i32, f64, i64) -> i64", &error, NULL);
  EXPECT(sig != NULL);
  sb_downcall *down = sb_downcall_new(engine, sig, &error);
  EXPECT(down != NULL);
  sb_slot args[3], result;
  memset(args, 0xAB, sizeof args); /* bytes beyond each value are ignored */
  args[0].i32 = 7;
  args[1].f64 = 2.5;
  args[2].i64 = -1000;
  sb_downcall_raw(down)((const void *)mix, args, &result);
  printf("downcall %lld\n", (long long)result.i64);
  EXPECT(result.i64 == -298);

  sb_signature *cmp = sb_signature_parse("(ptr, ptr) -> i32", &error, NULL);
  int calls = 0;
  sb_callback *cb = sb_callback_new(engine, cmp, compare, &calls, &error);
  EXPECT(cb != NULL);
  int values[] = {5, -3, 9, 0, 2};
  qsort(values, 5, sizeof(int), (int (*)(const void *, const void *))sb_callback_code(cb));
  printf("sorted %d %d %d %d %d after %d calls\n", values[0], values[1], values[2], values[3],
         values[4], calls);
  EXPECT(values[0] == -3 && values[4] == 9 && calls > 0);

  sb_signature *pair = sb_signature_parse("(i32, i32) -> i32", &error, NULL);
  sb_native *fast = sb_fast_call_new(engine, pair, (const void *)add, 1, &error);
  EXPECT(fast != NULL);
  /* entry(receiver, a, b, options) */
  int32_t (*fast_add)(void *, int32_t, int32_t, void *) =
      (int32_t (*)(void *, int32_t, int32_t, void *))sb_native_code(fast);
  printf("fast call %d\n", fast_add(NULL, 40, 2, NULL));
  EXPECT(fast_add(NULL, 40, 2, NULL) == 42);

  /* Boundaries: the context's words 0-1 get the entry SP/FP, 2-3 the exit FP/PC. */
  sb_signature *ctx_sig = sb_signature_parse("(ptr, i32) -> i32", &error, NULL);
  uint64_t ctx[4] = {0, 0, 0, 0};
  sb_native *entry = sb_native_boundary_new(engine, ctx_sig, SB_ENTRY, (const void *)bump, &error);
  sb_native *exit_ = sb_native_boundary_new(engine, ctx_sig, SB_EXIT, (const void *)bump, &error);
  EXPECT(entry != NULL && exit_ != NULL);
  EXPECT(sb_native_boundary_new(engine, ctx_sig, 7, (const void *)bump, &error) == NULL);
  sb_string_free(error);
  error = NULL;
  int32_t (*native)(void *, int32_t) = (int32_t (*)(void *, int32_t))sb_native_code(entry);
  EXPECT(native(ctx, 41) == 42 && ctx[0] != 0 && ctx[1] != 0 && ctx[2] == 0);
  native = (int32_t (*)(void *, int32_t))sb_native_code(exit_);
  EXPECT(native(ctx, 41) == 42 && ctx[2] != 0 && ctx[3] != 0);
  memset(ctx, 0, sizeof ctx);
  sb_array_entry *array_entry = sb_array_entry_new(engine, ctx_sig, &error);
  EXPECT(array_entry != NULL);
  sb_slot entry_args[2];
  entry_args[0].ptr = ctx;
  entry_args[1].i32 = 41;
  sb_array_entry_raw(array_entry)((const void *)bump, entry_args, &result, 2);
  EXPECT(result.i32 == 42 && ctx[0] != 0 && ctx[1] != 0);
  sb_callback *array_exit = sb_array_exit_new(engine, ctx_sig, bump_handler, NULL, &error);
  EXPECT(array_exit != NULL);
  native = (int32_t (*)(void *, int32_t))sb_callback_code(array_exit);
  EXPECT(native(ctx, 41) == 42 && ctx[2] != 0 && ctx[3] != 0);
  printf("boundaries recorded\n");
  sb_callback_free(array_exit);
  sb_array_entry_free(array_entry);
  sb_native_free(exit_);
  sb_native_free(entry);
  sb_native_free(fast);
  sb_signature_free(ctx_sig);
  sb_signature_free(pair);

  const char *items[] = {"add=downcall:(i32, i32) -> i32"};
  uint8_t *object = NULL;
  size_t len = 0;
  EXPECT(sb_emit_object("aarch64-unknown-linux-gnu", items, 1, &object, &len, &error) == 0);
  EXPECT(len > 4 && memcmp(object, "\177ELF", 4) == 0);
  printf("object %s\n", len > 0 ? "ELF" : "none");
  sb_bytes_free(object, len);

  sb_callback_free(cb);
  sb_signature_free(cmp);
  sb_downcall_free(down);
  sb_signature_free(sig);
  sb_signature_free(bad);
  sb_engine_free(engine);
  printf("springboard %s\n", sb_version());
  return 0;
}
