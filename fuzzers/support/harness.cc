#include "support/harness.h"

#include <cinttypes>
#include <optional>

namespace smapi::fuzz {

void CheckNoLeak(const testing::FailingResource& memory, size_t baseline, const char* what) {
  SMAPI_FUZZ_CHECK(memory.outstanding_blocks() == baseline,
                   "%s: %zu blocks (%zu bytes) still allocated, expected %zu: a leak", what,
                   memory.outstanding_blocks(), memory.outstanding_bytes(), baseline);
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
  if (!fixed_profiles) return;
  for (const FixedProfile& profile : kFixedProfiles) AddProfile(profile.name, profile.password);
}

Harness::~Harness() {
  provider_.reset();
  CheckNoLeak(memory_, 0, "after the provider was destroyed");
}

ULONG CheckedLogon(Provider& provider, testing::FailingResource& memory, ScriptedUiHost& ui,
                   const ContractModel::LogonPlan& plan, const LogonArgs& args, LHANDLE* issued) {
  constexpr LHANDLE kUntouched = 0x5e5e5e5e5e5e5e5eULL;
  LHANDLE out = kUntouched;
  const uint64_t failures = memory.failures();
  ui.Arm(&plan, &args);
  const ULONG result = provider.Logon(args.ui_param, args.profile.get(), args.password.get(),
                                      args.flags, args.reserved, args.null_out ? nullptr : &out);
  const int asked = ui.Disarm();
  if (memory.failures() != failures) {  // N19
    SMAPI_FUZZ_CHECK(result == MAPI_E_INSUFFICIENT_MEMORY,
                     "N19: an allocation failed, yet MAPILogon returned %s", ResultName(result));
    SMAPI_FUZZ_CHECK(asked <= (plan.prompts ? 1 : 0), "a dialog the contract does not allow");
  } else {
    SMAPI_FUZZ_CHECK(result == plan.result,
                     "MAPILogon(ui=%#" PRIxPTR
                     ", profile=%s'%s', password=%s'%s', flags=%#x, "
                     "reserved=%#x, out=%s) returned %s; the contract says %s",
                     args.ui_param, args.profile.is_null ? "NULL " : "",
                     std::string(args.profile.seen()).c_str(), args.password.is_null ? "NULL " : "",
                     std::string(args.password.seen()).c_str(), args.flags, args.reserved,
                     args.null_out ? "NULL" : "&h", ResultName(result), ResultName(plan.result));
    SMAPI_FUZZ_CHECK(asked == (plan.prompts ? 1 : 0),
                     "the UI host was asked %d times; the contract says %d", asked,
                     plan.prompts ? 1 : 0);
  }
  if (result != SUCCESS_SUCCESS) {
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
                   "HasSharedSession() is %d; the model says %d", !model.has_shared(),
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
  if (memory_.failures() != failures) {  // F4: only a logoff that would succeed allocates.
    SMAPI_FUZZ_CHECK(expected == SUCCESS_SUCCESS && result == MAPI_E_INSUFFICIENT_MEMORY,
                     "F4: an allocation failed in MAPILogoff(%#" PRIxPTR
                     "), which returned %s; the contract says %s, or "
                     "MAPI_E_INSUFFICIENT_MEMORY when it cannot allocate",
                     handle, ResultName(result), ResultName(expected));
  } else {
    SMAPI_FUZZ_CHECK(result == expected,
                     "MAPILogoff(%#" PRIxPTR ", ui=%#" PRIxPTR
                     ", flags=%#x, reserved=%#x) returned %s; the contract says %s",
                     handle, ui_param, flags, reserved, ResultName(result), ResultName(expected));
  }
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
  const ULONG result = provider_->AddProfile(name, password);
  if (memory_.failures() != failures) {
    SMAPI_FUZZ_CHECK(result == MAPI_E_INSUFFICIENT_MEMORY,
                     "an allocation failed, yet AddProfile returned %s", ResultName(result));
    return result;
  }
  SMAPI_FUZZ_CHECK(result == model_.PlanAddProfile(name), "AddProfile returned %s, expected %s",
                   ResultName(result), ResultName(model_.PlanAddProfile(name)));
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
