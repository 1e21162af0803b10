// `shared_mutex_unordered_map`: std::unordered_map behind a std::shared_mutex. Lookups share the
// lock with one another; logon and logoff take it exclusively.
#ifndef SMAPI_BENCH_BASELINES_SHARED_MUTEX_UNORDERED_MAP_H_
#define SMAPI_BENCH_BASELINES_SHARED_MUTEX_UNORDERED_MAP_H_

#include <smapi/mapi.h>

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>

#include "handle_source.h"

namespace smapi::bench {

class SharedMutexUnorderedMap {
 public:
  static constexpr std::string_view kName = "shared_mutex_unordered_map";
  static constexpr bool kValidates = true;

  explicit SharedMutexUnorderedMap(uint32_t capacity) : capacity_(capacity) {
    sessions_.reserve(capacity);
  }

  LHANDLE Logon() {
    std::unique_lock lock(mu_);
    if (sessions_.size() >= capacity_) return 0;
    const LHANDLE handle = MixHandle(++issued_);
    sessions_.emplace(handle, ++next_session_id_);
    return handle;
  }

  bool Logoff(LHANDLE handle) {
    std::unique_lock lock(mu_);
    return sessions_.erase(handle) == 1;
  }

  uint64_t Lookup(LHANDLE handle) const {
    std::shared_lock lock(mu_);
    const auto it = sessions_.find(handle);
    return it == sessions_.end() ? 0 : it->second;
  }

 private:
  const uint32_t capacity_;
  mutable std::shared_mutex mu_;
  std::unordered_map<LHANDLE, uint64_t> sessions_;
  uint64_t issued_ = 0;
  uint64_t next_session_id_ = 0;
};

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_SHARED_MUTEX_UNORDERED_MAP_H_
