#include "schedule/interleaving_coverage.h"

#include <cstddef>
#include <cstdint>

namespace smapi::schedule {
namespace {

// libFuzzer reads this section after every run, as it reads the edge counters, and clears it
// before the next (FuzzerExtraCounters.cpp). Other engines and the replay driver ignore it.
#if defined(__linux__)
__attribute__((section("__libfuzzer_extra_counters"), used))
#endif
uint8_t switch_counters[kPointBuckets * kPointBuckets * 2];

}  // namespace

void CountSwitch(uint8_t from, uint8_t to, bool preempted) {
  uint8_t& counter = switch_counters[(from * kPointBuckets + to) * 2 + preempted];
  if (counter < UINT8_MAX) ++counter;  // Saturates: the engine buckets counts, 128+ is one.
}

}  // namespace smapi::schedule
