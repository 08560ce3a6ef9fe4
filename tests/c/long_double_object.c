/* Harness for tests/long_double_object.rs, linked with the object `springboard emit`
 * wrote for x86_64-unknown-linux-gnu: the chain
 *   main -> cb (springboard callback) -> forward -> down (springboard downcall) -> callee
 * for `long double callee(long double, int64_t, long double)` (st0 results on both sides,
 * memory-class arguments) and for a struct of one long double (returned in st0 too),
 * compared with calling the callees directly. The object defines the x87 shims itself.
 * Prints "ok N" and exits 0 when every comparison agrees. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { void *handler; void *context; } entry_t;
typedef void (*down_t)(void *callee, const uint64_t *args, void *result);
typedef struct { long double x; } wrapped;

void down(void *, const uint64_t *, void *);
void downs(void *, const uint64_t *, void *);
extern entry_t cb_entry, cbs_entry;
extern char cb[], cbs[];

static long double callee(long double a, int64_t k, long double b) { return a * 3 - b + k; }
static wrapped callee_s(wrapped a, int32_t k) { wrapped r = { a.x / 4 + k }; return r; }

struct chain { down_t down; void *callee; };

static void forward(void *context, uint64_t *args, void *result) {
    struct chain *chain = context;
    chain->down(chain->callee, args, result);
}

int main(void) {
    struct chain c1 = { down, (void *)callee }, c2 = { downs, (void *)callee_s };
    cb_entry.handler = (void *)forward; cb_entry.context = &c1;
    cbs_entry.handler = (void *)forward; cbs_entry.context = &c2;
    long double (*f)(long double, int64_t, long double) = (void *)cb;
    wrapped (*g)(wrapped, int32_t) = (void *)cbs;
    int checked = 0, failures = 0;
    for (int i = 0; i < 100; i++) {
        long double a = 1.0L / (i + 3), b = (long double)i * 1e300L;
        long double got = f(a, i - 50, b), want = callee(a, i - 50, b);
        failures += memcmp(&got, &want, 10) != 0;
        wrapped w = { a * i }, gs = g(w, i), ws = callee_s(w, i);
        failures += memcmp(&gs.x, &ws.x, 10) != 0;
        checked += 2;
    }
    if (failures) { printf("FAIL %d of %d\n", failures, checked); return 1; }
    printf("ok %d\n", checked);
    return 0;
}
