#include "schedule/fiber.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMAPI_FIBER_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define SMAPI_FIBER_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SMAPI_FIBER_ASAN)
#define SMAPI_FIBER_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(SMAPI_FIBER_TSAN)
#define SMAPI_FIBER_TSAN 1
#endif

#if defined(SMAPI_FIBER_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#if defined(SMAPI_FIBER_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace smapi::schedule {
namespace {

// The context a switch left, so that the one it entered can tell ASan's bookkeeping where the
// stack it came from lies. Only one logical thread runs at a time, on one OS thread.
thread_local Context* switched_from = nullptr;

}  // namespace

Context::Context(size_t stack_size) : stack_(new char[stack_size]), stack_size_(stack_size) {
  stack_bottom_ = stack_.get();
  stack_extent_ = stack_size;
#if defined(SMAPI_FIBER_TSAN)
  tsan_fiber_ = __tsan_create_fiber(0);
#endif
}

Context::~Context() {
#if defined(SMAPI_FIBER_TSAN)
  if (stack_ != nullptr) __tsan_destroy_fiber(tsan_fiber_);
#endif
}

void Context::Start(void (*entry)(unsigned low, unsigned high), void* arg) {
#if defined(SMAPI_FIBER_ASAN)
  // The frames the last run left when it switched away for good keep their redzones poisoned;
  // every deeper frame returned and cleaned up after itself. A margin covers the frames below
  // SwitchTo's own.
  constexpr size_t kMargin = 4096;
  const char* from = exit_frame_ == nullptr ? stack_.get() : exit_frame_ - kMargin;
  if (from < stack_.get()) from = stack_.get();
  ASAN_UNPOISON_MEMORY_REGION(from, static_cast<size_t>(stack_.get() + stack_size_ - from));
  exit_frame_ = nullptr;
#endif
  if (getcontext(&context_) != 0) {
    std::perror("getcontext");
    std::abort();
  }
  context_.uc_stack.ss_sp = stack_.get();
  context_.uc_stack.ss_size = stack_size_;
  context_.uc_link = nullptr;
  // makecontext passes int arguments; the pointer travels in two halves.
  const auto bits = reinterpret_cast<uintptr_t>(arg);
  makecontext(&context_, reinterpret_cast<void (*)()>(entry), 2,
              static_cast<unsigned>(bits & 0xffffffffu), static_cast<unsigned>(bits >> 32));
  // swapcontext ignores uc_stack, but ASan's interceptor would clear the whole stack's shadow at
  // every switch into it while it is set; Start() did that once.
  context_.uc_stack.ss_size = 0;
  fake_stack_ = nullptr;
}

void Context::SwitchTo(Context& from, Context& to, bool exiting) {
  switched_from = &from;
  if (exiting) from.exit_frame_ = static_cast<const char*>(__builtin_frame_address(0));
#if defined(SMAPI_FIBER_ASAN)
  __sanitizer_start_switch_fiber(exiting ? nullptr : &from.fake_stack_, to.stack_bottom_,
                                 to.stack_extent_);
#else
  static_cast<void>(exiting);
#endif
#if defined(SMAPI_FIBER_TSAN)
  if (from.stack_ == nullptr && from.tsan_fiber_ == nullptr) {
    from.tsan_fiber_ = __tsan_get_current_fiber();
  }
  __tsan_switch_to_fiber(to.tsan_fiber_, 0);
#endif
  if (swapcontext(&from.context_, &to.context_) != 0) {
    std::perror("swapcontext");
    std::abort();
  }
  Arrived(from);
}

void Context::Arrived(Context& self) {
#if defined(SMAPI_FIBER_ASAN)
  const void* bottom = nullptr;
  size_t extent = 0;
  __sanitizer_finish_switch_fiber(self.fake_stack_, &bottom, &extent);
  if (switched_from != nullptr && switched_from->stack_ == nullptr) {
    switched_from->stack_bottom_ = bottom;  // The calling thread's stack.
    switched_from->stack_extent_ = extent;
  }
#else
  static_cast<void>(self);
#endif
}

}  // namespace smapi::schedule
