// A sequence of logons, logoffs, lookups, shared-session joins and profile changes on one fresh
// provider, every result checked against the contract model and the full state (invariants,
// statistics, every handle ever issued) checked after every step.
//
// Input: u8 provider config (fuzz_input.h), then steps as ReadSteps reads them (sequence.h;
// fuzzers/make_seeds.py spells them out). At most kMaxSteps, so an input stays well under 1 ms.
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
  const std::vector<smapi::fuzz::Step> steps = smapi::fuzz::ReadSteps(in, kMaxSteps);
  if (smapi::fuzz::Describing()) {
    smapi::fuzz::DescribeConfig(config);
    smapi::fuzz::DescribeSteps(steps);
    return 0;
  }
  smapi::fuzz::Harness harness(config, /*fixed_profiles=*/true, &arena);
  smapi::fuzz::RunSteps(harness, steps, /*fault_schedule=*/false);
  return 0;  // ~Harness checks that destroying the provider freed every block.
}
