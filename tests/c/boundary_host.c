
#pragma GCC optimize ("no-omit-frame-pointer", "no-optimize-sibling-calls", "no-inline")
#include <stdint.h>
#include <stddef.h>
typedef void (*entry_fn)(void *callee, const uint64_t *args, void *result, size_t capacity);

/* Enters the runtime through an array entry with (ctx, x) in `capacity` slots. */
int64_t host_enter(entry_fn entry, void *callee, void *ctx, int64_t x, size_t capacity,
                   void **host_fp) {
    uint64_t args[2] = { (uint64_t)ctx, (uint64_t)x };
    uint64_t result = 0;
    *host_fp = __builtin_frame_address(0);
    entry(callee, args, &result, capacity);
    return (int64_t)result;
}

typedef struct { int64_t a; double b; } pair_t;
typedef struct { int32_t a, b, c, d; int64_t e; } quad_t;
typedef struct { double x; int64_t y; int64_t z; } triple_t;
typedef triple_t (*native_fn)(void *ctx, pair_t p, quad_t q, int8_t k);

/* The native exit trampoline the C guest calls (set by the test). */
native_fn native_exit;

/* Runtime code for the native shapes: calls the host through the native exit. */
triple_t guest_native(void *ctx, pair_t p, quad_t q, int8_t k) {
    triple_t r = native_exit(ctx, p, q, k);
    r.z += 1;
    return r;
}

/* Enters the runtime through a native entry. */
triple_t host_native(native_fn entry, void *ctx, pair_t p, quad_t q, int8_t k, void **host_fp) {
    *host_fp = __builtin_frame_address(0);
    triple_t r = entry(ctx, p, q, k);
    r.y += 1;
    return r;
}
