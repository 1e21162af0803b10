// A running FNV-1a hash of a provider's state, for checking that a failed call changed nothing.
#ifndef SMAPI_STATE_HASH_H_
#define SMAPI_STATE_HASH_H_

#include <cstdint>
#include <string_view>

namespace smapi::internal {

class StateHash {
 public:
  void Add(uint64_t value) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<unsigned char>(value >> (8 * i)));
  }
  void Add(std::string_view bytes) {
    Add(bytes.size());
    for (const char c : bytes) Byte(static_cast<unsigned char>(c));
  }
  uint64_t value() const { return hash_; }

 private:
  void Byte(unsigned char byte) { hash_ = (hash_ ^ byte) * 0x100000001b3ULL; }

  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace smapi::internal

#endif  // SMAPI_STATE_HASH_H_
