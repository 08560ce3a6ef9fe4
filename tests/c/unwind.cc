// C++ side of tests/unwind.rs: a callee that throws or walks the stack, and callers
// that reach it through springboard trampolines inside try/catch.
//
// Every trampoline in the tests has the C signature (ptr, i32) -> i32 or reaches a
// function of it: the pointer is a context (the boundaries' record area), the integer
// says what the callee does: negative throws, zero records a backtrace, positive
// returns twice the value.

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <unwind.h>

namespace {

const int kMaxFrames = 128;
// Per thread: the test binary runs its tests on parallel threads, and each reads back
// the backtrace its own call recorded.
thread_local uintptr_t frames[kMaxFrames];
thread_local int frame_count = 0;

_Unwind_Reason_Code record_frame(struct _Unwind_Context *context, void *) {
  if (frame_count == kMaxFrames) {
    return _URC_END_OF_STACK;
  }
  frames[frame_count++] = static_cast<uintptr_t>(_Unwind_GetIP(context));
  return _URC_NO_REASON;
}

// What a caller reports: how the call ended.
enum Outcome : int32_t {
  kReturned = 0,
  kCaught = 1,       // the callee's exception, with its message
  kCaughtOther = 2,  // some other exception
};

int32_t outcome_of(const std::runtime_error &error) {
  return std::strcmp(error.what(), "sb_callee: negative") == 0 ? kCaught : kCaughtOther;
}

}  // namespace

extern "C" {

// The callee every trampoline reaches.
__attribute__((noinline)) int32_t sb_callee(void *context, int32_t x) {
  (void)context;
  if (x < 0) {
    throw std::runtime_error("sb_callee: negative");
  }
  if (x == 0) {
    frame_count = 0;
    _Unwind_Backtrace(record_frame, nullptr);
    return frame_count;
  }
  return 2 * x;
}

// The frames the last backtrace recorded (return addresses, the innermost first).
int32_t sb_frame_count(void) { return frame_count; }
uintptr_t sb_frame(int32_t i) { return frames[i]; }

// A raw callback handler: its arguments are (ptr, i32) slots; the result a slot.
void sb_handler(void *handler_context, uint64_t *args, void *result) {
  (void)handler_context;
  void *context = reinterpret_cast<void *>(args[0]);
  int32_t x = static_cast<int32_t>(args[1]);
  int64_t value = sb_callee(context, x);
  std::memcpy(result, &value, sizeof value);
}

typedef void (*raw_downcall)(const void *callee, const uint64_t *args, uint64_t *result);
typedef int32_t (*native_fn)(void *context, int32_t x);
typedef int32_t (*fast_fn)(void *receiver, void *context, int32_t x, void *options);
typedef void (*array_entry_fn)(const void *callee, const uint64_t *args, void *result,
                               size_t capacity);

// Each caller calls through a trampoline inside try/catch and says how it ended; a
// returned value goes to *value.

__attribute__((noinline)) int32_t sb_call_downcall(raw_downcall trampoline, void *context,
                                                   int32_t x, int32_t *value) {
  uint64_t args[2] = {reinterpret_cast<uint64_t>(context), static_cast<uint64_t>(x)};
  uint64_t result = 0;
  try {
    trampoline(reinterpret_cast<const void *>(&sb_callee), args, &result);
  } catch (const std::runtime_error &error) {
    return outcome_of(error);
  } catch (...) {
    return kCaughtOther;
  }
  *value = static_cast<int32_t>(result);
  return kReturned;
}

__attribute__((noinline)) int32_t sb_call_native(native_fn trampoline, void *context,
                                                 int32_t x, int32_t *value) {
  int32_t result;
  try {
    result = trampoline(context, x);
  } catch (const std::runtime_error &error) {
    return outcome_of(error);
  } catch (...) {
    return kCaughtOther;
  }
  *value = result;
  return kReturned;
}

__attribute__((noinline)) int32_t sb_call_fast(fast_fn trampoline, void *context, int32_t x,
                                               int32_t *value) {
  int32_t result;
  try {
    result = trampoline(nullptr, context, x, nullptr);
  } catch (const std::runtime_error &error) {
    return outcome_of(error);
  } catch (...) {
    return kCaughtOther;
  }
  *value = result;
  return kReturned;
}

__attribute__((noinline)) int32_t sb_call_array_entry(array_entry_fn trampoline, void *context,
                                                      int32_t x, int32_t *value) {
  uint64_t args[2] = {reinterpret_cast<uint64_t>(context), static_cast<uint64_t>(x)};
  uint64_t result = 0;
  try {
    trampoline(reinterpret_cast<const void *>(&sb_callee), args, &result, 2);
  } catch (const std::runtime_error &error) {
    return outcome_of(error);
  } catch (...) {
    return kCaughtOther;
  }
  *value = static_cast<int32_t>(result);
  return kReturned;
}

}  // extern "C"
