// The session table: maps an LHANDLE to a live slot in O(1) with a lock-free read.
//
// Reclamation scheme (why a lookup needs neither a lock nor a shared write):
// - Type-stable memory. The slot array is allocated once, at construction, and freed only when the
//   table is destroyed. A reader can always dereference any in-range slot, whatever a concurrent
//   logoff does, so there is no use-after-free to defend against on the read path.
// - Never-reused handles. A slot's handle word holds the exact 64-bit handle it issued, or 0 when
//   free. Each reuse bumps the slot's generation (32 bits, in the handle), and a slot that has
//   issued max_generation handles is retired, never wrapped. So a handle, once logged off, never
//   matches again: a reader holding a stale handle can only ever see "invalid".
// - Seqlock-style snapshot. A reader loads the handle word (acquire), copies the payload, then
//   re-checks the handle word after an acquire fence. Writers clear the handle word and issue a
//   release fence before they touch the payload, and publish a new handle with a release store
//   after it. If the re-check still sees the reader's handle, the payload copy belongs to it: no
//   torn read. The payload is a copy (SessionView), so nothing escapes that a logoff could free.
// - Writers (issue, release) are serialised by the owning Provider's mutex; Session objects are
//   only reached through the writer-side fields, under that mutex.
// - Deferred reuse. A released slot goes to the back of a FIFO reuse queue, so the slot a stale
//   handle points at is reissued as late as possible. The queue grows on demand through the
//   memory resource; that growth is the one allocation on the logoff path, and it happens before
//   anything changes, so a logoff that cannot get it fails with nothing changed.
#ifndef SMAPI_SESSION_TABLE_H_
#define SMAPI_SESSION_TABLE_H_

#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory_resource>

#include "handle_codec.h"
#include "schedule_point.h"

namespace smapi::internal {

struct Session;

class SessionTable {
 public:
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  SessionTable(uint32_t capacity, uint32_t max_generation, uint64_t seed,
               std::pmr::memory_resource* memory);
  ~SessionTable();
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;

  // Resolves a handle to its slot index and a snapshot of its payload; kNoSlot when the handle is
  // not live. Lock-free; the only path by which any caller turns a handle into a session.
  uint32_t Find(LHANDLE handle, SessionView* view) const noexcept {
    if (handle == 0) return kNoSlot;  // Free slots hold 0.
    const uint64_t index = codec_.Decode(handle) & kIndexMask;
    if (index >= capacity_) return kNoSlot;
    const Slot& slot = slots_[index];
    SMAPI_SCHEDULE_POINT("find: load the handle");
    if (slot.handle.load(std::memory_order_acquire) != handle) return kNoSlot;
    SMAPI_SCHEDULE_POINT("find: copy the payload");
    const uint64_t session_id = slot.session_id.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    SMAPI_SCHEDULE_POINT("find: re-check the handle");
    if (slot.handle.load(std::memory_order_relaxed) != handle) return kNoSlot;
    view->session_id = session_id;
    return static_cast<uint32_t>(index);
  }

  // Writer side: the caller holds the provider's writer lock for all of these.

  bool HasFreeSlot() const { return reuse_count_ > 0 || next_unused_ < capacity_; }

  // Issues a new handle for `session` in a free slot. Requires HasFreeSlot(). Never fails.
  LHANDLE Issue(Session* session, uint64_t session_id);

  // Makes sure Release() cannot fail. May throw std::bad_alloc, with nothing changed.
  void ReserveRelease();

  // Invalidates the slot's handle forever and queues the slot for reuse (or retires it).
  // Requires a prior ReserveRelease(). Returns the session the handle referred to.
  Session* Release(uint32_t index);

  Session* SessionAt(uint32_t index) const { return owners_[index].session; }
  LHANDLE HandleAt(uint32_t index) const {
    return slots_[index].handle.load(std::memory_order_relaxed);
  }
  uint32_t capacity() const { return capacity_; }
  size_t live() const { return live_; }
  size_t retired() const { return retired_; }
  size_t free_slots() const { return reuse_count_ + (capacity_ - next_unused_); }

  // Null when every structural invariant holds, else what is broken.
  const char* CheckInvariants() const;

 private:
  // What a reader touches: 16 bytes, four to a cache line.
  struct alignas(16) Slot {
    std::atomic<uint64_t> handle{0};      // The live handle, or 0.
    std::atomic<uint64_t> session_id{0};  // Payload copied out by Find.
  };
  // What only writers touch, kept off the readers' cache lines.
  struct SlotOwner {
    Session* session = nullptr;
    uint32_t generation = 0;  // Last generation issued; 0 = never issued.
  };

  static size_t BlockSize(uint32_t capacity);
  uint32_t PopFreeSlot();

  // Read by every lookup; on a cache line of its own with the other read-only fields, so that
  // writers updating the counters below never invalidate it.
  alignas(64) const uint32_t capacity_;
  const uint32_t max_generation_;
  std::pmr::memory_resource* const memory_;
  const HandleCodec codec_;
  // One block: capacity owners, then capacity slots, so that a read one past the last slot is a
  // read past the block, which a sanitizer sees.
  void* const block_;
  SlotOwner* const owners_;
  Slot* const slots_;

  // Writer-side state from here on.
  alignas(64) SplitMix64 tags_;
  uint32_t next_unused_ = 0;  // Slots at or past this index have never been issued.
  size_t live_ = 0;
  size_t retired_ = 0;

  // FIFO ring of released slot indices.
  uint32_t* reuse_ = nullptr;
  uint32_t reuse_capacity_ = 0;
  uint32_t reuse_head_ = 0;
  uint32_t reuse_count_ = 0;
};

}  // namespace smapi::internal

#endif  // SMAPI_SESSION_TABLE_H_
