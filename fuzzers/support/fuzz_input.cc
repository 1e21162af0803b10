#include "support/fuzz_input.h"

#include <algorithm>

namespace smapi::fuzz {
namespace {

// Index 0 of each table is the valid default: the default profile and its empty password.
constexpr std::string_view kProfileTable[8] = {
    "default", "alice", "bob", "carol", kFixedProfiles[3].name,
    "nobody",  "Alice", "",  // Unknown, wrong case, empty.
};
constexpr std::string_view kPasswordTable[8] = {
    "",       "secret", "secretive", "s", kFixedProfiles[3].password,
    "secre",   // A prefix of alice's.
    "wrong",   //
    "Secret",  // Wrong case.
};

constexpr uint32_t kCapacities[8] = {4, 1, 2, 3, 8, 5, 6, 16};
constexpr uint32_t kMaxGenerations[4] = {3, UINT32_MAX, 1, 2};

constexpr ULONG_PTR kWindowParams[8] = {
    0,
    1,
    0xffff,
    0xffffffff,
    ULONG_PTR{1} << 32,
    0xa5a5a5a5deadbeef,
    ~ULONG_PTR{0},
    ULONG_PTR{1} << 63,
};

constexpr FLAGS kLogoffFlags[16] = {
    0,          1,          2,          MAPI_DIALOG, MAPI_EXTENDED, MAPI_FORCE_DOWNLOAD,
    0x20000,    0x80000000, 0xffffffff, 0x10,        0x100,         0x10000,
    0x40000000, 0x7fffffff, 0x00000004, 0x00008000,
};

}  // namespace

std::string_view InputReader::Bytes(size_t n) {
  n = std::min(n, remaining());
  const std::string_view out(reinterpret_cast<const char*>(data_) + pos_, n);
  pos_ += n;
  return out;
}

std::string_view TableString(StringRole role, uint8_t index) {
  return role == StringRole::kProfile ? kProfileTable[index & 7] : kPasswordTable[index & 7];
}

CStringArg ReadString(InputReader& in, StringRole role) {
  const uint8_t b = in.U8();
  CStringArg arg;
  if (b == 0xff) {
    arg.is_null = true;
  } else if (b == 0xfe) {
    const uint16_t length = in.U16() % (kMaxLongString + 1);
    arg.bytes.assign(length, static_cast<char>(in.U8()));
  } else if (b >= 0x80) {
    arg.bytes = std::string(in.Bytes(b - 0x80));
  } else {
    arg.bytes = std::string(TableString(role, b));
  }
  return arg;
}

ProviderConfig ConfigFromByte(uint8_t byte) {
  return ProviderConfig{kCapacities[byte & 7], kMaxGenerations[(byte >> 3) & 3],
                        0x5eed000000000001ULL + (uint64_t{byte} >> 5)};
}

ProviderConfig ReadConfig(InputReader& in) { return ConfigFromByte(in.U8()); }

ULONG_PTR WindowParamFromByte(uint8_t byte) { return kWindowParams[byte & 7]; }

LogonFlagsByte DecodeLogonFlags(uint8_t byte) {
  FLAGS flags = 0;
  if (byte & 0x01) flags |= MAPI_LOGON_UI;
  if (byte & 0x02) flags |= MAPI_NEW_SESSION;
  if (byte & 0x04) flags |= MAPI_PASSWORD_UI;
  if (byte & 0x08) flags |= MAPI_FORCE_DOWNLOAD;
  if (byte & 0x10) flags |= MAPI_DIALOG;
  if (byte & 0x20) flags |= 0x80000000u;
  return LogonFlagsByte{flags, (byte & 0x40) ? 1u : 0u, (byte & 0x80) != 0};
}

FLAGS LogoffFlagsFromNibble(uint8_t nibble) { return kLogoffFlags[nibble & 15]; }

ULONG LogoffReservedFromNibble(uint8_t nibble) {
  nibble &= 15;
  return nibble == 0 ? 0 : (nibble == 15 ? 0xffffffffu : 1u << (nibble * 2 - 1));
}

HandleMutation ReadMutation(InputReader& in) {
  HandleMutation mutation;
  mutation.how = in.U8() & 7;
  switch (mutation.how) {
    case 1:
      mutation.operand = in.U8() & 63;
      break;
    case 4: {
      const int8_t delta = static_cast<int8_t>(in.U8());
      mutation.operand = static_cast<uint64_t>(static_cast<int64_t>(delta == 0 ? 1 : delta));
      break;
    }
    case 7:
      mutation.operand = in.U64();
      break;
    default:
      break;
  }
  return mutation;
}

LHANDLE Mutate(LHANDLE base, const HandleMutation& mutation) {
  switch (mutation.how) {
    case 1:
      return base ^ (LHANDLE{1} << mutation.operand);
    case 2:
      return base & 0xffffffffu;
    case 3:
      return (base << 32) | (base >> 32);
    case 4:
      return base + static_cast<LHANDLE>(mutation.operand);
    case 5:
      return base ^ (LHANDLE{1} << 63);
    case 6:
      return base & ~LHANDLE{0xffffffff};
    case 7:
      return base ^ mutation.operand;
    default:
      return base;
  }
}

const char* MutationName(const HandleMutation& mutation) {
  static constexpr const char* kNames[8] = {"none", "flip", "cut32",    "swap",
                                            "add",  "top",  "clearlow", "xor"};
  return kNames[mutation.how & 7];
}

}  // namespace smapi::fuzz
