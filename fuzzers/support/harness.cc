#include "support/harness.h"

#include <cinttypes>
#include <new>
#include <optional>

namespace smapi::fuzz {

void CheckNoLeak(const testing::FailingResource& memory, size_t baseline, const char* what) {
  SMAPI_FUZZ_CHECK(memory.outstanding_blocks() == baseline,
                   "%s: %zu blocks (%zu bytes) still allocated, expected %zu: a leak", what,
                   memory.outstanding_blocks(), memory.outstanding_bytes(), baseline);
}

void CheckCopyUnderFailures(const Provider& source) {
  const uint64_t fingerprint = source.Fingerprint();
  for (uint64_t fail_at = 1;; ++fail_at) {
    testing::FailingResource memory;
    memory.AllowPlain(kContractDefaultProfile);
    for (const FixedProfile& profile : kFixedProfiles) {
      memory.WatchSecret(profile.password);
      memory.AllowPlain(profile.name);
    }
    memory.FailNth(fail_at);
    bool copied = false;
    {
      std::optional<Provider> copy;
      try {
        copy.emplace(source, &memory, nullptr);
        copied = true;
      } catch (const std::bad_alloc&) {
      }
      if (copied) {
        SMAPI_FUZZ_CHECK(copy->Fingerprint() == fingerprint,
                         "a copy of the provider is in another state than its source");
      }
    }
    CheckNoLeak(memory, 0,
                copied ? "after a copy of the provider was destroyed"
                       : "after a copy of the provider ran out of memory");
    if (copied) return;
  }
}

void CheckLookup(const Provider& provider, const ContractModel& model, LHANDLE handle) {
  const std::optional<SessionView> view = provider.Lookup(handle);
  const ContractModel::HandleRecord* record = model.FindHandle(handle);
  if (handle == 0 || record == nullptr || !record->live) {
    SMAPI_FUZZ_CHECK(!view.has_value(),
                     "H7: Lookup(%#" PRIxPTR ") found session %" PRIu64 " for a handle that is %s",
                     handle, view->session_id,
                     handle == 0 ? "zero" : (record == nullptr ? "never issued" : "logged off"));
    return;
  }
  const uint64_t id = model.session(record->session).id;
  SMAPI_FUZZ_CHECK(view.has_value() && view->session_id == id,
                   "H7: Lookup(%#" PRIxPTR ") of a live handle gave %s%" PRIu64
                   ", its session is %" PRIu64,
                   handle, view.has_value() ? "session " : "nothing ",
                   view.has_value() ? view->session_id : 0, id);
}

void CheckStats(const Provider& provider, const ProviderStats& want) {
  const ProviderStats got = provider.Stats();
  SMAPI_FUZZ_CHECK(got.live_handles == want.live_handles &&
                       got.live_sessions == want.live_sessions &&
                       got.shared_handles == want.shared_handles &&
                       got.free_slots == want.free_slots && got.retired_slots == want.retired_slots,
                   "Stats() live_handles/live_sessions/shared_handles/free_slots/retired_slots = "
                   "%zu/%zu/%zu/%zu/%zu; the model says %zu/%zu/%zu/%zu/%zu",
                   got.live_handles, got.live_sessions, got.shared_handles, got.free_slots,
                   got.retired_slots, want.live_handles, want.live_sessions, want.shared_handles,
                   want.free_slots, want.retired_slots);
}

void CheckInvariants(const Provider& provider) {
  const char* broken = provider.CheckInvariants();
  SMAPI_FUZZ_CHECK(broken == nullptr, "CheckInvariants: %s", broken);
}

// ---------------------------------------------------------------------------------------------
// ScriptedUiHost

PromptResult ScriptedUiHost::PromptLogon(const LogonPrompt& prompt, LogonAnswer& answer) {
  ++calls_;
  SMAPI_FUZZ_CHECK(plan_ != nullptr && plan_->prompts,
                   "the UI host was asked for a dialog the contract does not allow here");
  SMAPI_FUZZ_CHECK(calls_ == 1, "the UI host was asked %d times; one prompt, no retry (N12)",
                   calls_);
  SMAPI_FUZZ_CHECK(prompt.parent_window == args_->ui_param,
                   "N21: the UI host got parent window %#" PRIxPTR ", ulUIParam was %#" PRIxPTR,
                   prompt.parent_window, args_->ui_param);
  SMAPI_FUZZ_CHECK(prompt.password_only == plan_->password_only,
                   "the prompt's password_only is %d, the flags say %d", prompt.password_only,
                   plan_->password_only);
  SMAPI_FUZZ_CHECK(prompt.profile == plan_->prompt_profile,
                   "the prompt names profile '%.*s', expected '%.*s'",
                   static_cast<int>(prompt.profile.size()), prompt.profile.data(),
                   static_cast<int>(plan_->prompt_profile.size()), plan_->prompt_profile.data());
  // N23: whatever a host throws, the provider must turn into a result, not let it through.
  if (args_->ui_throws) throw ScriptedUiHost::Failure{};
  answer.profile = args_->answer_profile;
  answer.password = args_->answer_password;
  return args_->ui_result;
}

// ---------------------------------------------------------------------------------------------
// Harness

namespace {

// Where the provider (through the failing resource) and the model allocate.
std::pmr::memory_resource* ArenaOrHeap(testing::ArenaResource* arena) {
  return arena != nullptr ? arena : std::pmr::new_delete_resource();
}

}  // namespace

Harness::Harness(const ProviderConfig& config, bool fixed_profiles, testing::ArenaResource* arena)
    : arena_reset_{arena}, memory_(ArenaOrHeap(arena)), model_(config, ArenaOrHeap(arena)) {
  ProviderOptions options;
  options.capacity = config.capacity;
  options.max_generation = config.max_generation;
  options.seed = config.seed;
  options.memory = &memory_;
  options.ui = &ui_;
  provider_.emplace(options);
  memory_.AllowPlain(kContractDefaultProfile);  // The profile every provider starts with.
  if (!fixed_profiles) return;
  for (const FixedProfile& profile : kFixedProfiles) AddProfile(profile.name, profile.password);
}

Harness::~Harness() {
  provider_.reset();
  CheckNoLeak(memory_, 0, "after the provider was destroyed");
}

void SetReply(LogonArgs& args, uint8_t byte) {
  constexpr PromptResult kReplies[4] = {PromptResult::kAnswered, PromptResult::kCancelled,
                                        PromptResult::kUnavailable, PromptResult::kAnswered};
  args.ui_result = kReplies[byte & 3];
  args.ui_throws = (byte & 3) == 3;
}

void DescribeLogon(DescribedOp& line, const LogonArgs& args) {
  line.Flags("flags", args.flags)
      .Hex("reserved", args.reserved)
      .Word("out", args.null_out ? "NULL" : "&h")
      .Arg("profile", args.profile)
      .Arg("password", args.password)
      .Hex("ui", args.ui_param);
  if (args.ui_throws) {
    line.Word("reply", "throw");
    return;
  }
  switch (args.ui_result) {
    case PromptResult::kCancelled:
      line.Word("reply", "cancel");
      return;
    case PromptResult::kUnavailable:
      line.Word("reply", "none");
      return;
    case PromptResult::kAnswered:
      line.Word("reply", "answer");
      break;
  }
  line.Str("answer_profile", args.answer_profile).Str("answer_password", args.answer_password);
}

ULONG CheckedLogon(Provider& provider, testing::FailingResource& memory, ScriptedUiHost& ui,
                   const ContractModel::LogonPlan& plan, const LogonArgs& args, LHANDLE* issued) {
  constexpr LHANDLE kUntouched = 0x5e5e5e5e5e5e5e5eULL;
  LHANDLE out = kUntouched;
  const uint64_t failures = memory.failures();
  // H6: whatever password this call may store must be wiped before its memory goes back.
  const testing::FailingResource::SecretMark mark = memory.secret_mark();
  memory.WatchSecret(args.password.seen());
  memory.WatchSecret(args.answer_password);
  memory.AllowPlain(args.profile.seen());
  memory.AllowPlain(args.answer_profile);
  ui.Arm(&plan, &args);
  const ULONG result = provider.Logon(args.ui_param, args.profile.get(), args.password.get(),
                                      args.flags, args.reserved, args.null_out ? nullptr : &out);
  const int asked = ui.Disarm();
  // N19 decides only where no earlier row does: under an allocation failure a call the plan fails
  // keeps its result, and only a would-be success becomes MAPI_E_INSUFFICIENT_MEMORY.
  const bool failed = memory.failures() != failures;
  const ULONG expected = failed ? ContractModel::LogonResultIfAllocationFails(plan) : plan.result;
  SMAPI_FUZZ_CHECK(
      result == expected,
      "MAPILogon(ui=%#" PRIxPTR
      ", profile=%s'%s', password=%s'%s', flags=%#x, "
      "reserved=%#x, out=%s) returned %s; the contract says %s%s",
      args.ui_param, args.profile.is_null ? "NULL " : "", std::string(args.profile.seen()).c_str(),
      args.password.is_null ? "NULL " : "", std::string(args.password.seen()).c_str(), args.flags,
      args.reserved, args.null_out ? "NULL" : "&h", ResultName(result), ResultName(expected),
      failed ? " (an allocation failed, but N19 comes after the row that decides)" : "");
  // A provider may run out of memory before it would have asked the host.
  const int prompts = plan.prompts ? 1 : 0;
  SMAPI_FUZZ_CHECK(asked == prompts || (expected == MAPI_E_INSUFFICIENT_MEMORY && asked < prompts),
                   "the UI host was asked %d times; the contract says %d", asked, prompts);
  if (result != SUCCESS_SUCCESS) {
    memory.ForgetSecrets(mark);  // A failed call stored nothing.
    SMAPI_FUZZ_CHECK(out == kUntouched,
                     "N22: MAPILogon failed with %s but wrote %#" PRIxPTR " to *lplhSession",
                     ResultName(result), out);
    return result;
  }
  *issued = out;
  return result;
}

uint64_t CheckedSessionOf(const Provider& provider, LHANDLE handle) {
  const std::optional<SessionView> view = provider.Lookup(handle);
  SMAPI_FUZZ_CHECK(view.has_value(), "the handle %#" PRIxPTR " MAPILogon just issued is not live",
                   handle);
  return view->session_id;
}

void CheckState(const Provider& provider, const ContractModel& model, bool every_handle) {
  CheckInvariants(provider);
  CheckStats(provider, model.ExpectedStats());
  SMAPI_FUZZ_CHECK(provider.HasSharedSession() == model.has_shared(),
                   "HasSharedSession() is %d; the model says %d", provider.HasSharedSession(),
                   model.has_shared());
  for (const ContractModel::HandleRecord& record : model.handles()) {
    if (every_handle || record.live) CheckLookup(provider, model, record.handle);
  }
}

ULONG Harness::Logon(const LogonArgs& args, LHANDLE* issued) {
  const ContractModel::LogonPlan plan = model_.PlanLogon(args);
  LHANDLE out = 0;
  const ULONG result = CheckedLogon(*provider_, memory_, ui_, plan, args, &out);
  if (result != SUCCESS_SUCCESS) return result;
  model_.ApplyLogon(plan, out, CheckedSessionOf(*provider_, out));
  if (issued != nullptr) *issued = out;
  return result;
}

ULONG Harness::Logoff(LHANDLE handle, ULONG_PTR ui_param, FLAGS flags, ULONG reserved) {
  const ULONG expected = model_.PlanLogoff(handle, flags, reserved);
  const uint64_t failures = memory_.failures();
  const ULONG result = provider_->Logoff(handle, ui_param, flags, reserved);
  // F1-F3 decide before F4: only a logoff that would succeed may report the failed allocation.
  const bool failed = memory_.failures() != failures;
  const ULONG want = failed ? ContractModel::LogoffResultIfAllocationFails(expected) : expected;
  SMAPI_FUZZ_CHECK(
      result == want,
      "MAPILogoff(%#" PRIxPTR ", ui=%#" PRIxPTR
      ", flags=%#x, reserved=%#x) returned %s; the contract says %s%s",
      handle, ui_param, flags, reserved, ResultName(result), ResultName(want),
      failed ? " (an allocation failed, but F4 comes after the row that decides)" : "");
  if (result == SUCCESS_SUCCESS) {
    model_.ApplyLogoff(handle);
    SMAPI_FUZZ_CHECK(!provider_->Lookup(handle).has_value(),
                     "F5: handle %#" PRIxPTR " still looks up after a successful logoff", handle);
  }
  return result;
}

void Harness::Lookup(LHANDLE handle) const { CheckLookup(*provider_, model_, handle); }

ULONG Harness::AddProfile(std::string_view name, std::string_view password) {
  const uint64_t failures = memory_.failures();
  memory_.WatchSecret(password);  // H6
  memory_.AllowPlain(name);
  const ULONG result = provider_->AddProfile(name, password);
  // An empty name fails before anything is allocated.
  const ULONG planned = model_.PlanAddProfile(name);
  const ULONG expected = memory_.failures() != failures && planned == SUCCESS_SUCCESS
                             ? ULONG{MAPI_E_INSUFFICIENT_MEMORY}
                             : planned;
  SMAPI_FUZZ_CHECK(result == expected, "AddProfile returned %s, expected %s", ResultName(result),
                   ResultName(expected));
  if (result == SUCCESS_SUCCESS) model_.PutProfile(name, password);
  return result;
}

void Harness::RemoveProfile(std::string_view name) {
  const bool removed = provider_->RemoveProfile(name);
  SMAPI_FUZZ_CHECK(removed == model_.RemoveProfile(name), "RemoveProfile returned %d", removed);
}

void Harness::CheckStats() const { smapi::fuzz::CheckStats(*provider_, model_.ExpectedStats()); }

void Harness::CheckState(bool every_handle) const {
  smapi::fuzz::CheckState(*provider_, model_, every_handle);
}

}  // namespace smapi::fuzz
