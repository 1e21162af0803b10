// The exhaustive mode of the schedule fuzzer, run by ctest: every program of 2 threads x 2
// operations over one pre-created handle onto the shared session, each under every schedule with
// at most 2 preemptions (CHESS's preemption bounding), each run checked by the fuzzer's oracle.
// A finding prints the fuzzer input that replays it, and aborts.
//
//   schedule_explore [--bound N]
//   schedule_explore --deadlock-demo   two threads take two locks in opposite orders under round
//                                      robin: the scheduler must report the deadlock and abort
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "mutex.h"
#include "schedule/program.h"
#include "schedule/scheduler.h"

// Defined by any sanitizer runtime; weak, so that a build without one links too.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

using smapi::schedule::Op;
using smapi::schedule::Program;
using smapi::schedule::Step;

constexpr Step kAlphabet[] = {{Op::kLogoff, 0},
                              {Op::kLookup, 0},
                              {Op::kLogonPrivate, 0},
                              {Op::kJoinShared, 0},
                              {Op::kLogonShared, 0}};
constexpr size_t kLetters = sizeof(kAlphabet) / sizeof(kAlphabet[0]);

const Program* current_program = nullptr;
const smapi::schedule::EnumeratingPolicy* current_policy = nullptr;

// The schedule_fuzzer input for the current program and schedule: config 0 (2 threads, one
// shared pre-created handle, byte policy), each thread's steps, then the options taken, padded
// with zeros (no preemption) as the enumeration continues.
void PrintReplayInput() {
  if (current_program == nullptr || current_policy == nullptr) return;
  std::fprintf(stderr, "replay: schedule_fuzzer input (hex): 00");
  for (size_t t = 0; t < current_program->threads; ++t) {
    std::fprintf(stderr, " %02zx", current_program->steps[t] - 1);
    for (size_t k = 0; k < current_program->steps[t]; ++k) {
      const Step& s = current_program->step[t][k];
      std::fprintf(stderr, " %02x", static_cast<unsigned>(s.op) | s.arg << 3);
    }
  }
  uint8_t options[256];
  const size_t n = current_policy->taken(options, sizeof(options));
  for (size_t k = 0; k < n; ++k) std::fprintf(stderr, " %02x", options[k]);
  std::fprintf(stderr, " 00 00 00 00 00 00 00 00\n");
}

smapi::internal::Mutex lock_a;
smapi::internal::Mutex lock_b;

void OppositeOrders(void* /*arg*/, size_t thread) {
  smapi::internal::MutexLock first(thread == 0 ? lock_a : lock_b);
  smapi::internal::MutexLock second(thread == 0 ? lock_b : lock_a);
}

}  // namespace

int main(int argc, char** argv) {
  int bound = 2;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--bound") == 0 && i + 1 < argc) {
      bound = std::atoi(argv[++i]);
    } else if (std::strcmp(argv[i], "--deadlock-demo") == 0) {
      smapi::schedule::Scheduler scheduler;
      smapi::schedule::BytePolicy round_robin(nullptr, 0);
      scheduler.Run(2, &OppositeOrders, nullptr, round_robin);
      std::fprintf(stderr, "schedule_explore: the deadlock went unreported\n");
      return 1;
    } else {
      std::fprintf(stderr, "usage: %s [--bound N]\n", argv[0]);
      return 2;
    }
  }
  smapi::schedule::SetFindingReporter(&PrintReplayInput);
  // A sanitizer's report (UBSan's too, which does not print the schedule) ends with the input.
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(&PrintReplayInput);
  // Kept to the end of the process, as the fuzzer keeps its own: TSan (clang 14) crashes freeing a
  // fiber's stack after __tsan_destroy_fiber.
  static smapi::schedule::Scheduler& scheduler = *new smapi::schedule::Scheduler;
  uint64_t programs = 0;
  uint64_t schedules = 0;
  for (size_t code = 0; code < kLetters * kLetters * kLetters * kLetters; ++code) {
    Program program;
    program.threads = 2;
    program.pre = 1;
    program.shared_mask = 1;
    size_t rest = code;
    for (size_t t = 0; t < 2; ++t) {
      program.steps[t] = 2;
      for (size_t k = 0; k < 2; ++k) {
        program.step[t][k] = kAlphabet[rest % kLetters];
        rest /= kLetters;
      }
    }
    smapi::schedule::EnumeratingPolicy policy(bound);
    current_program = &program;
    current_policy = &policy;
    do {
      smapi::schedule::RunProgram(program, policy, scheduler);
      ++schedules;
    } while (policy.Advance());
    ++programs;
  }
  std::printf("schedule_explore: %" PRIu64 " programs, %" PRIu64
              " schedules with at most %d preemptions, every one checked\n",
              programs, schedules, bound);
  return 0;
}
