/* Harness for tests/cross_boundary.rs: boundary trampolines on aarch64 Linux, under
 * qemu-aarch64. Links against an object springboard emitted for
 * aarch64-unknown-linux-gnu holding
 *   sb_enter        = entry:(ptr, i64) -> i64            array entry, standard records
 *   sb_exit         = exit:(ptr, i64) -> i64             array exit (sb_exit_entry)
 *   sb_enter_native = entry(guest_native):NATIVE         native entry calling guest_native
 *   sb_exit_native  = exit(host_import):NATIVE           native exit calling host_import
 * with NATIVE = (ptr, {i64, f64}, {i32, i32, i32, i32, i64}, i8) -> {f64, i64, i64}.
 *
 * Built with frame pointers and -rdynamic, so that dladdr names every function a
 * return address lies in (the trampolines are exported symbols too). From the
 * records alone, every handler walks the AAPCS64 frame records ([fp] = caller's fp,
 * [fp + 8] = return address) from the exit FP and checks: the exit PC is in the guest
 * that called the exit; each guest frame returns into the next guest out and the
 * outermost into the entry trampoline, whose FP is the entry FP; [entry_fp + 8]
 * returns into the host caller and [entry_fp] is its frame; the guest frames lie
 * below the entry SP, the entry SP at or below the entry FP, that below the host's
 * frame. Nested entries (the handler re-enters) save the records first and restore
 * them afterwards, as a runtime must; each level checks its walk before and after.
 *
 * Prints one FAIL line per failed check and finally "N passed, M failed". */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { void *handler; void *context; } entry_t;

/* The runtime context: the standard records at 0, 8, 16, 24. */
typedef struct {
  uintptr_t entry_sp, entry_fp, exit_fp, exit_pc;
} context_t;

typedef struct { int64_t a; double b; } pair_t;
typedef struct { int32_t a, b, c, d; int64_t e; } quad_t;
typedef struct { double x; int64_t y; int64_t z; } triple_t;

extern entry_t sb_exit_entry;
void sb_enter(void *callee, const uint64_t *args, void *result, size_t capacity);
int64_t sb_exit(context_t *ctx, int64_t x);
triple_t sb_enter_native(context_t *ctx, pair_t p, quad_t q, int8_t k);
triple_t sb_exit_native(context_t *ctx, pair_t p, quad_t q, int8_t k);

static int passed, failed;

#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (cond) {                                            \
      passed++;                                            \
    } else {                                               \
      failed++;                                            \
      printf("FAIL line %d (%s): ", __LINE__, #cond);      \
      printf(__VA_ARGS__);                                 \
      printf("\n");                                        \
    }                                                      \
  } while (0)

/* 1 when the return address `pc` lies in the function called `name`. */
int returns_into(uintptr_t pc, const char *name) {
  Dl_info info;
  if (pc == 0 || !dladdr((void *)(pc - 1), &info) || !info.dli_sname) return 0;
  return strcmp(info.dli_sname, name) == 0 && (uintptr_t)info.dli_saddr < pc;
}

const char *name_of(uintptr_t pc) {
  Dl_info info;
  if (pc == 0 || !dladdr((void *)(pc - 1), &info) || !info.dli_sname) return "?";
  return info.dli_sname;
}

#define MAX_FRAMES 8
typedef struct {
  context_t records;
  int frames;
  uintptr_t fp[MAX_FRAMES], ra[MAX_FRAMES];
  int reached_entry;
  uintptr_t host_ra, host_fp;
} walk_t;

/* Walks from the exit FP until the entry FP; stops early when the chain does not
 * grow upwards, so that wrong records fail checks instead of crashing. */
walk_t walk(const context_t *records) {
  walk_t w;
  memset(&w, 0, sizeof w);
  w.records = *records;
  uintptr_t fp = records->exit_fp;
  while (fp != 0 && fp % 8 == 0 && fp < records->entry_fp && w.frames < MAX_FRAMES) {
    w.fp[w.frames] = fp;
    w.ra[w.frames] = ((uintptr_t *)fp)[1];
    w.frames++;
    uintptr_t next = ((uintptr_t *)fp)[0];
    if (next <= fp) break;
    fp = next;
    if (fp == records->entry_fp) {
      w.reached_entry = 1;
      break;
    }
  }
  if (records->entry_fp != 0 && records->entry_fp % 8 == 0) {
    w.host_ra = ((uintptr_t *)records->entry_fp)[1];
    w.host_fp = ((uintptr_t *)records->entry_fp)[0];
  }
  return w;
}

/* Checks a walk: `guests` innermost first, then the entry trampoline and host. */
void check_walk(const walk_t *w, const char *what, const char *const *guests, int count,
                const char *entry, const char *host, uintptr_t host_fp) {
  const context_t *r = &w->records;
  CHECK(returns_into(r->exit_pc, guests[0]), "%s: exit PC %#lx in %s, not %s", what,
        (unsigned long)r->exit_pc, name_of(r->exit_pc), guests[0]);
  CHECK(w->reached_entry, "%s: the chain from the exit FP never reached the entry FP", what);
  CHECK(w->frames == count, "%s: %d frames, not %d", what, w->frames, count);
  CHECK(w->frames > 0 && w->fp[0] == r->exit_fp, "%s: the walk does not start at the exit FP", what);
  for (int i = 0; i < w->frames && i < count; i++) {
    const char *caller = i + 1 < count ? guests[i + 1] : entry;
    CHECK(returns_into(w->ra[i], caller), "%s: frame %d returns into %s, not %s", what, i,
          name_of(w->ra[i]), caller);
    CHECK(w->fp[i] < r->entry_sp, "%s: guest frame %d not below the entry SP", what, i);
  }
  CHECK(r->entry_sp <= r->entry_fp, "%s: entry SP %#lx above entry FP %#lx", what,
        (unsigned long)r->entry_sp, (unsigned long)r->entry_fp);
  CHECK(r->entry_fp < host_fp, "%s: entry FP not below the host caller's frame", what);
  CHECK(returns_into(w->host_ra, host), "%s: [entry_fp + 8] returns into %s, not %s", what,
        name_of(w->host_ra), host);
  CHECK(w->host_fp == host_fp, "%s: [entry_fp] is not the host caller's frame", what);
}

