// The read half of the session table: what a lookup needs, small enough to copy into the Provider
// so that Provider::Lookup inlines into its caller. Not an API; the table (src/session_table.h)
// owns the memory and documents the scheme.
//
// One slot is one atomic 8-byte word holding the exact live handle, or 0 when the slot is free. One
// load both validates a handle and answers it:
// - A handle names its slot (the decoded index) and is live only if the slot holds all of its 64
//   bits. Handles are never reissued, so a stale or forged handle never matches.
// - A private session has exactly one handle, so its id is derived from that handle (its decoded
//   value under a secret mask): no payload to load. Handle ids never repeat, so neither do these.
// - A handle onto the shared session (its tag's low bit) answers with the shared session's id, the
//   one payload: a seqlock read, ordered as src/session_table.cc Issue describes.
#ifndef SMAPI_DETAIL_SESSION_LOOKUP_H_
#define SMAPI_DETAIL_SESSION_LOOKUP_H_

#include <smapi/detail/handle_codec.h>
#include <smapi/mapi.h>

#include <atomic>
#include <cstdint>

// Schedule points (src/schedule_point.h): only the schedule fuzzer's build defines
// SMAPI_SCHEDULE_POINTS, and it has src/ on its include path. Everywhere else they are nothing.
#if defined(SMAPI_SCHEDULE_POINTS)
#include "schedule_point.h"
#elif !defined(SMAPI_SCHEDULE_POINT)
#define SMAPI_SCHEDULE_POINT(where) static_cast<void>(0)
#endif

namespace smapi::internal {

// On one cache line of its own: a lookup touches it and the slot, as an array lookup touches the
// array's header and its element.
class alignas(64) SessionLookup {
 public:
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  SessionLookup(const std::atomic<uint64_t>* slots, uint32_t capacity, const HandleCodec& codec,
                uint64_t id_mask, const std::atomic<uint64_t>* shared_id)
      : slots_(slots),
        capacity_(capacity),
        codec_(codec),
        id_mask_(id_mask),
        shared_id_(shared_id) {}

  // The slot index of a live handle, with its session's id in *session_id; kNoSlot otherwise.
  // Lock-free, no shared write: the only path by which anything turns a handle into a session.
  uint32_t Find(LHANDLE handle, uint64_t* session_id) const noexcept {
    if (handle == 0) return kNoSlot;  // Free slots hold 0.
    const uint64_t raw = codec_.Decode(handle);
    const uint64_t index = raw & kIndexMask;
    if (index >= capacity_) return kNoSlot;
    const std::atomic<uint64_t>& slot = slots_[index];
    SMAPI_SCHEDULE_POINT("lookup: load the slot");
    // Relaxed: a private handle's answer is the handle itself, so nothing else is read. (An
    // acquire here would also make the compiler reload this object's fields on every lookup.)
    if (slot.load(std::memory_order_relaxed) != handle) return kNoSlot;
    if ((raw & kSharedTagBit) == 0) {
      *session_id = raw ^ id_mask_;
      return static_cast<uint32_t>(index);
    }
    // Pairs with Issue's release store of the handle, so the id read below is at least the one
    // this handle was issued under.
    std::atomic_thread_fence(std::memory_order_acquire);
    SMAPI_SCHEDULE_POINT("lookup: load the shared session's id");
    // Acquire: pairs with Issue's release store of a newer id, which comes after the logoff that
    // cleared this slot; then the re-check below sees that clear.
    const uint64_t id = shared_id_->load(std::memory_order_acquire);
    SMAPI_SCHEDULE_POINT("lookup: re-check the slot");
    if (slot.load(std::memory_order_relaxed) != handle) return kNoSlot;
    *session_id = id;
    return static_cast<uint32_t>(index);
  }

  uint32_t capacity() const { return capacity_; }

 private:
  const std::atomic<uint64_t>* const slots_;
  const uint32_t capacity_;
  const HandleCodec codec_;
  const uint64_t id_mask_;
  const std::atomic<uint64_t>* const shared_id_;
};

}  // namespace smapi::internal

#endif  // SMAPI_DETAIL_SESSION_LOOKUP_H_
