// MAPILogon and MAPILogoff through the exported C symbols and the process-wide provider, as a mail
// client calls them: the path every other target bypasses by making its own Provider.
//
// Input (fuzz_input.h; zeros past the end): up to kMaxOps operations, each a u8 opcode then
//   even, logon:  u8 profile kind (0 NULL, 1 "default", 2 u8 length + bytes, 3 "Default"),
//                 u8 password kind (0 NULL, 1 "", 2 u8 length + bytes), u32 flFlags,
//                 u32 ulReserved, u8 (bit 0: lplhSession NULL), u64 ulUIParam
//   odd, logoff:  u8 base (0 a live handle, 1 a logged-off one, 2 zero, 3 a raw u64), u8 which,
//                 u64 xor mask, u32 flFlags, u32 ulReserved, u64 ulUIParam
// The process-wide provider is headless and holds only the default profile with an empty
// password, so the contract alone says what each call returns: the contract model in its opaque
// mode (support/contract_model.h). Every input logs off every handle it got, which must leave the
// provider with no sessions. Every input meets the same provider: it is rebuilt from a fixed seed
// after the input before (see ProviderLook).
#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "default_provider_hook.h"
#include "support/contract_model.h"
#include "support/describe.h"
#include "support/fuzz_check.h"
#include "support/fuzz_input.h"
#include "support/harness.h"

namespace {

using smapi::fuzz::ContractModel;
using smapi::fuzz::CStringArg;
using smapi::fuzz::InputReader;
using smapi::fuzz::ResultName;

constexpr size_t kMaxOps = 32;
constexpr LHANDLE kUntouched = 0x0123456789abcdefULL;

CStringArg ReadString(InputReader& in, bool password) {
  CStringArg s;
  const uint8_t kind = in.U8() % (password ? 3 : 4);
  s.is_null = kind == 0;
  if (kind == 1) s.bytes = password ? "" : "default";
  if (kind == 2) s.bytes = std::string(in.Bytes(in.U8()));
  if (kind == 3) s.bytes = "Default";  // Profile names are case-sensitive.
  return s;
}

// One operation of an input, decoded.
struct Op {
  bool logon = false;
  smapi::fuzz::LogonArgs args;  // logon
  uint8_t base = 0;             // logoff: 0 live, 1 logged off, 2 zero, 3 raw
  uint8_t which = 0;
  uint64_t mask = 0;
  FLAGS flags = 0;
  ULONG reserved = 0;
  ULONG_PTR window = 0;
};

Op ReadOp(InputReader& in) {
  Op op;
  op.logon = in.U8() % 2 == 0;
  if (op.logon) {
    smapi::fuzz::LogonArgs& args = op.args;
    args.profile = ReadString(in, false);
    args.password = ReadString(in, true);
    args.flags = in.U32();
    args.reserved = in.U32();
    args.null_out = in.U8() & 1;
    args.ui_param = in.U64();
    // The process-wide provider is headless: any dialog is unavailable (N13).
    args.ui_result = smapi::PromptResult::kUnavailable;
    return op;
  }
  op.base = in.U8() % 4;
  op.which = in.U8();
  op.mask = in.U64();
  op.flags = in.U32();
  op.reserved = in.U32();
  op.window = in.U64();
  return op;
}

void Describe(const Op& op) {
  if (op.logon) {
    smapi::fuzz::DescribedOp line("logon");
    smapi::fuzz::DescribeLogon(line, op.args);
    return;
  }
  static constexpr const char* kBases[4] = {"live", "dead", "zero", "raw"};
  smapi::fuzz::DescribedOp("logoff")
      .Word("base", kBases[op.base])
      .Num("which", op.which)
      .Hex("mask", op.mask)
      .Flags("flags", op.flags)
      .Hex("reserved", op.reserved)
      .Hex("ui", op.window);
}

// The process-wide provider's handles are keyed by a seed this process never sees, so the model
// reads them as opaque values.
void DoLogon(const smapi::fuzz::LogonArgs& args, ContractModel& model) {
  const ContractModel::LogonPlan plan = model.PlanLogon(args);
  LHANDLE handle = kUntouched;
  // MAPILogon takes LPSTR; the callee only reads the strings.
  const ULONG got = MAPILogon(args.ui_param, const_cast<char*>(args.profile.get()),
                              const_cast<char*>(args.password.get()), args.flags, args.reserved,
                              args.null_out ? nullptr : &handle);
  SMAPI_FUZZ_CHECK(got == plan.result, "MAPILogon(flags %#x, reserved %#x) = %s, contract says %s",
                   args.flags, args.reserved, ResultName(got), ResultName(plan.result));
  if (got != SUCCESS_SUCCESS) {
    SMAPI_FUZZ_CHECK(handle == kUntouched, "N22: a failed MAPILogon wrote *lplhSession");
    return;
  }
  model.ApplyLogon(plan, handle);  // H1, H5: never 0, never issued before.
}

void DoLogoff(const Op& op, ContractModel& model) {
  std::vector<LHANDLE> candidates;
  for (const ContractModel::HandleRecord& record : model.handles()) {
    if (record.live == (op.base == 0)) candidates.push_back(record.handle);
  }
  LHANDLE handle = 0;
  if (op.base < 2 && !candidates.empty()) handle = candidates[op.which % candidates.size()];
  handle = op.base == 3 ? op.mask : handle ^ op.mask;

  const ULONG want = model.PlanLogoff(handle, op.flags, op.reserved);
  const ULONG got = MAPILogoff(handle, op.window, op.flags, op.reserved);
  SMAPI_FUZZ_CHECK(got == want,
                   "MAPILogoff(%#llx, window %#llx, flags %#x, reserved %#x) = %s, "
                   "contract says %s",
                   static_cast<unsigned long long>(handle),
                   static_cast<unsigned long long>(op.window), op.flags, op.reserved,
                   ResultName(got), ResultName(want));
  if (got == SUCCESS_SUCCESS) model.ApplyLogoff(handle);
}

// The process-wide provider would otherwise carry its key (from std::random_device), slot
// generations, reuse order, tag stream and session ids from one input to the next, so the same
// input would meet a different provider in every process and after every other input. Instead it
// is rebuilt from a fixed seed after every input, and what that gives is checked, not assumed:
// its look from outside must be the one LLVMFuzzerInitialize saw. Taking the look logs on and off
// once, so every input meets the provider as it is after that: one rebuild per input, not two,
// because a rebuild (4096 slots at the default capacity, built and torn down) already costs far
// more than the input's calls. CheckInvariants() is left out for the same reason. The look opens a
// private session: the shared one is the input's to create and end, so that a bug in ending it
// fires inside an input, which then reproduces it, and never in LLVMFuzzerInitialize.
constexpr uint64_t kProviderSeed = 0x5eed00000000abcdULL;

struct ProviderLook {
  smapi::ProviderStats fresh;  // Stats() after the rebuild.
  LHANDLE first_handle;        // What the first MAPILogon gets,
  uint64_t first_session_id;   // the session it names,
  ULONG first_logoff;          // and what logging it off returns.
  smapi::ProviderStats after;  // Stats() then.

