// `floor_array`: the hardware floor. The handle is the slot index, and a lookup is one load from a
// plain array with no validation at all: a stale or forged handle that lands on a live slot gets
// that slot's session. Nothing that validates a handle can be faster; this is what smapi's lookup
// is measured against.
//
// Its writers do what smapi's do to the memory a reader sees, so that lookup_hit_churn's floor is
// the cost of the same churn: one store into the slot per logon and per logoff, and freed slots
// reused oldest first (smapi's FIFO reuse queue). What a reader loads besides the slot sits on a
// cache line of its own, as smapi's SessionLookup does; the writers' lock and queue would otherwise
// share it and slow every lookup under churn.
#ifndef SMAPI_BENCH_BASELINES_FLOOR_ARRAY_H_
#define SMAPI_BENCH_BASELINES_FLOOR_ARRAY_H_

#include <smapi/mapi.h>

#include <atomic>
#include <bit>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>

namespace smapi::bench {

class FloorArray {
 public:
  static constexpr std::string_view kName = "floor_array";
  static constexpr bool kValidates = false;

  // Slot 0 is never issued, so that no handle is 0. A power of two, so that any handle, however
  // forged, indexes inside the array with one mask.
  explicit FloorArray(uint32_t capacity)
      : mask_(std::bit_ceil(uint64_t{capacity} + 1) - 1),
        ids_(std::make_unique<std::atomic<uint64_t>[]>(mask_ + 1)),
        capacity_(capacity) {}

  LHANDLE Logon() {
    std::lock_guard lock(mu_);
    uint64_t index;
    if (!free_.empty()) {
      index = free_.front();
      free_.pop_front();
    } else if (next_unused_ <= capacity_) {
      index = next_unused_++;
    } else {
      return 0;
    }
    ids_[index].store(++next_session_id_, std::memory_order_relaxed);
    return index;
  }

  bool Logoff(LHANDLE handle) {
    std::lock_guard lock(mu_);
    const uint64_t index = handle & mask_;
    if (index == 0 || ids_[index].load(std::memory_order_relaxed) == 0) return false;
    ids_[index].store(0, std::memory_order_relaxed);
    free_.push_back(static_cast<uint32_t>(index));
    return true;
  }

  // Whatever session the slot holds now, or 0 when it is free.
  uint64_t Lookup(LHANDLE handle) const {
    return ids_[handle & mask_].load(std::memory_order_relaxed);
  }

 private:
  // Read by lookups.
  alignas(64) const uint64_t mask_;
  const std::unique_ptr<std::atomic<uint64_t>[]> ids_;
  // Writers only, from here on.
  alignas(64) const uint32_t capacity_;
  std::mutex mu_;
  std::deque<uint32_t> free_;  // Oldest first.
  uint64_t next_unused_ = 1;
  uint64_t next_session_id_ = 0;
};

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_FLOOR_ARRAY_H_
