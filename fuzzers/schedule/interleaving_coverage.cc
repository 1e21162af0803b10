#include "schedule/interleaving_coverage.h"

#include <cstddef>
#include <cstdint>

namespace smapi::schedule {
namespace {

// Point names land in kPoints buckets by a hash of their text, not their address, so that every
// process, and every job of a fork-mode run, numbers them alike. The dozen the provider and the
// scheduler have today fall in distinct buckets.
constexpr size_t kPoints = 64;

// libFuzzer reads this section after every run, as it reads the edge counters, and clears it
// before the next (FuzzerExtraCounters.cpp). Other engines and the replay driver ignore it.
#if defined(__linux__)
__attribute__((section("__libfuzzer_extra_counters"), used))
#endif
uint8_t switch_counters[kPoints * kPoints * 2];

size_t Bucket(const char* name) {
  uint32_t hash = 2166136261u;  // FNV-1a.
  for (const char* c = name; *c != '\0'; ++c) hash = (hash ^ static_cast<uint8_t>(*c)) * 16777619u;
  return hash % kPoints;
}

}  // namespace

void CountSwitch(const char* from, const char* to, bool preempted) {
  uint8_t& counter = switch_counters[(Bucket(from) * kPoints + Bucket(to)) * 2 + preempted];
  if (counter < UINT8_MAX) ++counter;  // Saturates: the engine buckets counts, 128+ is one.
}

}  // namespace smapi::schedule
