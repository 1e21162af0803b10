// A deterministic scheduler for 2 to 4 logical threads, run as fibers on the calling thread.
//
// The library's scheduling points (src/schedule_point.h) and its fiber-aware Mutex call in here.
// At each point the scheduler asks a pluggable Policy which runnable thread goes next, so that one
// hook serves a fuzzer's input bytes, PCT and an exhaustive enumerator alike (the design of
// folly's DeterministicSchedule, Shuttle and Loom: the schedule is a strategy object, the program
// under test only ever reaches the points).
//
// Choices are offered as options, in a fixed order: the thread that reached the point first when
// it can go on, then the other runnable threads in cyclic order after it. So option 0 never
// preempts, and a run's schedule is the list of options taken wherever there was a choice (two or
// more runnable threads). When the policy has no more to say (its bytes ran out), the scheduler
// falls back to round robin, so no thread ever starves. All threads blocked is a deadlock: it is
// reported as a finding, with the schedule.
#ifndef SMAPI_FUZZERS_SCHEDULE_SCHEDULER_H_
#define SMAPI_FUZZERS_SCHEDULE_SCHEDULER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "schedule/fiber.h"

namespace smapi::schedule {

inline constexpr size_t kMaxThreads = 4;

// One decision the scheduler asks its policy for.
struct Decision {
  size_t options;          // Runnable threads to choose from; at least 2.
  bool preempts;           // Whether any option but 0 preempts the thread that reached the point.
  uint64_t step;           // Scheduling points passed so far in this run.
  size_t current;          // The thread that reached the point.
  const uint8_t* threads;  // The options' thread numbers, option 0 first.
};

class Policy {
 public:
  virtual ~Policy() = default;
  // The option to take, below d.options; nullopt hands the rest of the run to round robin.
  virtual std::optional<size_t> Pick(const Decision& d) = 0;
};

class Scheduler {
 public:
  Scheduler();
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs body(arg, t) for t in [0, threads) as logical threads under `policy` until all return.
  void Run(size_t threads, void (*body)(void* arg, size_t thread), void* arg, Policy& policy);

  // The hooks, from the running logical thread.
  void Point(const char* where);
  void Wait(const void* lock);
  void Wake(const void* lock);
  // While a thread holds one, its points do not switch (a check that must see a quiet state).
  struct NoPreemption {
    explicit NoPreemption(Scheduler& s) : s_(s) { ++s_.threads_[s_.current_].no_preemption; }
    ~NoPreemption() { --s_.threads_[s_.current_].no_preemption; }
    Scheduler& s_;
  };

  bool running() const { return running_; }
  size_t current() const { return current_; }
  uint64_t steps() const { return steps_; }
  // Prints the schedule so far to stderr: every switch, with the point where it happened.
  void PrintSchedule() const;

  // The one running on this thread (null when none), for the library's hooks.
  static Scheduler* Active();

 private:
  struct Thread {
    Context context;
    const void* waiting_on = nullptr;
    uint8_t resumes_at = 0;  // PointBucket() of the point it resumes at when switched to.
    bool done = false;
    int no_preemption = 0;
    Thread();
  };
  enum class Why { kPoint, kWait, kDone };

  static void Entry(unsigned low, unsigned high);
  // Picks who runs next and switches to it; returns when this thread is chosen again (never for
  // kDone).
  void Reschedule(Why why, const char* where);
  [[noreturn]] void Deadlock(const char* where) const;

  std::array<Thread, kMaxThreads> threads_;
  Context main_;
  size_t count_ = 0;
  size_t current_ = 0;
  bool running_ = false;
  bool round_robin_ = false;
  uint64_t steps_ = 0;
  Policy* policy_ = nullptr;
  void (*body_)(void*, size_t) = nullptr;
  void* arg_ = nullptr;
  // The switches of this run, for the report: step, the point's name, the thread switched to.
  struct Switch {
    uint64_t step;
    const char* where;
    uint8_t to;
  };
  static constexpr size_t kMaxLog = 256;
  std::array<Switch, kMaxLog> log_;
  size_t logged_ = 0;
  size_t dropped_ = 0;
};

// Called, when set, at the end of every PrintSchedule(), that is before any finding aborts (the
// explorer prints the fuzzer input that replays it).
void SetFindingReporter(void (*reporter)());

// Policies.

// One input byte per decision: option byte % options. Then round robin.
class BytePolicy final : public Policy {
 public:
  BytePolicy(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  std::optional<size_t> Pick(const Decision& d) override;

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// PCT (Burckhardt et al., ASPLOS 2010): distinct random priorities, the highest-priority runnable
// thread runs, and at depth - 1 random steps below `horizon` the running thread drops below all
// others. Finds any bug of depth d with probability at least 1/(n k^(d-1)). The randomness is a
// SplitMix64 stream from the input's seed.
class PctPolicy final : public Policy {
 public:
  PctPolicy(uint64_t seed, size_t threads, size_t depth, uint64_t horizon);
  std::optional<size_t> Pick(const Decision& d) override;

 private:
  uint64_t Next();
  uint64_t state_;
  std::array<int, kMaxThreads> priority_{};
  std::array<uint64_t, 3> change_at_{};
  size_t changes_ = 0;
  static constexpr uint64_t kMaxSteps = 4096;  // Then round robin.
};

// Replays a prefix of options, then takes option 0 (no preemption) everywhere; Advance() moves to
// the next schedule in depth-first order with at most `bound` preemptions (CHESS's preemption
// bounding), so Run() under it, repeated until Advance() says no, visits every such schedule once.
class EnumeratingPolicy final : public Policy {
 public:
  explicit EnumeratingPolicy(int bound) : bound_(bound) {}
  std::optional<size_t> Pick(const Decision& d) override;
  // Call after each run; false when every schedule has been run.
  bool Advance();
  // The options taken in the last run, which as schedule bytes replay it in the fuzzer.
  size_t taken(uint8_t* out, size_t capacity) const;

 private:
  struct Choice {
    uint8_t option;
    uint8_t options;
    bool preempts;
  };
  static constexpr size_t kMaxChoices = 256;
  int bound_;
  std::array<Choice, kMaxChoices> choices_{};
  size_t prefix_ = 0;  // Choices replayed from the last Advance().
  size_t made_ = 0;    // Choices made in this run.
};

}  // namespace smapi::schedule

#endif  // SMAPI_FUZZERS_SCHEDULE_SCHEDULER_H_
