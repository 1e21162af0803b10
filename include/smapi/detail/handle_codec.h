// Turns a slot's (index, tag, generation) into an opaque 64-bit handle and back. Public only
// because the inline lookup (<smapi/detail/session_lookup.h>) decodes with it; not an API.
#ifndef SMAPI_DETAIL_HANDLE_CODEC_H_
#define SMAPI_DETAIL_HANDLE_CODEC_H_

#include <cstdint>

namespace smapi::internal {

// Layout of a decoded handle: index in bits 0-23, a tag in bits 24-31, generation in 32-63. The
// tag's low bit says whether the handle is onto the shared session; the other seven are random.
inline constexpr int kIndexBits = 24;
inline constexpr uint64_t kIndexMask = (uint64_t{1} << kIndexBits) - 1;
inline constexpr int kTagShift = kIndexBits;
inline constexpr uint64_t kTagMask = 0xff;
inline constexpr uint64_t kSharedTagBit = uint64_t{1} << kTagShift;
inline constexpr int kGenerationShift = 32;

inline constexpr uint64_t PackRaw(uint32_t index, uint32_t tag, uint32_t generation) {
  return (uint64_t{generation} << kGenerationShift) | ((tag & kTagMask) << kTagShift) | index;
}

// A keyed bijection of the 64-bit space: murmur3's 64-bit finaliser with two secret odd
// multipliers per provider. Decoding (the hot path) is two multiplies and three shifts. Unlike a
// linear map, one handle does not give away the key, so it does not give away the others. It is an
// obfuscation, not a MAC: the table still compares all 64 bits of the handle it stored, so a forged
// handle must equal a live one exactly. Zero decodes to zero (slot 0), which is why Find rejects
// handle 0 before decoding.
class HandleCodec {
 public:
  explicit HandleCodec(uint64_t key)
      : mul1_(Mix(key) | 1),
        mul2_(Mix(key + 1) | 1),
        inv1_(Inverse(mul1_)),
        inv2_(Inverse(mul2_)) {}

  uint64_t Decode(uint64_t handle) const {
    uint64_t x = handle;
    x ^= x >> 33;
    x *= mul1_;
    x ^= x >> 29;
    x *= mul2_;
    return x ^ (x >> 32);
  }

  uint64_t Encode(uint64_t raw) const {
    uint64_t x = raw ^ (raw >> 32);
    x *= inv2_;
    x = UndoShiftXor(x, 29);
    x *= inv1_;
    return UndoShiftXor(x, 33);
  }

 private:
  static constexpr uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Inverts y = x ^ (x >> shift).
  static constexpr uint64_t UndoShiftXor(uint64_t y, int shift) {
    uint64_t x = y;
    for (int s = shift; s < 64; s += shift) x ^= y >> s;
    return x;
  }
  // Newton's iteration for the inverse of an odd number modulo 2^64.
  static constexpr uint64_t Inverse(uint64_t a) {
    uint64_t x = a;  // Correct to 3 bits; each step doubles that.
    for (int i = 0; i < 5; ++i) x *= 2 - a * x;
    return x;
  }

  uint64_t mul1_;
  uint64_t mul2_;
  uint64_t inv1_;
  uint64_t inv2_;
};

// splitmix64: a small, fast, seedable generator for keys and tags. Not for secrets in the
// cryptographic sense; the handle's job is to make guessing unlikely, not impossible.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace smapi::internal

#endif  // SMAPI_DETAIL_HANDLE_CODEC_H_
