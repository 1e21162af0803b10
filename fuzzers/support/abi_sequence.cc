#include "support/abi_sequence.h"

#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <utility>

#include "support/fuzz_check.h"

namespace smapi::fuzz {
namespace {

// What a failed MAPILogon must leave in *lplhSession (N22).
constexpr LHANDLE kUntouched = 0x0123456789abcdefULL;

std::string Hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "%#" PRIx64, value);
  return text;
}

// The contract row whose promise a logon call is held to: the rules in the contract's order. The
// model decides the result; this only names the row that decides it.
std::string LogonRow(const LogonArgs& args, const ContractModel::LogonPlan& plan,
                     bool shared_before) {
  if (args.null_out) return "N1";
  if (args.reserved != 0) return "N2";
  if ((args.flags & ~kContractLogonFlags) != 0) return "N3";
  const bool logon_ui = (args.flags & MAPI_LOGON_UI) != 0;
  const bool password_ui = (args.flags & MAPI_PASSWORD_UI) != 0;
  const bool new_session = (args.flags & MAPI_NEW_SESSION) != 0;
  if (logon_ui && password_ui) return "N4";
  switch (plan.result) {
    case SUCCESS_SUCCESS:
      if ((args.flags & MAPI_FORCE_DOWNLOAD) != 0) return "N20";
      if (plan.action == ContractModel::LogonPlan::Action::kJoinShared) {
        return args.profile.is_null ? "N5" : "N14";
      }
      if (plan.action == ContractModel::LogonPlan::Action::kNewPrivate) {
        return args.profile.is_null ? "N7" : "N17";
      }
      return "N16";
    case MAPI_E_TOO_MANY_SESSIONS:
      return "N18";
    case MAPI_E_LOGIN_FAILURE:
      if (args.profile.is_null && !new_session && !shared_before && !logon_ui) return "N6";
      if (plan.prompts) return "N13";
      if (password_ui) return "N9";
      return "N8";
    default:
      return "N19";
  }
}

std::string LogoffRow(const ContractModel& model, LHANDLE handle, FLAGS flags, ULONG reserved) {
  if (flags != 0) return "F1";
  if (reserved != 0) return "F2";
  if (handle == 0) return "F3a";
  const ContractModel::HandleRecord* record = model.FindHandle(handle);
  if (record == nullptr) return "F3b";
  if (!record->live) return "F3c";  // Or F3d: with opaque handles, slot reuse cannot be seen.
  return "F5";
}

}  // namespace

LHANDLE ApplyMutation(LHANDLE base, AbiMutation mutation, uint64_t operand) {
  switch (mutation) {
    case AbiMutation::kNone:
    case AbiMutation::kCount:
      return base;
    case AbiMutation::kFlipBit:
      return base ^ (LHANDLE{1} << (operand % 64));
    case AbiMutation::kCut32:
      return base & 0xffffffffULL;
    case AbiMutation::kSwapHalves:
      return (base << 32) | (base >> 32);
    case AbiMutation::kAdd:
      return base + operand;
  }
  return base;
}

std::string CLiteral(const CStringArg& text) {
  if (text.is_null) return "NULL";
  std::string literal = "\"";
  for (unsigned char c : text.seen()) {
    if (c == '"' || c == '\\') {
      literal += '\\';
      literal += static_cast<char>(c);
    } else if (std::isprint(c)) {
      literal += static_cast<char>(c);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\%03o", c);
      literal += escaped;
    }
  }
  return literal + "\"";
}

std::string HandleExpression(const AbiCall& call) {
  const std::string base =
      call.issued >= 0 ? "issued[" + std::to_string(call.issued) + "]" : Hex(call.operand);
  switch (call.mutation) {
    case AbiMutation::kFlipBit:
      return "(" + base + " ^ " + Hex(uint64_t{1} << (call.operand % 64)) + ")";
    case AbiMutation::kCut32:
      return "(" + base + " & 0xffffffff)";
    case AbiMutation::kSwapHalves:
      return "((" + base + " << 32) | (" + base + " >> 32))";
    case AbiMutation::kAdd:
      return "(" + base + " + " + Hex(call.operand) + ")";
    default:
      return base;
  }
}

