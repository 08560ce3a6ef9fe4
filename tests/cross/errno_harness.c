/* tests/cross_errno.rs: errno downcalls emitted into an object, run under qemu.
   Each trampoline is `void t(void *callee, const uint64_t *args, void *result,
   int *errno_place)`; the callees below leave values in errno, and the harness does
   the "runtime work" (a failing close) after each call, as a runtime would. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef void trampoline(void *callee, const uint64_t *args, void *result, int *place);
extern trampoline sbe_capture, sbe_set_and_capture, sbe_struct, sbe_strtol,
    sbe_strtol_set, sbe_open, sbe_open_variadic;

int sb_fail_with(int code) {
    errno = code;
    return -1;
}

int sb_errno_plus(int add) {
    int seen = errno;
    errno = seen + add;
    return seen;
}

struct sb_three { long long a, b, c; };
struct sb_three sb_fail_struct(int code) {
    struct sb_three three = { code, 2 * code, 3 * code };
    errno = code;
    return three;
}

static int passed, failed;

static void check(int ok, const char *what, long long got, long long place) {
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s: result %lld, place %d\n", what, got, (int)place);
    }
}

#define UNTOUCHED (-12345)

int main(void) {
    uint64_t args[4], result[4];
    int place;

    args[0] = ENOENT;
    place = UNTOUCHED;
    sbe_capture((void *)sb_fail_with, args, result, &place);
    close(-1);
    check((int)result[0] == -1 && place == ENOENT && errno == EBADF,
          "capture survives the work after it", (int)result[0], place);

    args[0] = 3;
    place = 7;
    sbe_set_and_capture((void *)sb_errno_plus, args, result, &place);
    check((int)result[0] == 7 && place == 10, "set before, capture after",
          (int)result[0], place);

    args[0] = 5;
    place = UNTOUCHED;
    sbe_struct((void *)sb_fail_struct, args, result, &place);
    check(result[0] == 5 && result[1] == 10 && result[2] == 15 && place == 5,
          "struct result in memory", (long long)result[0], place);

    const char *digits = "99999999999999999999999";
    args[0] = (uint64_t)(uintptr_t)digits;
    args[1] = 0;
    args[2] = 10;
    place = UNTOUCHED;
    sbe_strtol((void *)strtol, args, result, &place);
    check((long)result[0] == LONG_MAX && place == ERANGE, "strtol overflow",
          (long long)result[0], place);
    args[0] = (uint64_t)(uintptr_t)"12345";
    place = 0;
    errno = ERANGE;
    sbe_strtol_set((void *)strtol, args, result, &place);
    check((long)result[0] == 12345 && place == 0, "strtol success, errno set to 0",
          (long long)result[0], place);

    args[0] = (uint64_t)(uintptr_t)"/nonexistent/springboard/errno";
    args[1] = O_RDONLY;
    args[2] = 0644;
    place = UNTOUCHED;
    sbe_open((void *)open, args, result, &place);
    check((int)result[0] == -1 && place == ENOENT, "open of a missing path",
          (int)result[0], place);
    place = UNTOUCHED;
    sbe_open_variadic((void *)open, args, result, &place);
    check((int)result[0] == -1 && place == ENOENT, "variadic open of a missing path",
          (int)result[0], place);

    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
