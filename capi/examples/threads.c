/* libspringboard from eight threads at once, sharing one engine: each thread
 * repeatedly parses signatures, creates downcalls and callbacks (some signatures
 * shared by every thread, so the engine's cache is contended, one of the thread's
 * own), calls a C function through a downcall and a callback through another
 * downcall, makes a fast call, and frees everything; half the handles are freed by
 * a thread other than the one that made them. Prints "threads ok" and the number of
 * checks made, or the first failed check (and exits with 1). */
#include <springboard.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define THREADS 8
#define ROUNDS 100

static sb_engine *engine;
/* Callbacks made by thread t in a round, freed by thread (t + 1) % THREADS. */
static sb_callback *handoff[THREADS];
static pthread_barrier_t barrier;

static int64_t mix(int32_t a, double b, int64_t c) { return a * 100 + (int64_t)b + c; }
static int32_t add(int32_t a, int32_t b) { return a + b; }

/* The callback's handler: (i64, i32) -> i64, scaled by the thread's context. */
static void scale(void *context, sb_slot *args, sb_slot *result) {
  result->i64 = args[0].i64 * *(const int64_t *)context + args[1].i32;
}

struct work {
  int id;
  long checked;
};

/* A failed check ends the process (the other threads wait at barriers). */
#define CHECK(c)                                                      \
  do {                                                                \
    if (!(c)) {                                                       \
      printf("failed: thread %d round %d: %s\n", w->id, r, #c);       \
      fflush(stdout);                                                 \
      _exit(1);                                                       \
    }                                                                 \
    w->checked++;                                                     \
  } while (0)

static void *run(void *arg) {
  struct work *w = arg;
  char own[128];
  /* A signature only this thread uses ("(i64, i32" and id times ", u8"). */
  int at = snprintf(own, sizeof own, "(i64, i32");
  for (int k = 0; k < w->id; k++) at += snprintf(own + at, sizeof own - at, ", u8");
  snprintf(own + at, sizeof own - at, ") -> i64");
  int64_t factor = w->id + 2;
  for (int r = 0; r < ROUNDS; r++) {
    char *error = NULL;
    sb_signature *sig = sb_signature_parse("(i32, f64, i64) -> i64", &error, NULL);
    sb_signature *cb_sig = sb_signature_parse(own, &error, NULL);
    sb_signature *cb_call = sb_signature_parse("(ptr, i64, i32, u8) -> i64", &error, NULL);
    sb_signature *pair = sb_signature_parse("(i32, i32) -> i32", &error, NULL);
    CHECK(sig && cb_sig && cb_call && pair && error == NULL);
    sb_downcall *down = sb_downcall_new(engine, sig, &error);
    CHECK(down != NULL);
    sb_slot args[THREADS + 2], result;
    args[0].i32 = w->id;
    args[1].f64 = 2.5;
    args[2].i64 = r;
    sb_downcall_raw(down)((const void *)mix, args, &result);
    CHECK(result.i64 == w->id * 100 + 2 + r);

    sb_callback *cb = sb_callback_new(engine, cb_sig, scale, &factor, &error);
    CHECK(cb != NULL);
    /* Call the callback from C through a downcall: the callee is the callback. */
    sb_signature *via = sb_signature_parse(own, &error, NULL);
    sb_downcall *through = sb_downcall_new(engine, via, &error);
    CHECK(through != NULL);
    args[0].i64 = r;
    args[1].i32 = w->id;
    for (int k = 2; k < THREADS + 2; k++) args[k].u64 = 7;
    sb_downcall_raw(through)(sb_callback_code(cb), args, &result);
    CHECK(result.i64 == r * factor + w->id);

    sb_native *fast = sb_fast_call_new(engine, pair, (const void *)add, 0, &error);
    CHECK(fast != NULL);
    /* entry(receiver, a, b) */
    int32_t (*fast_add)(void *, int32_t, int32_t) =
        (int32_t (*)(void *, int32_t, int32_t))sb_native_code(fast);
    CHECK(fast_add(NULL, r, w->id) == r + w->id);

    /* Hand the callback to the next thread, which frees it after the barrier. */
    handoff[w->id] = cb;
    pthread_barrier_wait(&barrier);
    sb_callback *theirs = handoff[(w->id + THREADS - 1) % THREADS];
    pthread_barrier_wait(&barrier);
    sb_callback_free(theirs);

    sb_native_free(fast);
    sb_downcall_free(through);
    sb_signature_free(via);
    sb_downcall_free(down);
    sb_signature_free(pair);
    sb_signature_free(cb_call);
    sb_signature_free(cb_sig);
    sb_signature_free(sig);
  }
  return NULL;
}

int main(void) {
  char *error = NULL;
  engine = sb_engine_new(&error);
  if (!engine) {
    printf("no engine: %s\n", error);
    return 1;
  }
  pthread_barrier_init(&barrier, NULL, THREADS);
  pthread_t threads[THREADS];
  struct work work[THREADS];
  for (int t = 0; t < THREADS; t++) {
    work[t].id = t;
    work[t].checked = 0;
    if (pthread_create(&threads[t], NULL, run, &work[t]) != 0) {
      printf("pthread_create failed\n");
      return 1;
    }
  }
  long checked = 0;
  for (int t = 0; t < THREADS; t++) {
    pthread_join(threads[t], NULL);
    checked += work[t].checked;
  }
  sb_engine_free(engine);
  printf("threads ok %ld\n", checked);
  return 0;
}
