/* Callees for tests/errno.rs: C functions that leave a value in errno. */
#include <errno.h>

/* Fails the way C library functions do: errno set, -1 returned. */
int sb_fail_with(int code) {
    errno = code;
    return -1;
}

/* The same in the Windows x64 convention (gcc's ms_abi). */
__attribute__((ms_abi)) int sb_fail_with_ms(int code) {
    errno = code;
    return -1;
}

/* Returns the errno it was called with and leaves that plus `add` in errno. */
int sb_errno_plus(int add) {
    int seen = errno;
    errno = seen + add;
    return seen;
}

/* Sets errno and returns a struct in memory (through the result pointer). */
struct sb_three { long long a, b, c; };
struct sb_three sb_fail_struct(int code) {
    struct sb_three three = { code, 2 * code, 3 * code };
    errno = code;
    return three;
}

/* What a runtime's own work does to errno between a call and its reading of it:
   a failing system call (here one that reports EBADF). */
#include <unistd.h>
int sb_runtime_work(void) {
    return close(-1);
}
