// The session sequence again, with allocations failing on a schedule the input picks: every call
// either fails with MAPI_E_INSUFFICIENT_MEMORY and changes nothing, or does exactly what the model
// says (F4, N19). Nothing may leak. Then the provider it built is copied with each of the copy's
// allocations failing in turn: a copy that runs out of memory keeps nothing and leaks nothing.
//
// Input: u8 provider config, u8 schedule mode (0 none, 1 fail the Nth allocation, 2 fail every one
// from the Nth on, 3 fail all), u8 N, then steps as in session_fuzzer; step 7 re-arms the schedule.
// Counting starts after the provider is built.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "support/sequence.h"

namespace {
constexpr size_t kMaxSteps = 32;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Reset by ~Harness once the provider is gone: the next input starts from an empty arena.
  static smapi::testing::ArenaResource arena;
  smapi::fuzz::InputReader in(data, size);
  const smapi::fuzz::ProviderConfig config = smapi::fuzz::ReadConfig(in);
  const uint8_t mode = in.U8() & 3;
  const uint8_t n = in.U8();
  const std::vector<smapi::fuzz::Step> steps = smapi::fuzz::ReadSteps(in, kMaxSteps);
  if (smapi::fuzz::Describing()) {
    smapi::fuzz::DescribeConfig(config);
    smapi::fuzz::DescribeFaultSchedule(mode, n);
    smapi::fuzz::DescribeSteps(steps);
    return 0;
  }
  smapi::fuzz::Harness harness(config, /*fixed_profiles=*/true, &arena);
  smapi::fuzz::ArmFailureSchedule(harness.memory(), mode, n);
  smapi::fuzz::RunSteps(harness, steps, /*fault_schedule=*/true);

  // With memory back: copying what the input built fails cleanly at each allocation in turn.
  harness.memory().Disarm();
  smapi::fuzz::CheckCopyUnderFailures(harness.provider());
  // Every session that survived the failures must still end normally (F4).
  for (const auto& record : harness.model().handles()) {
    if (record.live) harness.Logoff(record.handle, 0, 0, 0);
  }
  harness.CheckState();
  return 0;  // ~Harness checks that destroying the provider freed every block.
}
