/* The first ffi_call of never-seen cifs through whichever libffi.so.8 this program is
 * linked with or given by LD_PRELOAD: the time from ffi_prep_cif to the end of that
 * signature's first call, and of a later call. Used by scripts/bench-first-call.sh
 * (BENCHMARKS.md, "Binding new signatures").
 *
 * Signature k takes one argument per digit of k + 1 in bijective base 4 (int64,
 * double, int32, pointer), so every k gives another parameter list. The callee takes
 * six integers and two doubles; the calls pass up to eight arguments of these classes
 * in registers and on the stack, which the callee ignores where it takes less (this
 * program measures, it checks nothing). */
#include <ffi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t callee(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                      double x, double y) {
    return a + b + c + d + e + f + (int64_t)(x + y);
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 1000;
    ffi_type *kinds[4] = {&ffi_type_sint64, &ffi_type_double, &ffi_type_sint32, &ffi_type_pointer};
    double *first = calloc(count, sizeof *first), *later = calloc(count, sizeof *later);
    int64_t i64 = 1, *ptr = &i64;
    int32_t i32 = 2;
    double dbl = 0.5;
    void *values[4] = {&i64, &dbl, &i32, &ptr};
    for (int k = 0; k < count; k++) {
        ffi_type **types = calloc(8, sizeof *types);
        void *args[8];
        unsigned n = 0;
        for (unsigned v = (unsigned)k + 1; v > 0 && n < 8; v = (v - 1) / 4) {
            types[n] = kinds[(v - 1) % 4];
            args[n] = values[(v - 1) % 4];
            n++;
        }
        ffi_cif *cif = malloc(sizeof *cif);
        int64_t result;
        double start = now_ns();
        if (ffi_prep_cif(cif, FFI_DEFAULT_ABI, n, &ffi_type_sint64, types) != FFI_OK) {
            fprintf(stderr, "prep_cif failed for signature %d\n", k);
            return 1;
        }
        ffi_call(cif, FFI_FN(callee), &result, args);
        double middle = now_ns();
        ffi_call(cif, FFI_FN(callee), &result, args);
        later[k] = now_ns() - middle;
        first[k] = middle - start;
    }
    qsort(first, count, sizeof *first, compare);
    qsort(later, count, sizeof *later, compare);
    printf("%d never-seen cifs: prep_cif + first ffi_call median %.0f ns (p90 %.0f), "
           "a second call median %.0f ns\n",
           count, first[count / 2], first[count * 9 / 10], later[count / 2]);
    return 0;
}
