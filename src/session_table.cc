#include "session_table.h"

#include <algorithm>
#include <new>

#include "session.h"

namespace smapi::internal {

using Slot = std::atomic<uint64_t>;

size_t SessionTable::BlockSize(uint32_t capacity) {
  static_assert(sizeof(Slot) == 8 && Slot::is_always_lock_free, "a slot is one lock-free word");
  static_assert(sizeof(SlotOwner) % alignof(Slot) == 0, "slots must stay aligned after owners");
  return (sizeof(SlotOwner) + sizeof(Slot)) * std::max<uint32_t>(capacity, 1);
}

SessionTable::SessionTable(uint32_t capacity, uint32_t max_generation, uint64_t seed,
                           std::pmr::memory_resource* memory)
    : capacity_(std::min(capacity, kMaxCapacity)),
      max_generation_(std::max<uint32_t>(max_generation, 1)),
      memory_(memory),
      codec_(SplitMix64(seed).Next()),
      id_mask_(SplitMix64(seed ^ 0x1d5e55105e55105eULL).Next()),
      block_(memory->allocate(BlockSize(capacity_), alignof(Slot))),
      owners_(static_cast<SlotOwner*>(block_)),
      slots_(reinterpret_cast<Slot*>(owners_ + capacity_)),
      lookup_(slots_, capacity_, codec_, id_mask_, &shared_id_),
      tags_(seed ^ 0x5bd1e9955bd1e995ULL) {
  std::uninitialized_default_construct_n(owners_, capacity_);
  std::uninitialized_default_construct_n(slots_, capacity_);
}

SessionTable::SessionTable(const SessionTable& source, std::pmr::memory_resource* memory)
    : capacity_(source.capacity_),
      max_generation_(source.max_generation_),
      memory_(memory),
      codec_(source.codec_),
      id_mask_(source.id_mask_),
      block_(memory->allocate(BlockSize(capacity_), alignof(Slot))),
      owners_(static_cast<SlotOwner*>(block_)),
      slots_(reinterpret_cast<Slot*>(owners_ + capacity_)),
      shared_id_(source.shared_id_.load(std::memory_order_relaxed)),
      lookup_(slots_, capacity_, codec_, id_mask_, &shared_id_),
      tags_(source.tags_),
      next_unused_(source.next_unused_),
      live_(source.live_),
      retired_(source.retired_) {
  if (source.reuse_capacity_ > 0) {
    try {
      reuse_ = static_cast<uint32_t*>(
          memory->allocate(sizeof(uint32_t) * source.reuse_capacity_, alignof(uint32_t)));
    } catch (const std::bad_alloc&) {
      memory->deallocate(block_, BlockSize(capacity_), alignof(Slot));  // No destructor runs.
      throw;
    }
    // The queue in order from the front; the ring's other entries were never meant to be read.
    reuse_capacity_ = source.reuse_capacity_;
    reuse_count_ = source.reuse_count_;
    for (uint32_t k = 0; k < reuse_count_; ++k) {
      reuse_[k] = source.reuse_[(source.reuse_head_ + k) % reuse_capacity_];
    }
  }
  for (uint32_t i = 0; i < capacity_; ++i) {
    const bool used = i < next_unused_;
    new (&owners_[i]) SlotOwner{nullptr, used ? source.owners_[i].generation : 0};
    new (&slots_[i]) Slot(used ? source.slots_[i].load(std::memory_order_relaxed) : 0);
  }
}

SessionTable::~SessionTable() {
  std::destroy_n(slots_, capacity_);
  std::destroy_n(owners_, capacity_);
  memory_->deallocate(block_, BlockSize(capacity_), alignof(Slot));
  if (reuse_ != nullptr) {
    memory_->deallocate(reuse_, sizeof(uint32_t) * reuse_capacity_, alignof(uint32_t));
  }
}

uint32_t SessionTable::PopFreeSlot() {
  if (reuse_count_ > 0) {
    const uint32_t index = reuse_[reuse_head_];
    reuse_head_ = (reuse_head_ + 1) % reuse_capacity_;
    --reuse_count_;
    return index;
  }
  return next_unused_++;
}

LHANDLE SessionTable::Issue(Session* session) {
  const uint32_t index = PopFreeSlot();
  SlotOwner& owner = owners_[index];
  const uint32_t generation = owner.generation + 1;
  const uint64_t shared = session->shared ? 1 : 0;
  uint64_t raw = 0;
  LHANDLE handle = 0;
  // Exactly one raw value encodes to 0, and one gives the id 0; another tag avoids either.
  while (handle == 0 || (raw ^ id_mask_) == 0) {
    const uint64_t tag = (tags_.Next() & ~uint64_t{1}) | shared;
    raw = PackRaw(index, static_cast<uint32_t>(tag), generation);
    handle = codec_.Encode(raw);
  }
  owner.generation = generation;
  owner.session = session;
  if (session->handles == 0) {
    session->id = raw ^ id_mask_;  // The handle that opens a session names it.
    if (session->shared) {
      // The seqlock's writer side, all in this thread. A reader that loads this new id (acquire)
      // synchronises with this release store, and so sees every write that happened before it:
      // among them the clear of any handle onto an earlier shared session (Release, under the
      // mutex this thread now holds), which its re-check of the slot then sees. Without the
      // release, a stale handle onto the old shared session could pass its re-check carrying this
      // session's id.
      SMAPI_SCHEDULE_POINT("issue: store the shared session's id");
      shared_id_.store(session->id, std::memory_order_release);
    }
  }
  SMAPI_SCHEDULE_POINT("issue: publish the handle");
  slots_[index].store(handle, std::memory_order_release);  // Publishes the shared id above.
  ++live_;
  return handle;
}

void SessionTable::ReserveRelease() {
  if (reuse_count_ < reuse_capacity_) return;
  const uint32_t grown = std::min(std::max<uint32_t>(8, reuse_capacity_ * 2), capacity_);
  auto* ring =
      static_cast<uint32_t*>(memory_->allocate(sizeof(uint32_t) * grown, alignof(uint32_t)));
  for (uint32_t i = 0; i < reuse_count_; ++i) {
    ring[i] = reuse_[(reuse_head_ + i) % reuse_capacity_];
  }
  if (reuse_ != nullptr) {
    memory_->deallocate(reuse_, sizeof(uint32_t) * reuse_capacity_, alignof(uint32_t));
  }
  reuse_ = ring;
  reuse_capacity_ = grown;
  reuse_head_ = 0;
}

Session* SessionTable::Release(uint32_t index) {
  SlotOwner& owner = owners_[index];
  // No fence of its own: the one payload, the shared id, is stored with release by the thread
  // that writes it (Issue), which is what orders this clear before it for a reader.
  SMAPI_SCHEDULE_POINT("release: clear the slot");
  slots_[index].store(0, std::memory_order_relaxed);
  Session* session = owner.session;
  owner.session = nullptr;
  --live_;
  if (owner.generation >= max_generation_) {
    ++retired_;  // Its generations are spent: never reissue, never wrap.
  } else {
    reuse_[(reuse_head_ + reuse_count_) % reuse_capacity_] = index;
    ++reuse_count_;
  }
  return session;
}

// A failure return that has a line of its own runs only on a broken table, so the coverage gate
// leaves it out (between "coverage: exempt" markers, ci/coverage_gate.py).
const char* SessionTable::CheckInvariants() const {
  size_t live = 0;
  for (uint32_t i = 0; i < capacity_; ++i) {
    const SlotOwner& owner = owners_[i];
    const LHANDLE handle = slots_[i].load(std::memory_order_relaxed);
    if (i >= next_unused_ && (handle != 0 || owner.generation != 0)) {
      // coverage: exempt begin
      return "a never-used slot holds a handle or a generation";
    }  // coverage: exempt end
    if (handle == 0) {
      if (owner.session != nullptr) return "a free slot still points at a session";
      continue;
    }
    ++live;
    if (owner.session == nullptr) return "a live slot has no session";
    if (owner.generation == 0 || owner.generation > max_generation_) {
      // coverage: exempt begin
      return "a live slot's generation is out of range";
    }  // coverage: exempt end
    const uint64_t raw = codec_.Decode(handle);
    if ((raw & kIndexMask) != i || (raw >> kGenerationShift) != owner.generation) {
      // coverage: exempt begin
      return "a live handle does not decode to its own slot and generation";
    }  // coverage: exempt end
    if (((raw & kSharedTagBit) != 0) != owner.session->shared) {
      // coverage: exempt begin
      return "a handle's shared mark disagrees with its session";
    }  // coverage: exempt end
    uint64_t session_id = 0;
    if (Find(handle, &session_id) != i) return "a live handle does not find its own slot";
  }
  if (live != live_) return "the live count disagrees with the slots";
  if (reuse_count_ > reuse_capacity_) return "the reuse queue overflowed";
  for (uint32_t k = 0; k < reuse_count_; ++k) {
    const uint32_t index = reuse_[(reuse_head_ + k) % reuse_capacity_];
    if (index >= next_unused_) return "the reuse queue holds a never-used slot";
    if (slots_[index].load(std::memory_order_relaxed) != 0) {
      // coverage: exempt begin
      return "the reuse queue holds a live slot";
    }  // coverage: exempt end
    if (owners_[index].generation >= max_generation_) return "the reuse queue holds a spent slot";
  }
  if (live_ + reuse_count_ + retired_ != next_unused_) {
    // coverage: exempt begin
    return "used slots are not exactly live + queued + retired";
  }  // coverage: exempt end
  return nullptr;
}

void SessionTable::Fingerprint(StateHash* out) const {
  StateHash hash = *out;  // A local, so the running value stays in a register.
  for (uint32_t i = 0; i < next_unused_; ++i) {
    hash.Add(slots_[i].load(std::memory_order_relaxed));
    hash.Add(owners_[i].generation);
    if (const Session* session = owners_[i].session) {
      hash.Add(session->id);
      hash.Add(session->handles);
      hash.Add(session->shared);
      hash.Add(session->profile);
      hash.Add(session->password);
    }
  }
  for (uint32_t k = 0; k < reuse_count_; ++k) hash.Add(reuse_[(reuse_head_ + k) % reuse_capacity_]);
  SplitMix64 tags = tags_;  // Its next draw stands for its state.
  hash.Add(tags.Next());
  hash.Add(next_unused_);
  hash.Add(live_);
  hash.Add(retired_);
  hash.Add(shared_id_.load(std::memory_order_relaxed));
  *out = hash;
}

}  // namespace smapi::internal
