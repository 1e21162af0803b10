// One MAPILogon per input, with fuzzed profile and password bytes (embedded NULs, very long,
// invalid UTF-8, NULL), flags, ulReserved, ulUIParam, and a UI host the input scripts. Checks the
// result against the contract model, *lplhSession untouched on failure (N22), the window parameter
// handed to the UI host unchanged (N21), and the state afterwards.
//
// Input (fuzz_input.h; zeros past the end):
//   u32 flFlags, u32 ulReserved, u64 ulUIParam, u8 scenario (bits 0-2; bit 7 = NULL lplhSession),
//   profile string, password string, u8 UI reply (0 answer, 1 cancel, 2 no dialog),
//   answer profile string, answer password string
#include <smapi/mapi.h>

#include <cstddef>
#include <cstdint>

#include "support/contract_model.h"

namespace {

using smapi::fuzz::Harness;
using smapi::fuzz::LogonArgs;

LogonArgs Credentials(const char* profile, const char* password, FLAGS flags) {
  LogonArgs args;
  args.profile.is_null = profile == nullptr;
  args.profile.bytes = profile != nullptr ? profile : "";
  args.password.bytes = password;
  args.flags = flags;
  return args;
}

// The state the logon meets: who is logged on already, and how much room is left.
smapi::fuzz::ProviderConfig SetUp(uint8_t scenario) {
  switch (scenario & 7) {
    case 3:
    case 4:
      return {1, UINT32_MAX, 0x1090000000000003ULL};
    case 6:
      return {1, 1, 0x1090000000000006ULL};
    default:
      return {3, UINT32_MAX, 0x1090000000000001ULL + scenario % 8};
  }
}

void Populate(Harness& harness, uint8_t scenario) {
  switch (scenario & 7) {
    case 1:  // A shared session on the default profile, one slot left after it.
    case 4:  // The same in a one-slot table: a join finds it full.
      harness.Logon(Credentials("default", "", 0));
      break;
    case 2:  // A shared session on another profile.
      harness.Logon(Credentials("alice", "secret", 0));
      break;
    case 3:  // Full of private sessions.
      harness.Logon(Credentials("bob", "secretive", MAPI_NEW_SESSION));
      break;
    case 5:  // No default profile.
      harness.RemoveProfile("default");
      break;
    case 6: {  // The only slot spent: retired after one generation.
      LHANDLE handle = 0;
      harness.Logon(Credentials("default", "", MAPI_NEW_SESSION), &handle);
      harness.Logoff(handle, 0, 0, 0);
      break;
    }
    case 7:  // Shared session with two handles and a private one; the table is full.
      harness.Logon(Credentials("default", "", 0));
      harness.Logon(Credentials(nullptr, "", 0));
      harness.Logon(Credentials("carol", "s", MAPI_NEW_SESSION));
      break;
    default:  // Fresh.
      break;
  }
}

smapi::PromptResult Reply(uint8_t byte) {
  switch (byte % 3) {
    case 1:
      return smapi::PromptResult::kCancelled;
    case 2:
      return smapi::PromptResult::kUnavailable;
    default:
      return smapi::PromptResult::kAnswered;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using smapi::fuzz::StringRole;
  smapi::fuzz::InputReader in(data, size);
  LogonArgs args;
  args.flags = in.U32();
  args.reserved = in.U32();
  args.ui_param = in.U64();
  const uint8_t scenario = in.U8();
  args.null_out = (scenario & 0x80) != 0;
  args.profile = smapi::fuzz::ReadString(in, StringRole::kProfile);
  args.password = smapi::fuzz::ReadString(in, StringRole::kPassword);
  args.ui_result = Reply(in.U8());
  args.answer_profile = smapi::fuzz::ReadString(in, StringRole::kProfile).bytes;
  args.answer_password = smapi::fuzz::ReadString(in, StringRole::kPassword).bytes;

  Harness harness(SetUp(scenario));
  Populate(harness, scenario);
  harness.Logon(args);  // Result, *lplhSession and the UI host's arguments are checked inside.
  harness.CheckState();
  return 0;  // ~Harness checks that destroying the provider freed every block.
}
