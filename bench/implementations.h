// Every implementation the benchmarks compare, in the order they run and are reported.
//
// Each one offers the same three calls, and each does the same work on a lookup: validate the
// handle and return the session (its id) or "invalid" (0), safely against a concurrent logoff.
//   explicit Impl(uint32_t capacity);  // room for `capacity` live handles
//   LHANDLE Logon();                   // a new session's handle, or 0 when full
//   bool Logoff(LHANDLE handle);       // false for a handle that is not live
//   uint64_t Lookup(LHANDLE) const;    // the session id, or 0; lock-free or not, as designed
// kValidates is false only for floor_array, which returns whatever its slot holds.
#ifndef SMAPI_BENCH_IMPLEMENTATIONS_H_
#define SMAPI_BENCH_IMPLEMENTATIONS_H_

#include "baselines/absl_flat_hash_map.h"
#include "baselines/floor_array.h"
#include "baselines/locked_unordered_map.h"
#include "baselines/smapi_provider.h"
#include "baselines/tbb_concurrent_hash_map.h"

namespace smapi::bench {

// Calls f.template operator()<Impl>() for every implementation, smapi first.
template <class F>
void ForEachImplementation(F&& f) {
  f.template operator()<SmapiProvider>();
  f.template operator()<FloorArray>();
  f.template operator()<MutexUnorderedMap>();
  f.template operator()<SharedMutexUnorderedMap>();
  f.template operator()<AbslFlatHashMap>();
  f.template operator()<TbbConcurrentHashMap>();
}

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_IMPLEMENTATIONS_H_
