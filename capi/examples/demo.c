/* libspringboard from C: a downcall of a C function, a callback passed to qsort,
 * a syntax error with its offset, and an emitted object. Prints what it checked. */
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
