
#include <stdint.h>
typedef int32_t (*binary_fn)(int32_t, int32_t);
typedef int64_t (*mixed_fn)(int8_t, double, uint16_t, float, int64_t, int32_t, int32_t, int32_t, int32_t, double);

int32_t call_binary(binary_fn f, int32_t a, int32_t b) { return f(a, b); }

/* Calls f(i, i ^ seed) n times and folds the results. */
int64_t fold_binary(binary_fn f, int64_t n, int32_t seed) {
    int64_t acc = 0;
    for (int64_t i = 0; i < n; i++) acc = acc * 31 + f((int32_t)i, (int32_t)i ^ seed);
    return acc;
}

int64_t call_mixed(mixed_fn f) {
    return f(-5, 2.5, 65535, -0.75f, -1234567890123LL, 1, 2, 3, 4, 1e100);
}
