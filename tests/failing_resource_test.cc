// The fuzzers' failing resource as the H6 oracle: a watched password still in a block given back
// aborts, and what is not a password left behind does not.
#include "failing_resource.h"

#include <gtest/gtest.h>

#include <cstring>
#include <new>
#include <string>

namespace {

using smapi::testing::FailingResource;

// Allocates a block of `bytes`, writes `text` at `at` and gives the block back.
void GiveBackHolding(FailingResource& memory, size_t bytes, size_t at, const std::string& text) {
  auto* block = static_cast<char*>(memory.allocate(bytes, 8));
  std::memcpy(block + at, text.data(), text.size());
  memory.deallocate(block, bytes, 8);
}

TEST(FailingResourceDeathTest, AWatchedPasswordGivenBackAborts) {
  FailingResource memory;
  memory.WatchSecret("secretive");
  EXPECT_DEATH(GiveBackHolding(memory, 64, 0, "secretive"), "H6: a block of 64 bytes");
}

TEST(FailingResourceDeathTest, FoundAtTheBlocksLastByte) {
  FailingResource memory;
  memory.WatchSecret("secretive");
  EXPECT_DEATH(GiveBackHolding(memory, 40, 31, "secretive"), "password wiped before release");
}

TEST(FailingResource, AWipedBlockGoesBack) {
  FailingResource memory;
  memory.WatchSecret("secretive");
  GiveBackHolding(memory, 64, 8, std::string(9, '\0'));
  GiveBackHolding(memory, 64, 8, "secretiv");  // One byte short of the password.
  EXPECT_EQ(memory.outstanding_blocks(), 0u);
}

// The false alarm logon_fuzzer found: "]qeZ" was 4 bytes of the provider's random id mask, which
// the block holding the provider's state carries for as long as the provider lives.
TEST(FailingResource, ShortRunsAreNotWatched) {
  FailingResource memory;
  memory.WatchSecret("]qeZ");
  memory.WatchSecret("secret");  // 6 bytes: still shorter than kMinWatched.
  GiveBackHolding(memory, 64, 16, "\x3f\x8e]qeZ\xc2\xde secret");
  EXPECT_EQ(memory.outstanding_blocks(), 0u);
}

TEST(FailingResource, PasswordsInsidePlainTextAreNotWatched) {
  FailingResource memory;
  memory.AllowPlain("profile-secretive-name");  // A profile name the provider keeps in the clear.
  memory.WatchSecret("secretive");
  GiveBackHolding(memory, 64, 0, "profile-secretive-name");
  EXPECT_EQ(memory.outstanding_blocks(), 0u);
}

// KeptWorld serves provider after provider from one resource: a restart forgets what was watched
// and the armed failure, as a new resource would.
TEST(FailingResource, RestartForgetsWatchedPasswordsAndFailures) {
  FailingResource memory;
  memory.WatchSecret("secretive");
  memory.FailNth(1);
  EXPECT_THROW(static_cast<void>(memory.allocate(8, 8)), std::bad_alloc);
  memory.Restart();
  EXPECT_EQ(memory.allocations(), 0u);
  EXPECT_EQ(memory.failures(), 0u);
  GiveBackHolding(memory, 64, 0, "secretive");  // No longer watched, and no longer failed.
  EXPECT_EQ(memory.allocations(), 1u);
  EXPECT_EQ(memory.outstanding_blocks(), 0u);
}

TEST(FailingResourceDeathTest, RestartWithABlockOutAborts) {
  FailingResource memory;
  void* block = memory.allocate(16, 8);
  EXPECT_DEATH(memory.Restart(), "Restart\\(\\) with 1 blocks still in use");
  memory.deallocate(block, 16, 8);
}

}  // namespace
