/* springboard.h: springboard's C API (libspringboard.so, link with -lspringboard).
 *
 * Objects are opaque and freed with their sb_*_free (null is always accepted).
 * Fallible functions return null (sb_emit_object: -1) and, when `error` is not null,
 * store a message there that the caller frees with sb_string_free.
 *
 * Threads: every function may be called from any thread at the same time. An engine
 * is shared freely (compiling, caching and freeing are internally synchronised);
 * signatures, downcalls, callbacks and the other handles may be created on one
 * thread and used or freed on another, each handle by one thread at a time, and a
 * handle is freed only when no call through it is running. Code pointers
 * (sb_downcall_raw, sb_callback_code, ...) may be called from any number of threads
 * at once while their handle lives; a callback's handler runs on the calling thread.
 * examples/threads.c exercises this from eight threads at once.
 *
 * The array layout (downcall arguments, callback arguments): argument i in 8-byte
 * slot i, a scalar in the slot's low bytes, a struct as a pointer to its bytes. A
 * downcall writes integer results widened to the whole result slot; a struct result
 * as its bytes.
 *
 * tests/header.rs checks every declaration here against the library's exports and
 * builds and runs examples/demo.c.
 */
#ifndef SPRINGBOARD_H
#define SPRINGBOARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sb_engine sb_engine;
typedef struct sb_signature sb_signature;
typedef struct sb_downcall sb_downcall;
typedef struct sb_callback sb_callback;
typedef struct sb_native sb_native;
typedef struct sb_array_entry sb_array_entry;

/* One 8-byte cell of the argument array or the result place. */
typedef union sb_slot {
  uint8_t bytes[8];
  int64_t i64;
  uint64_t u64;
  double f64;
  float f32;
  int32_t i32;
  void *ptr;
} sb_slot;

/* A downcall's entry: calls `callee` with the arguments at `args`. */
typedef void (*sb_raw_downcall)(const void *callee, const sb_slot *args, sb_slot *result);
/* A callback's handler: receives the arguments and writes the result. */
typedef void (*sb_raw_handler)(void *context, sb_slot *args, sb_slot *result);
/* An array entry boundary's entry: a downcall that records the entry SP/FP;
 * `capacity` is the number of slots at `args`. */
typedef void (*sb_raw_array_entry)(const void *callee, const sb_slot *args, sb_slot *result,
                                   size_t capacity);

/* The side of a native boundary. */
#define SB_ENTRY 0
#define SB_EXIT 1

/* springboard's version (a static string). */
const char *sb_version(void);
/* Frees a string this library returned. */
void sb_string_free(char *s);

/* A new engine for the host. */
sb_engine *sb_engine_new(char **error);
/* Frees an engine (live downcalls and callbacks keep their code). */
void sb_engine_free(sb_engine *engine);

/* Parses "(i32, f64) -> i64"; on a syntax error, the byte offset of the problem
 * goes to `offset`. */
sb_signature *sb_signature_parse(const char *signature, char **error, size_t *offset);
/* Frees a signature. */
void sb_signature_free(sb_signature *signature);

/* The downcall trampoline for `signature` (compiled once per engine and signature). */
sb_downcall *sb_downcall_new(const sb_engine *engine, const sb_signature *signature, char **error);
/* The downcall's entry, valid while the downcall lives. */
sb_raw_downcall sb_downcall_raw(const sb_downcall *downcall);
/* Frees a downcall handle. */
void sb_downcall_free(sb_downcall *downcall);

/* A C function pointer with `signature` calling handler(context, args, result). */
sb_callback *sb_callback_new(const sb_engine *engine, const sb_signature *signature,
                             sb_raw_handler handler, void *context, char **error);
/* The callback's function pointer, valid until sb_callback_free. */
const void *sb_callback_code(const sb_callback *callback);
/* Frees a callback (its function pointer is invalid afterwards). */
void sb_callback_free(sb_callback *callback);

/* A fast-call entry into `callee` (a C function with `signature`), V8 Fast API
 * shaped: entry(receiver, args..., [options]) with a receiver pointer first (dropped),
 * every parameter a value (narrow integers widened to 32 bits, a struct as a pointer
 * to its bytes), a trailing options pointer (ignored) when `options` is non-zero, and
 * the result returned directly (narrow integers widened to 32 bits; a struct result
 * through an out pointer before `options`). */
sb_native *sb_fast_call_new(const sb_engine *engine, const sb_signature *signature,
                            const void *callee, int options, char **error);
/* A native boundary (SB_ENTRY or SB_EXIT): a C function with `signature` that records
 * into the context, its first pointer parameter (entry: SP at offset 0, FP at 8;
 * exit: FP at 16, return PC at 24), and calls `callee` with the same arguments. */
sb_native *sb_native_boundary_new(const sb_engine *engine, const sb_signature *signature,
                                  int side, const void *callee, char **error);
/* The compiled function's code, valid until sb_native_free. */
const void *sb_native_code(const sb_native *native);
/* Frees a compiled function handle. */
void sb_native_free(sb_native *native);

/* An array entry boundary: records the entry SP (offset 0) and FP (offset 8) into the
 * context (the first pointer argument), then calls `callee` as a downcall does. */
sb_array_entry *sb_array_entry_new(const sb_engine *engine, const sb_signature *signature,
                                   char **error);
/* The entry's code, valid while the entry lives. */
sb_raw_array_entry sb_array_entry_raw(const sb_array_entry *entry);
/* Frees an array entry handle. */
void sb_array_entry_free(sb_array_entry *entry);
/* An array exit boundary: a callback with `signature` that records the exit FP (offset
 * 16) and return PC (offset 24) into the context (its first pointer argument), then
 * calls handler(context, args, result); free it with sb_callback_free. */
sb_callback *sb_array_exit_new(const sb_engine *engine, const sb_signature *signature,
                               sb_raw_handler handler, void *context, char **error);

/* Compiles `count` items ("NAME=KIND:SIGNATURE") into a relocatable object for
 * `target` (a triple, or null for the host); 0 and the bytes, or -1. */
int sb_emit_object(const char *target, const char *const *items, size_t count,
                   uint8_t **bytes, size_t *len, char **error);
/* Frees an object from sb_emit_object. */
void sb_bytes_free(uint8_t *bytes, size_t len);

#ifdef __cplusplus
}
#endif

#endif
