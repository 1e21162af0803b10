#include "schedule/scheduler.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "schedule/interleaving_coverage.h"
#include "schedule_point.h"
#include "support/fuzz_check.h"

namespace smapi::schedule {
namespace {

// Deep enough for the provider, the checks and a sanitizer's report, which runs on the fiber.
constexpr size_t kStackSize = size_t{256} << 10;

thread_local Scheduler* active = nullptr;
void (*finding_reporter)() = nullptr;

}  // namespace

Scheduler::Thread::Thread() : context(kStackSize) {}

Scheduler::Scheduler() = default;
Scheduler::~Scheduler() = default;

Scheduler* Scheduler::Active() { return active; }

void Scheduler::Run(size_t threads, void (*body)(void* arg, size_t thread), void* arg,
                    Policy& policy) {
  count_ = std::min(threads, kMaxThreads);
  body_ = body;
  arg_ = arg;
  policy_ = &policy;
  steps_ = 0;
  logged_ = 0;
  dropped_ = 0;
  round_robin_ = false;
  for (size_t t = 0; t < count_; ++t) {
    Thread& thread = threads_[t];
    thread.waiting_on = nullptr;
    thread.resumes_at = kThreadStart;
    thread.done = false;
    thread.no_preemption = 0;
    thread.context.Start(&Entry, this);
  }
  active = this;
  running_ = true;
  current_ = 0;
  Context::SwitchTo(main_, threads_[0].context);
  running_ = false;
  active = nullptr;
}

void Scheduler::Entry(unsigned low, unsigned high) {
  auto* s = reinterpret_cast<Scheduler*>(uintptr_t{low} | uintptr_t{high} << 32);
  const size_t t = s->current_;
  Context::Arrived(s->threads_[t].context);
  s->body_(s->arg_, t);
  s->threads_[t].done = true;
  s->Reschedule(Why::kDone, "thread done");
}

void Scheduler::Point(const char* where) {
  if (threads_[current_].no_preemption > 0) return;
  ++steps_;
  Reschedule(Why::kPoint, where);
}

void Scheduler::Wait(const void* lock) {
  threads_[current_].waiting_on = lock;
  Reschedule(Why::kWait, "mutex: wait");
}

void Scheduler::Wake(const void* lock) {
  for (size_t t = 0; t < count_; ++t) {
    if (threads_[t].waiting_on == lock) threads_[t].waiting_on = nullptr;
  }
}

void Scheduler::Reschedule(Why why, const char* where) {
  const size_t self = current_;
  const bool can_go_on = why == Why::kPoint;
  std::array<uint8_t, kMaxThreads> options;
  size_t n = 0;
  if (can_go_on) options[n++] = static_cast<uint8_t>(self);
  for (size_t k = 1; k < count_; ++k) {
    const size_t t = (self + k) % count_;
    if (!threads_[t].done && threads_[t].waiting_on == nullptr) {
      options[n++] = static_cast<uint8_t>(t);
    }
  }
  if (n == 0) {
    for (size_t t = 0; t < count_; ++t) {
      if (!threads_[t].done) Deadlock(where);
    }
    Context::SwitchTo(threads_[self].context, main_, /*exiting=*/true);  // All done.
    return;
  }
  size_t choice = 0;
  if (n >= 2) {
    if (!round_robin_) {
      const Decision decision{n, can_go_on, steps_, self, options.data()};
      const std::optional<size_t> picked = policy_->Pick(decision);
      if (picked.has_value()) {
        choice = *picked % n;
      } else {
        round_robin_ = true;
      }
    }
    if (round_robin_) choice = can_go_on ? 1 : 0;  // The next runnable thread after this one.
  }
  const size_t next = options[choice];
  if (next == self) return;
  if (logged_ < kMaxLog) {
    log_[logged_++] = Switch{steps_, where, static_cast<uint8_t>(next)};
  } else {
    ++dropped_;
  }
  const uint8_t here = PointBucket(where);  // Hashed once: it is also where this thread resumes.
  CountSwitch(here, threads_[next].resumes_at, can_go_on);
  threads_[self].resumes_at = here;
  current_ = next;
  Context::SwitchTo(threads_[self].context, threads_[next].context, why == Why::kDone);
}

void Scheduler::Deadlock(const char* where) const {
  PrintSchedule();
  fuzz::CheckFailed(__FILE__, __LINE__, "deadlock",
                    "deadlock: every logical thread left is blocked on a lock (thread %zu at %s)",
                    current_, where);
}

void Scheduler::PrintSchedule() const {
  std::fprintf(stderr,
               "schedule: %zu logical threads, %" PRIu64 " scheduling points%s; switches:\n",
               count_, steps_, round_robin_ ? ", round robin after the input's choices" : "");
  for (size_t k = 0; k < logged_; ++k) {
    std::fprintf(stderr, "  point %" PRIu64 " (%s): to thread %u\n", log_[k].step, log_[k].where,
                 log_[k].to);
  }
  if (dropped_ > 0) std::fprintf(stderr, "  ... and %zu more switches\n", dropped_);
  if (finding_reporter != nullptr) finding_reporter();
}

void SetFindingReporter(void (*reporter)()) { finding_reporter = reporter; }

std::optional<size_t> BytePolicy::Pick(const Decision& d) {
  if (pos_ >= size_) return std::nullopt;
  return data_[pos_++] % d.options;
}

PctPolicy::PctPolicy(uint64_t seed, size_t threads, size_t depth, uint64_t horizon) : state_(seed) {
  threads = std::min(threads, kMaxThreads);
  depth = std::clamp<size_t>(depth, 1, change_at_.size() + 1);
  // Initial priorities depth .. depth + n - 1, in a random order (Fisher-Yates).
  std::array<int, kMaxThreads> order{};
  for (size_t t = 0; t < threads; ++t) order[t] = static_cast<int>(t);
  for (size_t t = threads; t > 1; --t) std::swap(order[t - 1], order[Next() % t]);
  for (size_t t = 0; t < threads; ++t) priority_[t] = static_cast<int>(depth) + order[t];
  changes_ = depth - 1;
  for (size_t i = 0; i < changes_; ++i) change_at_[i] = 1 + Next() % std::max<uint64_t>(horizon, 1);
}

uint64_t PctPolicy::Next() {  // SplitMix64.
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::optional<size_t> PctPolicy::Pick(const Decision& d) {
  if (d.step > kMaxSteps) return std::nullopt;
  for (size_t i = 0; i < changes_; ++i) {
    if (change_at_[i] != 0 && d.step >= change_at_[i]) {
      priority_[d.current] = static_cast<int>(changes_ - 1 - i);  // Below every initial one.
      change_at_[i] = 0;
    }
  }
  size_t best = 0;
  for (size_t k = 1; k < d.options; ++k) {
    if (priority_[d.threads[k]] > priority_[d.threads[best]]) best = k;
  }
  return best;
}

std::optional<size_t> EnumeratingPolicy::Pick(const Decision& d) {
  if (made_ >= kMaxChoices) return 0;  // Past what is enumerated: no preemption.
  Choice& c = choices_[made_];
  if (made_ >= prefix_) c.option = 0;
  c.options = static_cast<uint8_t>(d.options);
  c.preempts = d.preempts;
  ++made_;
  return c.option;
}

bool EnumeratingPolicy::Advance() {
  for (size_t k = made_; k-- > 0;) {
    const Choice& c = choices_[k];
    if (c.option + 1 >= c.options) continue;
    int used = 0;
    for (size_t j = 0; j < k; ++j) used += choices_[j].option > 0 && choices_[j].preempts;
    if (used + (c.preempts ? 1 : 0) > bound_) continue;
    ++choices_[k].option;
    prefix_ = k + 1;
    made_ = 0;
    return true;
  }
  return false;
}

size_t EnumeratingPolicy::taken(uint8_t* out, size_t capacity) const {
  const size_t n = std::min(made_, capacity);
  for (size_t k = 0; k < n; ++k) out[k] = choices_[k].option;
  return n;
}

}  // namespace smapi::schedule

// The library's hooks (src/schedule_point.h), linked only into the schedule build.
namespace smapi::internal {

void SchedulePoint(const char* where) noexcept {
  if (schedule::Scheduler* s = schedule::Scheduler::Active()) s->Point(where);
}

void ScheduleWait(const void* lock) noexcept {
  schedule::Scheduler* s = schedule::Scheduler::Active();
  if (s == nullptr) {
    fuzz::CheckFailed(__FILE__, __LINE__, "deadlock",
                      "a held lock was taken outside the logical threads: nothing can release it");
  }
  s->Wait(lock);
}

void ScheduleWake(const void* lock) noexcept {
  if (schedule::Scheduler* s = schedule::Scheduler::Active()) s->Wake(lock);
}

}  // namespace smapi::internal

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
// ASan calls this before it reports an error (a use after free, a SEGV): the schedule that led
// there goes first.
extern "C" void __asan_on_error() {
  if (smapi::schedule::Scheduler* s = smapi::schedule::Scheduler::Active()) s->PrintSchedule();
}
#endif
#endif
