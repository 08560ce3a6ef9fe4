/* Narrow integer results through ffi_call and closures: libffi widens an integral
 * result narrower than ffi_arg to a whole ffi_arg, sign- or zero-extended by its type,
 * and reads a closure's result the same way. Prints one line per check and exits
 * non-zero on the first wrong bit pattern. */
#include <ffi.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int8_t minus_one_s8(void) { return -1; }
static uint8_t max_u8(void) { return 0xff; }
static int16_t minus_two_s16(void) { return -2; }
static uint16_t max_u16(void) { return 0xffff; }
static int32_t minus_three_s32(void) { return -3; }
static uint32_t max_u32(void) { return 0xffffffffu; }

static int check_call(const char *name, ffi_type *type, void (*fn)(void), ffi_arg expected) {
  ffi_cif cif;
  if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, 0, type, NULL) != FFI_OK) {
    printf("%s: prep failed\n", name);
    return 1;
  }
  ffi_arg result;
  memset(&result, 0x5a, sizeof result);
  ffi_call(&cif, fn, &result, NULL);
  printf("call %s %#llx\n", name, (unsigned long long)result);
  return result != expected;
}

/* The closure handler writes the narrow value into a whole ffi_arg, as libffi's
 * documentation asks; the C caller's view of the returned value is then checked. */
static void handler(ffi_cif *cif, void *ret, void **args, void *data) {
  (void)cif;
  (void)args;
  *(ffi_arg *)ret = (ffi_arg)(intptr_t)data;
}

static int check_closure(void) {
  ffi_cif cif;
  void *code;
  ffi_closure *closure = ffi_closure_alloc(sizeof(ffi_closure), &code);
  if (closure == NULL || ffi_prep_cif(&cif, FFI_DEFAULT_ABI, 0, &ffi_type_sint8, NULL) != FFI_OK ||
      ffi_prep_closure_loc(closure, &cif, handler, (void *)(intptr_t)-5, code) != FFI_OK) {
    printf("closure: set-up failed\n");
    return 1;
  }
  int8_t (*s8)(void) = (int8_t(*)(void))code;
  int widened = s8();
  printf("closure sint8 %d\n", widened);
  ffi_closure_free(closure);
  return widened != -5;
}

int main(void) {
  int failures = 0;
  failures += check_call("sint8", &ffi_type_sint8, (void (*)(void))minus_one_s8, (ffi_arg)-1);
  failures += check_call("uint8", &ffi_type_uint8, (void (*)(void))max_u8, 0xff);
  failures += check_call("sint16", &ffi_type_sint16, (void (*)(void))minus_two_s16, (ffi_arg)-2);
  failures += check_call("uint16", &ffi_type_uint16, (void (*)(void))max_u16, 0xffff);
  failures += check_call("sint32", &ffi_type_sint32, (void (*)(void))minus_three_s32, (ffi_arg)-3);
  failures += check_call("uint32", &ffi_type_uint32, (void (*)(void))max_u32, 0xffffffffu);
  failures += check_closure();
  printf("failures %d\n", failures);
  return failures != 0;
}
