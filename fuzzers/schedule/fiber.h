// Execution contexts for logical threads that all run on the calling OS thread.
//
// ucontext (glibc's makecontext/swapcontext) rather than Boost.Context: it needs no package beyond
// libc, so every preset, OSS-Fuzz's builder image and a static link take it as they are. Its cost
// is a sigprocmask system call per switch, and the scheduler only switches when it hands the
// thread to another logical thread, not at every scheduling point.
//
// Every switch is annotated for AddressSanitizer (__sanitizer_start_switch_fiber /
// __sanitizer_finish_switch_fiber: which stack is current, each context's fake stack) and for
// ThreadSanitizer (__tsan_create_fiber / __tsan_switch_to_fiber / __tsan_destroy_fiber), so that
// both follow the fibers. TSan synchronises on each switch: the harness's own bookkeeping is
// shared by the fibers, and only one of them ever runs at a time.
#ifndef SMAPI_FUZZERS_SCHEDULE_FIBER_H_
#define SMAPI_FUZZERS_SCHEDULE_FIBER_H_

#include <ucontext.h>

#include <cstddef>
#include <memory>

namespace smapi::schedule {

class Context {
 public:
  // The calling thread's own context: what it was running before the first switch.
  Context() = default;
  // A fiber with a stack of its own, allocated once and reused by every Start().
  explicit Context(size_t stack_size);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // Makes the next switch to this fiber run entry(low, high) from the top of its stack, where
  // low and high are the halves of `arg` (makecontext passes ints). entry must never return: it
  // starts with Arrived() and ends with SwitchTo(..., /*exiting=*/true).
  void Start(void (*entry)(unsigned low, unsigned high), void* arg);

  // Runs `to` until something switches back to `from` (which must be the running context). With
  // exiting, `from` never runs again (until a new Start()).
  static void SwitchTo(Context& from, Context& to, bool exiting = false);
  // The first thing a fiber's entry does: completes the switch that started it.
  static void Arrived(Context& self);

 private:
  ucontext_t context_{};
  std::unique_ptr<char[]> stack_;
  size_t stack_size_ = 0;
  // Where the stack is, for ASan: the fiber's own, or, for the calling thread, learned when a
  // fiber is first entered from it.
  const void* stack_bottom_ = nullptr;
  size_t stack_extent_ = 0;
  void* fake_stack_ = nullptr;  // ASan's fake stack, saved while this context is switched out.
  // Where the frames the fiber left when it exited begin: below, every frame returned.
  const char* exit_frame_ = nullptr;
  [[maybe_unused]] void* tsan_fiber_ = nullptr;  // TSan's fiber; for the calling thread, its own.
};

}  // namespace smapi::schedule

#endif  // SMAPI_FUZZERS_SCHEDULE_FIBER_H_
