// Harness for tests/object_unwind.rs: links against an object `springboard emit` wrote
// (sb_down=downcall:(i32) -> i32, sb_cb=callback:(i32) -> i32) and throws C++
// exceptions through its trampolines:
// - a C++ callee throws through the downcall and this C++ caller catches it;
// - a C++ raw handler throws through the callback, called from C++, and is caught;
// - the downcall calls the callback whose handler throws: two trampoline frames.
// Prints "caught 3" and exits 0 when all three are caught. Without the object's
// unwind information the first throw ends in std::terminate.
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string_view>

extern "C" {
struct entry_t {
  void *handler;
  void *context;
};
extern entry_t sb_cb_entry;
void sb_down(void *callee, const uint64_t *args, void *result);
int32_t sb_cb(int32_t);
}

static int32_t throwing_callee(int32_t x) { throw std::runtime_error(x == 7 ? "callee" : "?"); }

static void throwing_handler(void *, uint64_t *args, void *) {
  throw std::runtime_error(static_cast<int32_t>(args[0]) == 5 ? "handler" : "?");
}

int main() {
  int caught = 0;
  uint64_t args[1] = {7};
  uint64_t result = 0;
  try {
    sb_down(reinterpret_cast<void *>(throwing_callee), args, &result);
  } catch (const std::runtime_error &e) {
    caught += std::string_view(e.what()) == "callee";
  }
  sb_cb_entry.handler = reinterpret_cast<void *>(throwing_handler);
  try {
    sb_cb(5);
  } catch (const std::runtime_error &e) {
    caught += std::string_view(e.what()) == "handler";
  }
  args[0] = 5;
  try {
    sb_down(reinterpret_cast<void *>(sb_cb), args, &result);
  } catch (const std::runtime_error &e) {
    caught += std::string_view(e.what()) == "handler";
  }
  std::printf("caught %d\n", caught);
  return caught == 3 ? 0 : 1;
}
