// `mutex_unordered_map` and `shared_mutex_unordered_map`: a std::unordered_map from handle to
// session behind one lock. With std::mutex every call takes it, lookups included: the design of
// the best-known Simple MAPI provider today. With std::shared_mutex lookups share it with one
// another; logon and logoff take it exclusively.
#ifndef SMAPI_BENCH_BASELINES_LOCKED_UNORDERED_MAP_H_
#define SMAPI_BENCH_BASELINES_LOCKED_UNORDERED_MAP_H_

#include <smapi/mapi.h>

#include <cstdint>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "handle_source.h"

namespace smapi::bench {

template <class Mutex>
class LockedUnorderedMap {
  static constexpr bool kShared = std::is_same_v<Mutex, std::shared_mutex>;
  using ReadLock = std::conditional_t<kShared, std::shared_lock<Mutex>, std::lock_guard<Mutex>>;

 public:
  static constexpr std::string_view kName =
      kShared ? "shared_mutex_unordered_map" : "mutex_unordered_map";
  static constexpr bool kValidates = true;

  explicit LockedUnorderedMap(uint32_t capacity) : capacity_(capacity) {
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
    ReadLock lock(mu_);
    const auto it = sessions_.find(handle);
    return it == sessions_.end() ? 0 : it->second;
  }

 private:
  const uint32_t capacity_;
  mutable Mutex mu_;
  std::unordered_map<LHANDLE, uint64_t> sessions_;
  uint64_t issued_ = 0;
  uint64_t next_session_id_ = 0;
};

using MutexUnorderedMap = LockedUnorderedMap<std::mutex>;
using SharedMutexUnorderedMap = LockedUnorderedMap<std::shared_mutex>;

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_LOCKED_UNORDERED_MAP_H_
