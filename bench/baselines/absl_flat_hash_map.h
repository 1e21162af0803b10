// `absl_flat_hash_map`: absl::flat_hash_map (open addressing, SIMD probing) behind an absl::Mutex;
// lookups take it as readers, logon and logoff as the writer.
#ifndef SMAPI_BENCH_BASELINES_ABSL_FLAT_HASH_MAP_H_
#define SMAPI_BENCH_BASELINES_ABSL_FLAT_HASH_MAP_H_

#include <absl/container/flat_hash_map.h>
#include <absl/synchronization/mutex.h>
#include <smapi/mapi.h>

#include <cstdint>
#include <string_view>

#include "handle_source.h"

namespace smapi::bench {

class AbslFlatHashMap {
 public:
  static constexpr std::string_view kName = "absl_flat_hash_map";
  static constexpr bool kValidates = true;

  explicit AbslFlatHashMap(uint32_t capacity) : capacity_(capacity) { sessions_.reserve(capacity); }

  LHANDLE Logon() {
    absl::MutexLock lock(&mu_);
    if (sessions_.size() >= capacity_) return 0;
    const LHANDLE handle = MixHandle(++issued_);
    sessions_.emplace(handle, ++next_session_id_);
    return handle;
  }

  bool Logoff(LHANDLE handle) {
    absl::MutexLock lock(&mu_);
    return sessions_.erase(handle) == 1;
  }

  uint64_t Lookup(LHANDLE handle) const {
    absl::ReaderMutexLock lock(&mu_);
    const auto it = sessions_.find(handle);
    return it == sessions_.end() ? 0 : it->second;
  }

 private:
  const uint32_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<LHANDLE, uint64_t> sessions_;
  uint64_t issued_ = 0;
  uint64_t next_session_id_ = 0;
};

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_ABSL_FLAT_HASH_MAP_H_