/* ---- Array shapes: host_enter -> sb_enter -> guest -> guest2 -> sb_exit -> handler ---- */

int64_t guest2(context_t *ctx, int64_t x) { return sb_exit(ctx, x) + 1000; }
int64_t guest(context_t *ctx, int64_t x) { return guest2(ctx, x) + 100; }

/* The frame of each host_enter, by nesting level. */
#define MAX_LEVELS 4
static uintptr_t host_fps[MAX_LEVELS];
static int level;

int64_t host_enter(context_t *ctx, int64_t x) {
  uint64_t args[2] = { (uint64_t)(uintptr_t)ctx, (uint64_t)x };
  uint64_t result = 0;
  host_fps[level] = (uintptr_t)__builtin_frame_address(0);
  sb_enter((void *)guest, args, &result, 2);
  return (int64_t)result;
}

/* h(0) = 7, h(x) = 2 * (h(x - 1) + 1100). */
int64_t expected(int64_t x) { return (x == 0 ? 7 : 2 * expected(x - 1)) + 1100; }

static const char *const array_guests[] = { "guest2", "guest" };

void exit_handler(void *unused, uint64_t *args, void *result) {
  context_t *ctx = (context_t *)(uintptr_t)args[0];
  int64_t x = (int64_t)args[1];
  int here = level;
  char what[64];
  snprintf(what, sizeof what, "array level %d", here);
  walk_t before = walk(ctx);
  check_walk(&before, what, array_guests, 2, "sb_enter", "host_enter", host_fps[here]);
  int64_t handled = 7;
  if (x > 0 && here + 1 < MAX_LEVELS) {
    /* Re-enter as a runtime does: save the records, restore them afterwards. */
    context_t saved = *ctx;
    level++;
    int64_t nested = host_enter(ctx, x - 1);
    level--;
    CHECK(nested == expected(x - 1), "%s: nested result %lld", what, (long long)nested);
    CHECK(ctx->entry_fp < before.records.exit_fp,
          "%s: the nested entry FP is not below this level's exit FP", what);
    CHECK(memcmp(ctx, &saved, sizeof saved) != 0, "%s: nesting left the records alone", what);
    *ctx = saved;
    walk_t after = walk(ctx);
    snprintf(what, sizeof what, "array level %d after nesting", here);
    check_walk(&after, what, array_guests, 2, "sb_enter", "host_enter", host_fps[here]);
    CHECK(memcmp(&after, &before, sizeof after) == 0, "%s: a different walk", what);
    handled = 2 * nested;
  }
  *(int64_t *)result = handled;
}

/* ---- Native shapes: host_native -> sb_enter_native -> guest_native -> sb_exit_native
 * -> host_import ---- */

static uintptr_t native_host_fp;
static int host_import_calls;

triple_t native_result(pair_t p, quad_t q, int8_t k) {
  triple_t t = { p.b * 2.0 + q.a, p.a + q.e + k, (int64_t)q.b * 3 + (int64_t)q.c * 5 + (int64_t)q.d * 7 };
  return t;
}

static const char *const native_guests[] = { "guest_native" };

triple_t host_import(context_t *ctx, pair_t p, quad_t q, int8_t k) {
  host_import_calls++;
  walk_t w = walk(ctx);
  check_walk(&w, "native", native_guests, 1, "sb_enter_native", "host_native", native_host_fp);
  CHECK(p.a == -40 && p.b == 2.25, "native: pair argument changed");
  CHECK(q.a == -3 && q.b == 11 && q.c == -13 && q.d == 17 && q.e == (int64_t)1 << 40,
        "native: quad argument changed");
  CHECK(k == -9, "native: i8 argument %d", k);
  return native_result(p, q, k);
}

triple_t guest_native(context_t *ctx, pair_t p, quad_t q, int8_t k) {
  triple_t r = sb_exit_native(ctx, p, q, k);
  r.z += 1;
  return r;
}

triple_t host_native(context_t *ctx, pair_t p, quad_t q, int8_t k) {
  native_host_fp = (uintptr_t)__builtin_frame_address(0);
  triple_t r = sb_enter_native(ctx, p, q, k);
  r.y += 1;
  return r;
}

int main(void) {
  sb_exit_entry.handler = (void *)exit_handler;
  for (int64_t x = 0; x < 3; x++) {
    context_t ctx = { 0, 0, 0, 0 };
    int64_t result = host_enter(&ctx, x);
    CHECK(result == expected(x), "array x=%lld: result %lld", (long long)x, (long long)result);
  }

  context_t ctx = { 0, 0, 0, 0 };
  pair_t p = { -40, 2.25 };
  quad_t q = { -3, 11, -13, 17, (int64_t)1 << 40 };
  triple_t r = host_native(&ctx, p, q, -9);
  triple_t want = native_result(p, q, -9);
  CHECK(host_import_calls == 1, "host_import called %d times", host_import_calls);
  CHECK(r.x == want.x && r.y == want.y + 1 && r.z == want.z + 1,
        "native: result {%g, %lld, %lld}", r.x, (long long)r.y, (long long)r.z);

  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