std::string DescribeCall(const AbiCall& call) {
  std::string text;
  if (call.logoff) {
    text = "MAPILogoff(" + HandleExpression(call) + ", " + Hex(call.window) + ", " +
           Hex(call.flags) + ", " + Hex(call.reserved) + ")";
  } else {
    text = "MAPILogon(" + Hex(call.window) + ", " + CLiteral(call.profile) + ", " +
           CLiteral(call.password) + ", " + Hex(call.flags) + ", " + Hex(call.reserved) +
           (call.null_out ? ", NULL)" : ", &h)");
  }
  return text + " = " + ResultName(call.got) + ", the contract says " + ResultName(call.expected);
}

AbiSequence::AbiSequence(const AbiProvider& provider)
    : provider_(provider), model_(ContractModel::Opaque{provider.capacity}) {
  if (provider_.profile != kContractDefaultProfile || !provider_.password.empty()) {
    // The model knows only what the caller was told: this profile, not "default".
    model_.RemoveProfile(kContractDefaultProfile);
    model_.PutProfile(provider_.profile, provider_.password);
  }
}

CStringArg AbiSequence::ProfileArg(AbiProfile which) const {
  switch (which) {
    case AbiProfile::kNull:
      return {true, {}};
    case AbiProfile::kUnknown:
      return {false, "smapi-no-such-profile"};
    case AbiProfile::kOtherCase: {
      std::string other = provider_.profile;
      for (char& c : other) c = std::isupper(c) ? std::tolower(c) : std::toupper(c);
      return {false, other};
    }
    default:
      return {false, provider_.profile};
  }
}

CStringArg AbiSequence::PasswordArg(AbiPassword which) const {
  switch (which) {
    case AbiPassword::kNull:
      return {true, {}};
    case AbiPassword::kLonger:
      return {false, provider_.password + "x"};
    case AbiPassword::kPrefix:
      return {false, provider_.password.substr(0, provider_.password.size() / 2)};
    case AbiPassword::kEmpty:
      return {false, {}};
    default:
      return {false, provider_.password};
  }
}

bool AbiSequence::Fail(std::string row, std::string what) {
  failure_ = AbiFailure{std::move(row), std::move(what)};
  return false;
}

bool AbiSequence::Run(const AbiOp& op) {
  if (failure_) return false;
  return op.logoff ? Logoff(op) : Logon(op);
}

bool AbiSequence::Logon(const AbiOp& op) {
  AbiCall call;
  call.profile = ProfileArg(op.profile);
  call.password = PasswordArg(op.password);
  call.flags = op.flags;
  call.reserved = op.reserved;
  call.window = op.window;
  call.null_out = op.null_out;
  // A NULL profile may fall back on the provider's default profile (N6 with MAPI_LOGON_UI, N7),
  // whose password the caller knows only when told the default profile itself.
  if (call.profile.is_null && provider_.profile != kContractDefaultProfile &&
      (op.flags & (MAPI_NEW_SESSION | MAPI_LOGON_UI)) != 0) {
    call.profile = ProfileArg(AbiProfile::kKnown);
  }
  return CallLogon(std::move(call));
}

bool AbiSequence::Logoff(const AbiOp& op) {
  AbiCall call;
  call.logoff = true;
  call.flags = op.flags;
  call.reserved = op.reserved;
  call.window = op.window;
  const auto& handles = model_.handles();
  if (op.base == AbiBase::kLive || op.base == AbiBase::kLoggedOff) {
    const bool live = op.base == AbiBase::kLive;
    std::vector<int> candidates;
    for (size_t i = 0; i < handles.size(); ++i) {
      if (handles[i].live == live) candidates.push_back(static_cast<int>(i));
    }
    if (!candidates.empty()) call.issued = candidates[op.which % candidates.size()];
  }
  if (call.issued >= 0) {
    call.mutation = op.mutation;
    call.operand = op.operand;
    call.handle = ApplyMutation(handles[call.issued].handle, op.mutation, op.operand);
  } else {
    // A plain value (0 when no such handle exists yet): written out with the mutation applied.
    const LHANDLE base = op.base == AbiBase::kRaw ? op.operand : 0;
    call.operand = ApplyMutation(base, op.mutation, op.operand);
    call.handle = call.operand;
  }
  return CallLogoff(std::move(call));
}

