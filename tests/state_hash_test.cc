// The fingerprint's hash: what "a failed call changed nothing" relies on. Any one word or byte
// changed, the order changed, or a string split differently gives another value.
#include "state_hash.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using smapi::internal::StateHash;

uint64_t HashOf(const std::vector<uint64_t>& words) {
  StateHash hash;
  for (const uint64_t word : words) hash.Add(word);
  return hash.value();
}

uint64_t HashOf(const std::vector<std::string>& texts) {
  StateHash hash;
  for (const std::string& text : texts) hash.Add(std::string_view(text));
  return hash.value();
}

TEST(StateHash, EqualInputsGiveEqualValues) {
  EXPECT_EQ(HashOf(std::vector<uint64_t>{1, 2, 3}), HashOf(std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(HashOf(std::vector<std::string>{"default", ""}),
            HashOf(std::vector<std::string>{"default", ""}));
}

TEST(StateHash, EveryBitOfEveryWordCounts) {
  const std::vector<uint64_t> words = {0, 1, UINT64_MAX, 0x10ff000000000001ULL};
  const uint64_t base = HashOf(words);
  for (size_t i = 0; i < words.size(); ++i) {
    for (int bit = 0; bit < 64; ++bit) {
      std::vector<uint64_t> changed = words;
      changed[i] ^= uint64_t{1} << bit;
      EXPECT_NE(HashOf(changed), base) << "word " << i << ", bit " << bit;
    }
  }
}

TEST(StateHash, OrderAndCountCount) {
  EXPECT_NE(HashOf(std::vector<uint64_t>{1, 2}), HashOf(std::vector<uint64_t>{2, 1}));
  EXPECT_NE(HashOf(std::vector<uint64_t>{}), HashOf(std::vector<uint64_t>{0}));
  EXPECT_NE(HashOf(std::vector<uint64_t>{0}), HashOf(std::vector<uint64_t>{0, 0}));
}

// Every length from 0 to 24: whole words, and a zero-padded tail of every length.
TEST(StateHash, EveryByteOfAStringCounts) {
  for (size_t size = 0; size <= 24; ++size) {
    const std::string text(size, 'a');
    const uint64_t base = HashOf(std::vector<std::string>{text});
    for (size_t at = 0; at < size; ++at) {
      std::string changed = text;
      changed[at] = 'b';
      EXPECT_NE(HashOf(std::vector<std::string>{changed}), base)
          << "size " << size << ", at " << at;
    }
    EXPECT_NE(HashOf(std::vector<std::string>{text + '\0'}), base) << "size " << size;
  }
}

TEST(StateHash, WhereStringsSplitCounts) {
  EXPECT_NE(HashOf(std::vector<std::string>{"ab", "c"}),
            HashOf(std::vector<std::string>{"a", "bc"}));
  EXPECT_NE(HashOf(std::vector<std::string>{"", "x"}), HashOf(std::vector<std::string>{"x", ""}));
}

}  // namespace
