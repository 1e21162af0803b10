// A running hash of a provider's state, for checking that a failed call changed nothing.
#ifndef SMAPI_STATE_HASH_H_
#define SMAPI_STATE_HASH_H_

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
    size_t at = 0;
    for (; at + 8 <= bytes.size(); at += 8) {
      uint64_t word;
      std::memcpy(&word, bytes.data() + at, 8);  // A fixed size: one load, not a library call.
      Add(word);
    }
    if (at == bytes.size()) return;
    uint64_t tail = 0;  // Little-endian, zero-padded.
    for (size_t i = 0; at + i < bytes.size(); ++i) {
      tail |= uint64_t{static_cast<uint8_t>(bytes[at + i])} << (8 * i);
    }
    Add(tail);
  }
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace smapi::internal

#endif  // SMAPI_STATE_HASH_H_
