// `mutex_unordered_map`: one std::mutex around a std::unordered_map from handle to session, taken
// by every call, lookups included. The design of the best-known Simple MAPI provider today.
#ifndef SMAPI_BENCH_BASELINES_MUTEX_UNORDERED_MAP_H_
#define SMAPI_BENCH_BASELINES_MUTEX_UNORDERED_MAP_H_

#include <smapi/mapi.h>

#include <cstdint>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "handle_source.h"

namespace smapi::bench {

class MutexUnorderedMap {
 public:
  static constexpr std::string_view kName = "mutex_unordered_map";
  static constexpr bool kValidates = true;

  explicit MutexUnorderedMap(uint32_t capacity) : capacity_(capacity) {
    sessions_.reserve(capacity);
  }

  LHANDLE Logon() {
    std::lock_guard lock(mu_);
    if (sessions_.size() >= capacity_) return 0;
    const LHANDLE handle = MixHandle(++issued_);
    sessions_.emplace(handle, ++next_session_id_);
    return handle;
  }

  bool Logoff(LHANDLE handle) {
    std::lock_guard lock(mu_);
    return sessions_.erase(handle) == 1;
  }

  // The session id, copied out under the lock, or 0 for an unknown handle.
  uint64_t Lookup(LHANDLE handle) const {
    std::lock_guard lock(mu_);
    const auto it = sessions_.find(handle);
    return it == sessions_.end() ? 0 : it->second;
  }

 private:
  const uint32_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<LHANDLE, uint64_t> sessions_;
  uint64_t issued_ = 0;
  uint64_t next_session_id_ = 0;
};

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_MUTEX_UNORDERED_MAP_H_
