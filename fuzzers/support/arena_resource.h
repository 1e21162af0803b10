// A std::pmr::memory_resource that hands out blocks from memory it keeps, for fuzz targets that
// build a provider per input or per batch.
//
// Why: under ASan a fresh heap block comes out of the allocator's quarantine cycle, cold memory
// that costs page faults, and building a provider then costs several times the calls an input
// fuzzes. The arena reuses the same warm memory for provider after provider, yet keeps what ASan
// would catch: every block is followed by a poisoned redzone, and a freed block stays poisoned and
// is never handed out again until Reset(), which the owner calls only after the provider that used
// the arena is gone. So an overflow, a use after free or a double free inside one provider's life
// still reports (the double free from this class, under ASan); only the reuse across providers is
// new, and no pointer survives a provider.
//
// Not thread-safe: the targets that use it are single-threaded.
#ifndef SMAPI_FUZZERS_SUPPORT_ARENA_RESOURCE_H_
#define SMAPI_FUZZERS_SUPPORT_ARENA_RESOURCE_H_

#if __has_include(<sanitizer/asan_interface.h>)
#include <sanitizer/asan_interface.h>
#else  // MinGW ships no sanitizer headers, and has no ASan to tell.
#define ASAN_POISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory_resource>
#include <new>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define SMAPI_ARENA_HAS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMAPI_ARENA_HAS_ASAN 1
#endif
#endif
#ifndef SMAPI_ARENA_HAS_ASAN
#define SMAPI_ARENA_HAS_ASAN 0
#endif

namespace smapi::testing {

// Oracle code, not the provider's: UBSan's vptr check, a hashed type lookup on every member access
// of a polymorphic object, made up over a third of an allocation's cost here.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("vptr"))), apply_to = function)
#endif

class ArenaResource final : public std::pmr::memory_resource {
 public:
  explicit ArenaResource(size_t chunk_bytes = 8 << 10) : chunk_bytes_(chunk_bytes) {}
  ~ArenaResource() override {
    for (const Chunk& chunk : chunks_) {
      ASAN_UNPOISON_MEMORY_REGION(chunk.base, chunk.size);
      ::operator delete (chunk.base, std::align_val_t{kAlign});
    }
  }
  ArenaResource(const ArenaResource&) = delete;
  ArenaResource& operator=(const ArenaResource&) = delete;

  // Makes the whole arena available again. Aborts unless every block came back: a block still in
  // use would be handed out twice.
  void Reset() {
    if (outstanding_ != 0) {
      std::fprintf(stderr, "ArenaResource: Reset() with %zu blocks still in use\n", outstanding_);
      std::abort();
    }
    chunk_ = 0;
    cursor_ = 0;
  }

  size_t outstanding_blocks() const { return outstanding_; }

 private:
  // ASan's shadow granule is 8 bytes; blocks start on 16 and leave at least 16 poisoned after.
  static constexpr size_t kAlign = 16;
  static constexpr size_t kRedzone = 16;

  struct Chunk {
    std::byte* base;
    size_t size;
  };

  // `to` is a power of two, as every alignment is: a mask, not a division.
  static size_t RoundUp(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

  void* do_allocate(size_t bytes, size_t alignment) override {
    alignment = std::max(alignment, kAlign);
    for (;; ++chunk_, cursor_ = 0) {
      if (chunk_ == chunks_.size()) AddChunk(bytes + alignment + kRedzone);
      const Chunk& chunk = chunks_[chunk_];
      const uintptr_t base = reinterpret_cast<uintptr_t>(chunk.base);
      const size_t start = RoundUp(base + cursor_, alignment) - base;
      if (start + bytes + kRedzone <= chunk.size) {
        cursor_ = start + bytes + kRedzone;
        ++outstanding_;
        ASAN_UNPOISON_MEMORY_REGION(chunk.base + start, bytes);
        return chunk.base + start;
      }
    }
  }

  void do_deallocate(void* p, size_t bytes, size_t /*alignment*/) override {
#if SMAPI_ARENA_HAS_ASAN
    // A live block is addressable to its last byte, and a freed one is poisoned whole: its first
    // byte tells a double free, and its last a size past the block's end, unless that size ends
    // inside another live block. Two shadow loads: scanning the block's whole shadow cost about 6%
    // of a successful logoff_fuzzer input.
    const char* const first = static_cast<const char*>(p);
    if (bytes != 0 &&
        (__asan_address_is_poisoned(first) || __asan_address_is_poisoned(first + bytes - 1))) {
      std::fprintf(stderr,
                   "ArenaResource: double free, or a size past the block: %zu bytes at %p\n", bytes,
                   p);
      std::abort();
    }
#endif
    --outstanding_;
    ASAN_POISON_MEMORY_REGION(p, bytes);
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  void AddChunk(size_t at_least) {
    const size_t size = RoundUp(std::max(chunk_bytes_, at_least), kAlign);
    auto* base = static_cast<std::byte*>(::operator new (size, std::align_val_t{kAlign}));
    ASAN_POISON_MEMORY_REGION(base, size);
    chunks_.push_back(Chunk{base, size});
  }

  const size_t chunk_bytes_;
  std::vector<Chunk> chunks_;
  size_t chunk_ = 0;   // The chunk being carved.
  size_t cursor_ = 0;  // Its first byte not yet handed out.
  size_t outstanding_ = 0;
};

#if defined(__clang__)
#pragma clang attribute pop
#endif

}  // namespace smapi::testing

#endif  // SMAPI_FUZZERS_SUPPORT_ARENA_RESOURCE_H_
