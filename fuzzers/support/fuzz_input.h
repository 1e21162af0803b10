// How every fuzz target turns its bytes into arguments.
//
// An input is read front to back. Reading past the end yields zeros, so every byte string is a
// valid input, the empty one included, and a field that is left off means 0, which is always the
// common, valid choice (flags 0, the default profile, the first live handle...). That keeps the
// interesting cases a few bytes away from the empty input, which is where a fuzzer starts.
//
// fuzzers/make_seeds.py writes the seed corpora in this layout; its --check runs every seed through
// its target's describe mode (support/describe.h), so the two cannot drift apart unnoticed.
#ifndef SMAPI_FUZZERS_SUPPORT_FUZZ_INPUT_H_
#define SMAPI_FUZZERS_SUPPORT_FUZZ_INPUT_H_

#include <smapi/mapi.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace smapi::fuzz {

// Keeps a function out of the coverage that guides the engine: harness plumbing whose branches
// say nothing about the provider, and would only cost the engine time on every run.
#if defined(__clang__)
#define SMAPI_FUZZ_UNGUIDED __attribute__((no_sanitize("coverage")))
#else
#define SMAPI_FUZZ_UNGUIDED
#endif

class InputReader {
 public:
  InputReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool done() const { return pos_ >= size_; }
  size_t remaining() const { return size_ - pos_; }

  // Inlined by force: UBSan's checks make even U8 look too costly to the inliner, which left every
  // target's input decoding a call per field.
  [[gnu::always_inline]] SMAPI_FUZZ_UNGUIDED uint8_t U8() {
    return pos_ < size_ ? data_[pos_++] : 0;
  }
  [[gnu::always_inline]] SMAPI_FUZZ_UNGUIDED uint16_t U16() { return Little<uint16_t>(); }
  [[gnu::always_inline]] SMAPI_FUZZ_UNGUIDED uint32_t U32() { return Little<uint32_t>(); }
  [[gnu::always_inline]] SMAPI_FUZZ_UNGUIDED uint64_t U64() { return Little<uint64_t>(); }
  // Up to n bytes, fewer when the input ends first.
  std::string_view Bytes(size_t n);

 private:
  template <typename T>
  [[gnu::always_inline]] SMAPI_FUZZ_UNGUIDED T Little() {
    static_assert(std::endian::native == std::endian::little, "inputs are little-endian");
    T value = 0;
    if (remaining() >= sizeof(T)) {
      std::memcpy(&value, data_ + pos_, sizeof(T));  // A fixed size: one load, not a call.
      pos_ += sizeof(T);
      return value;
    }
    return LittleTail<T>();
  }
  // The input ends inside the field: its bytes, then zeros. Rare, so kept out of line.
  template <typename T>
  [[gnu::noinline]] SMAPI_FUZZ_UNGUIDED T LittleTail() {
    T value = 0;
    for (size_t i = 0; pos_ < size_; ++i) value |= static_cast<T>(T{data_[pos_++]} << (8 * i));
    return value;
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;  // Never past size_.
};

// A string argument of MAPILogon: NULL, or bytes that may hold NULs (the provider sees them only
// up to the first one).
struct CStringArg {
  bool is_null = false;
  std::string bytes;

  const char* get() const { return is_null ? nullptr : bytes.c_str(); }
  // What a C callee sees.
  std::string_view seen() const {
    return is_null ? std::string_view() : std::string_view(bytes.c_str());
  }
};

// Profiles every harnessed provider holds, besides the built-in "default" with an empty password.
// Passwords that are prefixes of one another catch a comparison that stops at the shorter one;
// the long ones do not fit std::string's inline buffer, so a session copying them allocates.
struct FixedProfile {
  std::string_view name;
  std::string_view password;
};
inline constexpr FixedProfile kFixedProfiles[] = {
    {"alice", "secret"},
    {"bob", "secretive"},
    {"carol", "s"},
    {"profile-with-a-name-too-long-for-sso", "password-too-long-for-the-inline-buffer"},
};

// One byte picks a string argument:
//   0x00-0x7f  an entry of the role's table (low 3 bits; see fuzz_input.cc)
//   0x80-0xfd  raw: the next (b - 0x80) bytes, NULs and invalid UTF-8 included
//   0xfe       very long: a u16 length (mod kMaxLongString + 1), then a filler byte repeated
//   0xff       NULL
enum class StringRole { kProfile, kPassword };
inline constexpr uint16_t kMaxLongString = 4096;
CStringArg ReadString(InputReader& in, StringRole role);
std::string_view TableString(StringRole role, uint8_t index);

// One byte picks a provider: capacity (bits 0-2), max_generation (bits 3-4), seed (bits 5-7).
// Capacities and generation limits are small, so that slot reuse, stale handles, a full table and
// retired slots are all a few operations away.
struct ProviderConfig {
  uint32_t capacity;
  uint32_t max_generation;
  uint64_t seed;  // Never 0: 0 would ask the provider for a random seed.
};
ProviderConfig ReadConfig(InputReader& in);
ProviderConfig ConfigFromByte(uint8_t byte);

// One byte picks a window parameter (ulUIParam) from a table of edge values, 0 first.
ULONG_PTR WindowParamFromByte(uint8_t byte);

// One byte picks MAPILogon's flags for a sequence step: bits 0-3 the four accepted flags, bit 4
// adds MAPI_DIALOG, bit 5 the top bit; bit 6 sets ulReserved, bit 7 passes a NULL lplhSession.
struct LogonFlagsByte {
  FLAGS flags;
  ULONG reserved;
  bool null_out;
};
LogonFlagsByte DecodeLogonFlags(uint8_t byte);

// One byte picks MAPILogoff's flFlags (low nibble) and ulReserved (high nibble), 0 = zero.
FLAGS LogoffFlagsFromNibble(uint8_t nibble);
ULONG LogoffReservedFromNibble(uint8_t nibble);

// Handle mutations the logoff paths apply to a chosen base handle: one byte, then its operand.
//   0 none, 1 flip one bit (u8 bit), 2 cut to 32 bits, 3 swap halves, 4 add a small delta (i8, 0
//   means 1), 5 flip the top bit, 6 clear the low half, 7 xor a 64-bit operand (u64)
struct HandleMutation {
  uint8_t how = 0;  // 0-7
  uint64_t operand = 0;
};
HandleMutation ReadMutation(InputReader& in);
LHANDLE Mutate(LHANDLE base, const HandleMutation& mutation);
// "none", "flip", "cut32", "swap", "add", "top", "clearlow", "xor".
const char* MutationName(const HandleMutation& mutation);

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_FUZZ_INPUT_H_
