// The benchmark families, registered by main() in the order they run.
#ifndef SMAPI_BENCH_REGISTRATION_H_
#define SMAPI_BENCH_REGISTRATION_H_

#include <cstdint>
#include <string_view>

namespace smapi::bench {

// lookup_hit, lookup_miss, lookup_stale, lookup_forged and lookup_hit_churn, for one
// implementation and table size, threads 1 to max_threads.
void RegisterLookupBenchmarks(std::string_view impl, uint32_t sessions, int max_threads);

// logon_logoff for one implementation and table size, threads 1 to max_threads.
void RegisterLogonLogoffBenchmarks(std::string_view impl, uint32_t sessions, int max_threads);

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_REGISTRATION_H_
