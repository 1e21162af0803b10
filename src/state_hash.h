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
  // Inlined by force: a call would keep the running hash in memory, where every step (and, under
  // ASan, every check of it) goes through a load and a store.
  [[gnu::always_inline]] void Add(std::string_view bytes) {
    Add(bytes.size());
    const char* p = bytes.data();
    size_t left = bytes.size();
    for (; left >= 8; p += 8, left -= 8) Add(Load<uint64_t>(p));
    // The tail, 1 to 7 bytes, in at most two loads. With its length known (hashed above), each
    // byte lands in the word: 4-7 as two 4-byte loads that overlap, 1-3 as the first, middle and
    // last byte.
    if (left >= 4) {
      Add(Load<uint32_t>(p) | uint64_t{Load<uint32_t>(p + left - 4)} << 32);
    } else if (left > 0) {
      Add(uint64_t{static_cast<uint8_t>(p[0])} | uint64_t{static_cast<uint8_t>(p[left / 2])} << 8 |
          uint64_t{static_cast<uint8_t>(p[left - 1])} << 16);
    }
  }
  uint64_t value() const { return hash_; }

 private:
  template <typename T>
  static T Load(const char* p) {
    T word;
    std::memcpy(&word, p, sizeof(T));  // A fixed size: one load, not a library call.
    return word;
  }

  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace smapi::internal

#endif  // SMAPI_STATE_HASH_H_