bool AbiSequence::CallLogon(AbiCall call) {
  LogonArgs args;
  args.ui_param = call.window;
  args.profile = call.profile;
  args.password = call.password;
  args.flags = call.flags;
  args.reserved = call.reserved;
  args.null_out = call.null_out;
  args.ui_result = PromptResult::kUnavailable;  // Through the C ABI, no dialog is answered.
  const bool shared_before = model_.has_shared();
  const ContractModel::LogonPlan plan = model_.PlanLogon(args);
  // Writable copies: LPSTR is not const.
  std::string profile = call.profile.bytes;
  std::string password = call.password.bytes;
  LHANDLE handle = kUntouched;
  call.expected = plan.result;
  if (before_call_) before_call_(call);
  call.got = provider_.logon(call.window, call.profile.is_null ? nullptr : profile.data(),
                             call.password.is_null ? nullptr : password.data(), call.flags,
                             call.reserved, call.null_out ? nullptr : &handle);
  calls_.push_back(call);
  if (call.got != call.expected) {
    return Fail(LogonRow(args, plan, shared_before), DescribeCall(call));
  }
  if (call.got != SUCCESS_SUCCESS) {
    if (!call.null_out && handle != kUntouched) {
      return Fail("N22", DescribeCall(call) + ", but it wrote " + Hex(handle) + " to *lplhSession");
    }
    return true;
  }
  if (const char* problem = model_.IssueProblem(handle)) {
    const std::string text = problem;
    std::string row = text.substr(0, text.find_first_of("/:"));
    return Fail(row, DescribeCall(call) + " with handle " + Hex(handle) + ": " + text);
  }
  model_.ApplyLogon(plan, handle);
  return true;
}

bool AbiSequence::CallLogoff(AbiCall call) {
  call.expected = model_.PlanLogoff(call.handle, call.flags, call.reserved);
  if (before_call_) before_call_(call);
  call.got = provider_.logoff(call.handle, call.window, call.flags, call.reserved);
  calls_.push_back(call);
  if (call.got != call.expected) {
    std::string row = LogoffRow(model_, call.handle, call.flags, call.reserved);
    // A failure that the same call without the window parameter does not have is F6's. Only a
    // failed call is repeated: it changed nothing, so the repeat meets the same state.
    if (call.window != 0 && call.got != SUCCESS_SUCCESS &&
        provider_.logoff(call.handle, 0, call.flags, call.reserved) == call.expected) {
      row = "F6";
    }
    return Fail(row, DescribeCall(call));
  }
  if (call.got == SUCCESS_SUCCESS) model_.ApplyLogoff(call.handle);
  return true;
}

bool AbiSequence::Finish() {
  if (failure_) return false;
  // A plain logoff of the i-th handle the sequence was issued.
  const auto logoff_issued = [this](size_t i) {
    AbiCall call;
    call.logoff = true;
    call.issued = static_cast<int>(i);
    call.handle = model_.handles()[i].handle;
    return CallLogoff(std::move(call));
  };
  const size_t issued = model_.handles().size();
  for (size_t i = 0; i < issued; ++i) {
    if (model_.handles()[i].live && !logoff_issued(i)) return false;
  }
  // Each handle stays dead: one left in its slot would otherwise carry into whatever comes next.
  for (size_t i = 0; i < issued; ++i) {
    if (!logoff_issued(i)) return false;
  }
  // No handle is live, so no shared session may be left (F7: it ends with its last handle).
  AbiCall shared;
  shared.profile = {true, {}};
  shared.password = {true, {}};
  if (!CallLogon(shared)) {
    if (calls_.back().got != calls_.back().expected) {
      failure_->row = "F7";
      failure_->what += " (every handle was logged off: the shared session outlived them)";
    }
    return false;
  }
  // A slot the provider kept would show as a handle it issued before, or as a full table.
  AbiCall fresh;
  fresh.profile = ProfileArg(AbiProfile::kKnown);
  fresh.password = PasswordArg(AbiPassword::kKnown);
  fresh.flags = MAPI_NEW_SESSION;
  if (!CallLogon(fresh)) return false;
  return logoff_issued(model_.handles().size() - 1);
}

}  // namespace smapi::fuzz
