// Interleaving coverage: which context switches a run made, as counters the fuzz engine reads.
//
// The edges of the code under test barely tell one schedule from another: a lookup runs the same
// branches whether or not a logoff ran between its two loads. So each switch also counts in a
// table indexed by where the thread that left stopped, where the thread switched to resumes, and
// whether the switch preempted. libFuzzer treats a new entry (or a new count bucket) as new
// coverage, keeps the input that made it, and goes on mutating from there: the corpus grows
// towards rare interleavings, as it grows towards rare branches (the idea behind interleaving
// coverage in concurrency fuzzers such as KRACE and Razzer).
#ifndef SMAPI_FUZZERS_SCHEDULE_INTERLEAVING_COVERAGE_H_
#define SMAPI_FUZZERS_SCHEDULE_INTERLEAVING_COVERAGE_H_

#include <cstddef>
#include <cstdint>

namespace smapi::schedule {

// A point's row and column in the table: a hash of its name's text, not its address, so that every
// process, and every job of a fork-mode run, numbers the points alike. The dozen the provider and
// the scheduler have today fall in distinct buckets.
inline constexpr size_t kPointBuckets = 64;
constexpr uint8_t PointBucket(const char* name) {
  uint32_t hash = 2166136261u;  // FNV-1a.
  for (const char* c = name; *c != '\0'; ++c) hash = (hash ^ static_cast<uint8_t>(*c)) * 16777619u;
  return static_cast<uint8_t>(hash % kPointBuckets);
}

// Where a thread that has not run yet resumes.
inline constexpr uint8_t kThreadStart = PointBucket("thread start");

// Counts one switch: the running thread stopped at the point in bucket `from`; the thread switched
// to resumes at the point in bucket `to`; `preempted` when the first could have gone on.
void CountSwitch(uint8_t from, uint8_t to, bool preempted);

}  // namespace smapi::schedule

#endif  // SMAPI_FUZZERS_SCHEDULE_INTERLEAVING_COVERAGE_H_