  bool operator==(const ProviderLook& other) const {
    return Same(fresh, other.fresh) && first_handle == other.first_handle &&
           first_session_id == other.first_session_id && first_logoff == other.first_logoff &&
           Same(after, other.after);
  }
  static bool Same(const smapi::ProviderStats& a, const smapi::ProviderStats& b) {
    return a.live_handles == b.live_handles && a.live_sessions == b.live_sessions &&
           a.shared_handles == b.shared_handles && a.free_slots == b.free_slots &&
           a.retired_slots == b.retired_slots;
  }
};

ProviderLook RenewProvider() {
  smapi::internal::RenewDefaultProvider(kProviderSeed);
  smapi::Provider& provider = smapi::DefaultProvider();
  ProviderLook look{provider.Stats(), 0, 0, MAPI_E_FAILURE, {}};
  char profile[] = "default";
  char password[] = "";
  if (MAPILogon(0, profile, password, MAPI_NEW_SESSION, 0, &look.first_handle) == SUCCESS_SUCCESS) {
    look.first_session_id =
        provider.Lookup(look.first_handle).value_or(smapi::SessionView{0}).session_id;
    look.first_logoff = MAPILogoff(look.first_handle, 0, 0, 0);
  }
  look.after = provider.Stats();
  return look;
}

ProviderLook first_look;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  first_look = RenewProvider();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  InputReader in(data, size);
  std::vector<Op> ops;
  for (size_t k = 0; k < kMaxOps && !in.done(); ++k) ops.push_back(ReadOp(in));
  if (smapi::fuzz::Describing()) {
    for (const Op& op : ops) Describe(op);
    return 0;
  }
  ContractModel model(ContractModel::Opaque{});
  for (const Op& op : ops) {
    if (op.logon) {
      DoLogon(op.args, model);
    } else {
      DoLogoff(op, model);
    }
  }
  // Hand the process-wide provider back empty: the next input must find no shared session.
  for (const ContractModel::HandleRecord& record : model.handles()) {
    if (!record.live) continue;
    const ULONG got = MAPILogoff(record.handle, 0, 0, 0);
    SMAPI_FUZZ_CHECK(got == SUCCESS_SUCCESS, "logging off a live handle at the end: %s",
                     ResultName(got));
  }
  LHANDLE handle = kUntouched;
  const ULONG got = MAPILogon(0, nullptr, nullptr, 0, 0, &handle);
  SMAPI_FUZZ_CHECK(got == MAPI_E_LOGIN_FAILURE && handle == kUntouched,
                   "the shared session outlived its last handle: %s", ResultName(got));
  // Rebuilt here, not at the start of the next input: tearing down what this input left is part
  // of this input, so a finding there reproduces from this input alone. The next input meets the
  // provider as LLVMFuzzerInitialize left it: rebuilt, then looked at.
  const ProviderLook look = RenewProvider();
  SMAPI_FUZZ_CHECK(look == first_look,
                   "the provider rebuilt after this input is not the one LLVMFuzzerInitialize "
                   "built: first logon "
                   "%#llx (session %llu), its logoff %s, then %zu live handles, %zu free slots; "
                   "LLVMFuzzerInitialize saw %#llx (session %llu), %s, %zu, %zu",
                   static_cast<unsigned long long>(look.first_handle),
                   static_cast<unsigned long long>(look.first_session_id),
                   ResultName(look.first_logoff), look.after.live_handles, look.after.free_slots,
                   static_cast<unsigned long long>(first_look.first_handle),
                   static_cast<unsigned long long>(first_look.first_session_id),
                   ResultName(first_look.first_logoff), first_look.after.live_handles,
                   first_look.after.free_slots);
  return 0;
}
