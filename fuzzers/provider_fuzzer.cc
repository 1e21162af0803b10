// Any Simple MAPI provider, loaded by path and fuzzed through its two C functions, with the
// contract model as the oracle (support/abi_sequence.h): the same core as smapi-conform's random
// sequences, driven by the input instead of a seed.
//
// The provider: $SMAPI_PROVIDER; else libsmapi.so beside this executable (OSS-Fuzz ships it in
// $OUT next to the target); else the libsmapi.so this tree built (SMAPI_PROVIDER_BUILT, compiled
// in), which is how ci/mutants.sh fuzzes a patched library.
//
// Input (fuzz_input.h; zeros past the end): up to kMaxOps operations, each a u8 opcode, then
//   even, logon:  u8 profile (mod 4: NULL, "default", unknown, "DEFAULT"), u8 password (mod 5:
//                 NULL, "", "x", "" (prefix), ""), u8 flags (DecodeLogonFlags), u8 window
//                 (WindowParamFromByte)
//   odd, logoff:  u8 base (mod 4: a live handle, a logged-off one, 0, a raw u64 that follows),
//                 u8 which, u8 mutation (mod 5: none, flip a bit, cut to 32 bits, swap halves,
//                 add), u8 operand (flip, add), u8 flags (low nibble) and reserved (high nibble),
//                 u8 window
// The provider is process-wide, so every input that called it hands it back empty: each handle
// still live is logged off (must succeed), each handle it was issued is logged off once more (must
// be rejected), a NULL-profile logon must then find no shared session, and one more logon must get
// a handle this input never saw and log off again. A provider that fails any of it kept something
// from the input: a finding, like any broken row.
#include <smapi/mapi.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "provider_host/child_process.h"
#include "provider_host/provider_library.h"
#include "support/abi_sequence.h"
#include "support/describe.h"
#include "support/fuzz_check.h"
#include "support/fuzz_input.h"

namespace {

using smapi::fuzz::AbiBase;
using smapi::fuzz::AbiMutation;
using smapi::fuzz::AbiOp;
using smapi::fuzz::AbiPassword;
using smapi::fuzz::AbiProfile;
using smapi::fuzz::InputReader;

constexpr size_t kMaxOps = 32;
#ifdef _WIN32
constexpr char kBesideName[] = "smapi32.dll";
#else
constexpr char kBesideName[] = "libsmapi.so";
#endif

std::string ProviderPath() {
  if (const char* named = std::getenv("SMAPI_PROVIDER"); named != nullptr && *named != '\0') {
    return named;
  }
  std::error_code ec;
  const std::filesystem::path self = smapi::host::SelfPath();
  if (!self.empty()) {
    const std::filesystem::path beside = self.parent_path() / kBesideName;
    if (std::filesystem::exists(beside, ec)) return beside.string();
  }
#ifdef SMAPI_PROVIDER_BUILT
  return SMAPI_PROVIDER_BUILT;
#else
  return "libsmapi.so";
#endif
}

AbiOp ReadOp(InputReader& in) {
  AbiOp op;
  op.logoff = in.U8() % 2 == 1;
  if (!op.logoff) {
    op.profile = AbiProfile(in.U8() % uint8_t(AbiProfile::kCount));
    op.password = AbiPassword(in.U8() % uint8_t(AbiPassword::kCount));
    const smapi::fuzz::LogonFlagsByte flags = smapi::fuzz::DecodeLogonFlags(in.U8());
    op.flags = flags.flags;
    op.reserved = flags.reserved;
    op.null_out = flags.null_out;
    op.window = smapi::fuzz::WindowParamFromByte(in.U8());
    return op;
  }
  op.base = AbiBase(in.U8() % uint8_t(AbiBase::kCount));
  op.which = in.U8();
  if (op.base == AbiBase::kRaw) op.operand = in.U64();
  op.mutation = AbiMutation(in.U8() % uint8_t(AbiMutation::kCount));
  if (op.mutation == AbiMutation::kFlipBit || op.mutation == AbiMutation::kAdd) {
    const uint8_t operand = in.U8();
    if (op.base != AbiBase::kRaw) op.operand = operand;
  }
  const uint8_t nibbles = in.U8();
  op.flags = smapi::fuzz::LogoffFlagsFromNibble(nibbles & 15);
  op.reserved = smapi::fuzz::LogoffReservedFromNibble(nibbles >> 4);
  op.window = smapi::fuzz::WindowParamFromByte(in.U8());
  return op;
}

void Describe(const AbiOp& op) {
  static constexpr const char* kProfiles[] = {"NULL", "known", "unknown", "other-case"};
  static constexpr const char* kPasswords[] = {"NULL", "known", "longer", "prefix", "empty"};
  static constexpr const char* kBases[] = {"live", "dead", "zero", "raw"};
  static constexpr const char* kMutations[] = {"none", "flip", "cut32", "swap", "add"};
  if (!op.logoff) {
    smapi::fuzz::DescribedOp("logon")
        .Word("profile", kProfiles[int(op.profile)])
        .Word("password", kPasswords[int(op.password)])
        .Flags("flags", op.flags)
        .Hex("reserved", op.reserved)
        .Word("out", op.null_out ? "NULL" : "&h")
        .Hex("ui", op.window);
    return;
  }
  smapi::fuzz::DescribedOp("logoff")
      .Word("base", kBases[int(op.base)])
      .Num("which", op.which)
      .Word("mutation", kMutations[int(op.mutation)])
      .Hex("operand", op.operand)
      .Flags("flags", op.flags)
      .Hex("reserved", op.reserved)
      .Hex("ui", op.window);
}

struct Loaded {
  std::unique_ptr<smapi::host::ProviderLibrary> library;
  smapi::fuzz::AbiProvider provider;
};

Loaded Load() {
  const std::string path = ProviderPath();
  std::string error;
  Loaded loaded;
  loaded.library = smapi::host::ProviderLibrary::Open(path, &error);
  if (!loaded.library) {
    std::fprintf(stderr, "provider_fuzzer: %s (set SMAPI_PROVIDER to a provider)\n", error.c_str());
    std::exit(2);
  }
  loaded.provider.logon = loaded.library->logon();
  loaded.provider.logoff = loaded.library->logoff();
  return loaded;
}

// Loaded before main(), not in LLVMFuzzerInitialize: AFL++'s driver may start its fork server
// first, and the fork server refuses an instrumented library loaded after it.
const Loaded loaded = Load();

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  InputReader in(data, size);
  std::vector<AbiOp> ops;
  for (size_t op = 0; op < kMaxOps && !in.done(); ++op) ops.push_back(ReadOp(in));
  if (smapi::fuzz::Describing()) {
    for (const AbiOp& op : ops) Describe(op);
    return 0;
  }
  smapi::fuzz::AbiSequence sequence(loaded.provider);
  for (const AbiOp& op : ops) {
    if (!sequence.Run(op)) break;
  }
  // An input that made no call changed nothing since the last hand-back, which was checked; the
  // provider a replay meets first then stays untouched until the first input that calls it.
  if (!sequence.failure() && !sequence.calls().empty()) sequence.Finish();
  if (const auto& failure = sequence.failure()) {
    SMAPI_FUZZ_CHECK(!failure, "row %s: %s", failure->row.c_str(), failure->what.c_str());
  }
  return 0;
}
