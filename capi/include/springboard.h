/* springboard.h: springboard's C API (libspringboard.so, link with -lspringboard).
 *
 * Objects are opaque and freed with their sb_*_free (null is always accepted).
 * Fallible functions return null (sb_emit_object: -1) and, when `error` is not null,
 * store a message there that the caller frees with sb_string_free. Engines are
 * thread-safe.
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
