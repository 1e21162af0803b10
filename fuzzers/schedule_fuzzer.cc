// Deterministic schedule fuzzing: 2 to 4 logical threads run as fibers on the fuzzing thread, and
// the input chooses every interleaving (fuzzers/schedule/). The library is the schedule build
// (SMAPI_SCHEDULE_POINTS): scheduling points at every atomic access of the table's read and write
// paths, between logoff's check and its act, before a session is freed, and at every lock, whose
// contention yields to the scheduler. So a race that one input finds, that input finds every
// time. concurrent_fuzzer stays as the real-thread stress test.
//
// Input (zeros past the end):
//   u8 config: bits 0-1 threads (2 + b % 3); bits 2-3 pre-created handles (1 + b); bits 4-5 which
//      are onto the shared session (the first, none, all, every second); bit 7 the policy: 0 one
//      byte per decision, 1 PCT
//   per thread: u8 steps (1 + b % 6), then one byte per step: bits 0-2 the operation (b % 5:
//      logoff, lookup, logon private, join shared, logon shared), bits 3-7 which known handle
//   bytes policy: the rest of the input, one byte per decision (option b % runnable threads;
//      option 0 lets the thread that reached the point go on, the others follow in thread order
//      after it); when they run out, round robin
//   PCT: u8 depth (1 + b % 3), u8 horizon (steps over which the priority changes fall, 1 + b),
//      u64 seed
#include <cstddef>
#include <cstdint>
#include <string>

#include "schedule/program.h"
#include "schedule/scheduler.h"
#include "support/describe.h"
#include "support/fuzz_input.h"

namespace {

using smapi::schedule::Op;

constexpr uint8_t kSharedMasks[4] = {0x1, 0x0, 0xf, 0x5};
constexpr const char* kOpNames[smapi::schedule::kOpKinds] = {"logoff", "lookup", "logon-private",
                                                             "join", "logon-shared"};

// The program an input stands for, and its schedule policy (SMAPI_DESCRIBE).
void Describe(const smapi::schedule::Program& program) {
  smapi::fuzz::DescribedOp("program")
      .Num("threads", program.threads)
      .Num("pre", program.pre)
      .Hex("shared", program.shared_mask);
  for (size_t t = 0; t < program.threads; ++t) {
    for (size_t k = 0; k < program.steps[t]; ++k) {
      smapi::fuzz::DescribedOp("step")
          .Num("thread", t)
          .Word("op", kOpNames[static_cast<size_t>(program.step[t][k].op)])
          .Num("handle", program.step[t][k].arg);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The fibers' stacks, allocated once; Run() starts every thread afresh.
  static smapi::schedule::Scheduler* const scheduler = new smapi::schedule::Scheduler;
  smapi::fuzz::InputReader in(data, size);
  const uint8_t config = in.U8();
  smapi::schedule::Program program;
  program.threads = 2 + (config & 3) % 3;
  program.pre = 1 + ((config >> 2) & 3);
  program.shared_mask = kSharedMasks[(config >> 4) & 3];
  for (size_t t = 0; t < program.threads; ++t) {
    program.steps[t] = 1 + in.U8() % smapi::schedule::kMaxSteps;
    for (size_t k = 0; k < program.steps[t]; ++k) {
      const uint8_t b = in.U8();
      program.step[t][k] = {static_cast<Op>((b & 7) % smapi::schedule::kOpKinds),
                            static_cast<uint8_t>(b >> 3)};
    }
  }
  if (smapi::fuzz::Describing()) Describe(program);
  if (config & 0x80) {
    const size_t depth = 1 + in.U8() % 3;
    const uint64_t horizon = 1 + in.U8();
    const uint64_t seed = in.U64();
    if (smapi::fuzz::Describing()) {
      smapi::fuzz::DescribedOp("pct").Num("depth", depth).Num("horizon", horizon).Hex("seed", seed);
      return 0;
    }
    smapi::schedule::PctPolicy policy(seed, program.threads, depth, horizon);
    smapi::schedule::RunProgram(program, policy, *scheduler);
  } else {
    if (smapi::fuzz::Describing()) {
      smapi::fuzz::DescribedOp line("bytes");
      line.Num("decisions", in.remaining());
      std::string shown;
      for (size_t i = size - in.remaining(); i < size; ++i) shown += std::to_string(data[i]) + ",";
      line.Word("choices", shown.empty() ? "-" : shown.substr(0, shown.size() - 1));
      return 0;
    }
    smapi::schedule::BytePolicy policy(data + (size - in.remaining()), in.remaining());
    smapi::schedule::RunProgram(program, policy, *scheduler);
  }
  return 0;
}
