// `tbb_concurrent_hash_map`: oneTBB's concurrent_hash_map, which locks per bucket. A lookup holds a
// const_accessor (a reader lock on the element) while it copies the session id out.
#ifndef SMAPI_BENCH_BASELINES_TBB_CONCURRENT_HASH_MAP_H_
#define SMAPI_BENCH_BASELINES_TBB_CONCURRENT_HASH_MAP_H_

#include <smapi/mapi.h>
#include <tbb/concurrent_hash_map.h>

#include <atomic>
#include <cstdint>
#include <string_view>

#include "handle_source.h"

namespace smapi::bench {

class TbbConcurrentHashMap {
 public:
  static constexpr std::string_view kName = "tbb_concurrent_hash_map";
  static constexpr bool kValidates = true;

  explicit TbbConcurrentHashMap(uint32_t capacity) : capacity_(capacity), sessions_(capacity) {}

  LHANDLE Logon() {
    // Claims room first, so that concurrent logons never exceed the capacity.
    if (live_.fetch_add(1, std::memory_order_relaxed) >= capacity_) {
      live_.fetch_sub(1, std::memory_order_relaxed);
      return 0;
    }
    const LHANDLE handle = MixHandle(issued_.fetch_add(1, std::memory_order_relaxed) + 1);
    const uint64_t id = next_session_id_.fetch_add(1, std::memory_order_relaxed) + 1;
    sessions_.emplace(handle, id);
    return handle;
  }

  bool Logoff(LHANDLE handle) {
    if (!sessions_.erase(handle)) return false;
    live_.fetch_sub(1, std::memory_order_relaxed);
    return true;
  }

  uint64_t Lookup(LHANDLE handle) const {
    Map::const_accessor accessor;
    return sessions_.find(accessor, handle) ? accessor->second : 0;
  }

 private:
  using Map = tbb::concurrent_hash_map<LHANDLE, uint64_t>;

  const uint32_t capacity_;
  Map sessions_;
  std::atomic<uint32_t> live_{0};
  std::atomic<uint64_t> issued_{0};
  std::atomic<uint64_t> next_session_id_{0};
};

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_TBB_CONCURRENT_HASH_MAP_H_
