// The fuzzers' arena: blocks are aligned and apart, freed blocks stay out of use until Reset(),
// and under ASan a freed block and the redzone after a live one are poisoned.
#include "arena_resource.h"

#include <gtest/gtest.h>
#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace {

using smapi::testing::ArenaResource;

TEST(ArenaResource, BlocksAreAlignedAndDoNotOverlap) {
  ArenaResource arena(256);
  std::vector<std::pair<uintptr_t, uintptr_t>> blocks;       // [start, end)
  for (size_t bytes : {1u, 13u, 16u, 100u, 300u, 0u, 7u}) {  // 300: larger than a chunk.
    auto* p = static_cast<char*>(arena.allocate(bytes, 8));
    const auto start = reinterpret_cast<uintptr_t>(p);
    EXPECT_EQ(start % 16, 0u);
    for (const auto& [begin, end] : blocks) {
      EXPECT_TRUE(start + std::max<size_t>(bytes, 1) <= begin || start >= end);
    }
    blocks.emplace_back(start, start + std::max<size_t>(bytes, 1));
    for (size_t i = 0; i < bytes; ++i) p[i] = static_cast<char>(i);  // Writable to the end.
  }
  EXPECT_EQ(arena.outstanding_blocks(), 7u);
}

TEST(ArenaResource, HonoursLargeAlignment) {
  ArenaResource arena;
  void* p = arena.allocate(24, 128);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 128, 0u);
  arena.deallocate(p, 24, 128);
}

TEST(ArenaResource, FreedBlocksAreNotReusedUntilReset) {
  ArenaResource arena;
  void* first = arena.allocate(32, 16);
  arena.deallocate(first, 32, 16);
  void* second = arena.allocate(32, 16);
  EXPECT_NE(first, second);  // A dangling pointer to `first` cannot alias a live block.
  arena.deallocate(second, 32, 16);
  arena.Reset();
  EXPECT_EQ(arena.allocate(32, 16), first);  // The same warm memory for the next provider.
  arena.deallocate(first, 32, 16);
}

TEST(ArenaResourceDeathTest, ResetWithABlockOutstandingAborts) {
  ArenaResource arena;
  void* p = arena.allocate(8, 8);
  EXPECT_DEATH(arena.Reset(), "");
  arena.deallocate(p, 8, 8);
}

#if SMAPI_ARENA_HAS_ASAN
TEST(ArenaResource, PoisonsFreedBlocksAndRedzones) {
  ArenaResource arena;
  auto* p = static_cast<char*>(arena.allocate(13, 8));
  EXPECT_EQ(__asan_region_is_poisoned(p, 13), nullptr);
  EXPECT_TRUE(__asan_address_is_poisoned(p + 13));  // The byte just past the block.
  arena.deallocate(p, 13, 8);
  EXPECT_TRUE(__asan_address_is_poisoned(p));
}

TEST(ArenaResourceDeathTest, DoubleFreeAborts) {
  ArenaResource arena;
  void* p = arena.allocate(16, 16);
  arena.deallocate(p, 16, 16);
  EXPECT_DEATH(arena.deallocate(p, 16, 16), "double free");
}

TEST(ArenaResourceDeathTest, FreeWithASizePastTheBlockAborts) {
  ArenaResource arena;
  void* p = arena.allocate(13, 8);
  EXPECT_DEATH(arena.deallocate(p, 20, 8), "a size past the block");
  arena.deallocate(p, 13, 8);
}
#endif

}  // namespace
