// The session table: maps an LHANDLE to a live slot in O(1) with a lock-free read of one word.
//
// Reclamation scheme (why a lookup needs neither a lock nor a shared write):
// - Type-stable memory. The slot array is allocated once, at construction, and freed only when the
//   table is destroyed. A reader can always load any in-range slot, whatever a concurrent logoff
//   does, so there is no use-after-free to defend against on the read path.
// - Never-reused handles. A slot is one atomic word holding the exact 64-bit handle it issued, or
//   0 when free. Each reuse bumps the slot's generation (32 bits, in the handle), and a slot that
//   has issued max_generation handles is retired, never wrapped. So a handle, once logged off,
//   never matches again: a reader holding a stale handle can only ever see "invalid".
// - The answer is in the handle. A private session has one handle, and its id is that handle's
//   decoded value under a secret mask, so the one load that validates the handle also answers it
//   (<smapi/detail/session_lookup.h>). Only a handle onto the shared session reads a payload, the
//   shared session's id, under a seqlock-style re-check of its slot (the ordering is in Issue).
// - Writers (issue, release) are serialised by the owning Provider's mutex; Session objects are
//   only reached through the writer-side fields, under that mutex.
// - Deferred reuse. A released slot goes to the back of a FIFO reuse queue, so the slot a stale
//   handle points at is reissued as late as possible. The queue grows on demand through the
//   memory resource; that growth is the one allocation on the logoff path, and it happens before
//   anything changes, so a logoff that cannot get it fails with nothing changed.
#ifndef SMAPI_SESSION_TABLE_H_
#define SMAPI_SESSION_TABLE_H_

#include <smapi/detail/session_lookup.h>
#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory_resource>

#include "handle_codec.h"
#include "schedule_point.h"
#include "state_hash.h"

namespace smapi::internal {

struct Session;

class SessionTable {
 public:
  static constexpr uint32_t kNoSlot = SessionLookup::kNoSlot;

  SessionTable(uint32_t capacity, uint32_t max_generation, uint64_t seed,
               std::pmr::memory_resource* memory);
  // A copy of `source`'s slots, generations, reuse queue, counters and tag generator, so that it
  // issues the same handles next; its blocks come from `memory`. Its live slots point at no
  // session until Adopt() gives each one. May throw std::bad_alloc, having kept nothing.
  SessionTable(const SessionTable& source, std::pmr::memory_resource* memory);
  ~SessionTable();
  SessionTable(const SessionTable&) = delete;
  SessionTable& operator=(const SessionTable&) = delete;

  // What a reader needs; the Provider keeps a copy for its inline Lookup.
  const SessionLookup& lookup() const { return lookup_; }
  // Resolves a handle to its slot index and its session's id; kNoSlot when the handle is not live.
  uint32_t Find(LHANDLE handle, uint64_t* session_id) const noexcept {
    return lookup_.Find(handle, session_id);
  }

  // Writer side: the caller holds the provider's writer lock for all of these.

  bool HasFreeSlot() const { return reuse_count_ > 0 || next_unused_ < capacity_; }

  // Issues a new handle onto `session` in a free slot. Requires HasFreeSlot(). Never fails. The
  // first handle of a session (session->handles == 0) names it: Issue sets session->id.
  LHANDLE Issue(Session* session);

  // Makes sure Release() cannot fail. May throw std::bad_alloc, with nothing changed.
  void ReserveRelease();

  // Invalidates the slot's handle forever and queues the slot for reuse (or retires it).
  // Requires a prior ReserveRelease(). Returns the session the handle referred to.
  Session* Release(uint32_t index);

  // For the copy constructor's owner only: live slot `index`, still without a session, gets
  // `session`, which the caller has copied from the source's.
  void Adopt(uint32_t index, Session* session) { owners_[index].session = session; }

  Session* SessionAt(uint32_t index) const { return owners_[index].session; }
  LHANDLE HandleAt(uint32_t index) const { return slots_[index].load(std::memory_order_relaxed); }
  uint32_t capacity() const { return capacity_; }
  // Slots at or past this index have never issued a handle.
  uint32_t used() const { return next_unused_; }
  size_t live() const { return live_; }
  size_t retired() const { return retired_; }
  size_t free_slots() const { return reuse_count_ + (capacity_ - next_unused_); }

  // Null when every structural invariant holds, else what is broken.
  const char* CheckInvariants() const;

  // Adds every piece of the table's state to *hash, for checking that a failed call changed
  // nothing: each used slot's word, generation and session, the reuse queue in order, the
  // counters, the tag generator and the shared session's id.
  void Fingerprint(StateHash* hash) const;

 private:
  // What only writers touch, kept off the readers' cache lines.
  struct SlotOwner {
    Session* session = nullptr;
    uint32_t generation = 0;  // Last generation issued; 0 = never issued.
  };

  static size_t BlockSize(uint32_t capacity);
  uint32_t PopFreeSlot();

  const uint32_t capacity_;
  const uint32_t max_generation_;
  std::pmr::memory_resource* const memory_;
  const HandleCodec codec_;
  const uint64_t id_mask_;
  // One block: capacity owners, then capacity slots, so that a read one past the last slot is a
  // read past the block, which a sanitizer sees.
  void* const block_;
  SlotOwner* const owners_;
  std::atomic<uint64_t>* const slots_;
  // The shared session's id: the one payload a reader loads besides its slot. Written only when a
  // shared session opens; on a line of its own, away from the counters below.
  alignas(64) std::atomic<uint64_t> shared_id_{0};
  const SessionLookup lookup_;

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
