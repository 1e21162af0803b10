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

namespace smapi::schedule {

// Counts one switch: the running thread stopped at the point named `from`; the thread switched to
// resumes at the point named `to`; `preempted` when the first could have gone on.
void CountSwitch(const char* from, const char* to, bool preempted);

// The name a thread that has not run yet resumes at.
inline constexpr const char* kThreadStart = "thread start";

}  // namespace smapi::schedule

#endif  // SMAPI_FUZZERS_SCHEDULE_INTERLEAVING_COVERAGE_H_
