// A running hash of a provider's state, for checking that a failed call changed nothing.
#ifndef SMAPI_STATE_HASH_H_
#define SMAPI_STATE_HASH_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace smapi::internal {

// A word at a time: FNV-1a's step on 64-bit words, with a shift so high bits reach low ones.
class StateHash {
 public:
  void Add(uint64_t value) {
    hash_ = (hash_ ^ value) * 0x100000001b3ULL;
    hash_ ^= hash_ >> 29;
  }
  void Add(std::string_view bytes) {
    Add(bytes.size());
    for (size_t at = 0; at < bytes.size(); at += 8) {
      uint64_t word = 0;
      std::memcpy(&word, bytes.data() + at, std::min<size_t>(8, bytes.size() - at));
      Add(word);
    }
  }
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace smapi::internal

#endif  // SMAPI_STATE_HASH_H_
