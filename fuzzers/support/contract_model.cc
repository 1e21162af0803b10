#include "support/contract_model.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace smapi::fuzz {

void CheckFailed(const char* file, int line, const char* condition, const char* format, ...) {
  std::fprintf(stderr, "\n==smapi fuzz check failed== %s:%d: %s\n  ", file, line, condition);
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  std::abort();
}

const char* ResultName(ULONG result) {
  switch (result) {
    case SUCCESS_SUCCESS:
      return "SUCCESS_SUCCESS";
    case MAPI_E_USER_ABORT:
      return "MAPI_E_USER_ABORT";
    case MAPI_E_FAILURE:
      return "MAPI_E_FAILURE";
    case MAPI_E_LOGIN_FAILURE:
      return "MAPI_E_LOGIN_FAILURE";
    case MAPI_E_INSUFFICIENT_MEMORY:
      return "MAPI_E_INSUFFICIENT_MEMORY";
    case MAPI_E_TOO_MANY_SESSIONS:
      return "MAPI_E_TOO_MANY_SESSIONS";
    case MAPI_E_INVALID_SESSION:
      return "MAPI_E_INVALID_SESSION";
    default:
      return "(a code the contract never returns)";
  }
}

void CheckNoLeak(const testing::FailingResource& memory, size_t baseline, const char* what) {
  SMAPI_FUZZ_CHECK(memory.outstanding_blocks() == baseline,
                   "%s: %zu blocks (%zu bytes) still allocated, expected %zu: a leak", what,
                   memory.outstanding_blocks(), memory.outstanding_bytes(), baseline);
}

// ---------------------------------------------------------------------------------------------
// ContractModel

ContractModel::ContractModel(const ProviderConfig& config, std::pmr::memory_resource* memory)
    : capacity_(std::min(config.capacity, kMaxCapacity)),
      max_generation_(std::max<uint32_t>(config.max_generation, 1)),
      codec_(internal::SplitMix64(config.seed).Next()),
      profiles_(memory),
      sessions_(memory),
      handles_(memory),
      generations_(capacity_, 0, memory),
      reuse_(memory) {
  // Room for a typical input up front: growing these costs more than the checks themselves.
  profiles_.reserve(8);
  sessions_.reserve(16);
  handles_.reserve(32);
  reuse_.reserve(32);
  profiles_.emplace_back(kDefaultProfileName, "");
}

bool ContractModel::Contains(std::string_view name) const {
  for (const auto& [profile, password] : profiles_) {
    if (profile == name) return true;
  }
  return false;
}

bool ContractModel::Verify(std::string_view name, std::string_view password) const {
  for (const auto& [profile, secret] : profiles_) {
    if (profile == name) return secret == password;  // Exact: length and every byte.
  }
  return false;
}

void ContractModel::PutProfile(std::string_view name, std::string_view password) {
  for (auto& [profile, secret] : profiles_) {
    if (profile == name) {
      secret = password;
      return;
    }
  }
  profiles_.emplace_back(name, password);
}

bool ContractModel::RemoveProfile(std::string_view name) {
  for (auto it = profiles_.begin(); it != profiles_.end(); ++it) {
    if (it->first == name) {
      profiles_.erase(it);
      return true;
    }
  }
  return false;
}

const ContractModel::HandleRecord* ContractModel::FindHandle(LHANDLE handle) const {
  for (const HandleRecord& record : handles_) {
    if (record.handle == handle) return &record;
  }
  return nullptr;
}

void ContractModel::Attach(LogonPlan& plan) const {
  if (!HasFreeSlot()) {  // N18
    plan.result = MAPI_E_TOO_MANY_SESSIONS;
    return;
  }
  plan.result = SUCCESS_SUCCESS;
  plan.action = LogonPlan::Action::kJoinShared;
}

void ContractModel::Open(std::string_view profile, bool new_session, LogonPlan& plan) const {
  if (!new_session && shared_ >= 0) {
    if (sessions_[shared_].profile != profile) {  // N15
      plan.result = MAPI_E_LOGIN_FAILURE;
      return;
    }
    Attach(plan);  // N14
    return;
  }
  if (!HasFreeSlot()) {  // N18
    plan.result = MAPI_E_TOO_MANY_SESSIONS;
    return;
  }
  plan.result = SUCCESS_SUCCESS;  // N16, N17
  plan.action = new_session ? LogonPlan::Action::kNewPrivate : LogonPlan::Action::kNewShared;
  plan.profile = profile;
}

ContractModel::LogonPlan ContractModel::PlanLogon(const LogonArgs& args) const {
  LogonPlan plan;
  if (args.null_out || args.reserved != 0 || (args.flags & ~kLogonFlags) != 0 ||
      ((args.flags & MAPI_LOGON_UI) && (args.flags & MAPI_PASSWORD_UI))) {
    plan.result = MAPI_E_FAILURE;  // N1-N4
    return plan;
  }
  const bool new_session = (args.flags & MAPI_NEW_SESSION) != 0;
  const bool logon_ui = (args.flags & MAPI_LOGON_UI) != 0;
  const bool password_ui = (args.flags & MAPI_PASSWORD_UI) != 0;
  // MAPI_FORCE_DOWNLOAD changes nothing (N20).
  const std::string_view name = args.profile.is_null ? kDefaultProfileName : args.profile.seen();
  const std::string_view password = args.password.seen();  // NULL is the empty password.
  if (args.profile.is_null && !new_session) {
    if (shared_ >= 0) {  // N5: no credentials needed, no dialog.
      Attach(plan);
      return plan;
    }
    if (!logon_ui) {  // N6
      plan.result = MAPI_E_LOGIN_FAILURE;
      return plan;
    }
  }
  if (Verify(name, password)) {  // N7, N14-N17
    Open(name, new_session, plan);
    return plan;
  }
  // Bad credentials: a dialog is the only way left, and only if the flags allow one.
  if (!logon_ui && !(password_ui && Contains(name))) {  // N8, N9
    plan.result = MAPI_E_LOGIN_FAILURE;
    return plan;
  }
  plan.prompts = true;
  plan.password_only = !logon_ui;
  plan.prompt_profile = name;
  switch (args.ui_result) {
    case PromptResult::kCancelled:  // N10
      plan.result = MAPI_E_USER_ABORT;
      return plan;
    case PromptResult::kUnavailable:  // N13
      plan.result = MAPI_E_LOGIN_FAILURE;
      return plan;
    case PromptResult::kAnswered:
      break;
  }
  const std::string_view answered = plan.password_only ? name : args.answer_profile;
  if (!Verify(answered, args.answer_password)) {  // N12: one prompt, no retry.
    plan.result = MAPI_E_LOGIN_FAILURE;
    return plan;
  }
  Open(answered, new_session, plan);  // N11
  return plan;
}

ULONG ContractModel::PlanLogoff(LHANDLE handle, FLAGS flags, ULONG reserved) const {
  if (flags != 0) return MAPI_E_FAILURE;     // F1
  if (reserved != 0) return MAPI_E_FAILURE;  // F2
  const HandleRecord* record = FindHandle(handle);
  if (handle == 0 || record == nullptr || !record->live) return MAPI_E_INVALID_SESSION;  // F3
  return SUCCESS_SUCCESS;  // F5 (F4 is the harness's business: it sees the allocation fail).
}

void ContractModel::ApplyLogon(const LogonPlan& plan, LHANDLE handle, uint64_t session_id) {
  SMAPI_FUZZ_CHECK(handle != 0, "H1: MAPILogon issued handle 0");
  SMAPI_FUZZ_CHECK(FindHandle(handle) == nullptr, "H1: handle %#" PRIxPTR " issued twice", handle);
  // FIFO reuse: the oldest released slot, else the first never-used one; a new generation each
  // time (H2), and a slot with spent generations never comes back (H3).
  const bool reuse = reuse_head_ < reuse_.size();
  const uint32_t slot = reuse ? reuse_[reuse_head_] : next_unused_;
  SMAPI_FUZZ_CHECK(slot < capacity_, "model: a logon succeeded with no free slot");
  const uint32_t generation = generations_[slot] + 1;
  const uint64_t raw = codec_.Decode(handle);
  const uint64_t got_slot = raw & internal::kIndexMask;
  const uint64_t got_generation = raw >> internal::kGenerationShift;
  SMAPI_FUZZ_CHECK(got_slot == slot && got_generation == generation,
                   "H2/H3: handle %#" PRIxPTR " holds slot %" PRIu64 " generation %" PRIu64
                   "; FIFO reuse with a new generation each time says slot %u generation %u"
                   " (max_generation %u)",
                   handle, got_slot, got_generation, slot, generation, max_generation_);
  if (reuse) {
    ++reuse_head_;
  } else {
    ++next_unused_;
  }
  generations_[slot] = generation;

  uint32_t session = 0;
  if (plan.action == LogonPlan::Action::kJoinShared) {
    session = static_cast<uint32_t>(shared_);
    SMAPI_FUZZ_CHECK(session_id == sessions_[session].id,
                     "N5/N14: a join reports session %" PRIu64 ", the shared session is %" PRIu64,
                     session_id, sessions_[session].id);
  } else {
    for (const SessionRecord& other : sessions_) {
      SMAPI_FUZZ_CHECK(other.id != session_id,
                       "N16/N17: a new session reports the id %" PRIu64 " of an earlier session",
                       session_id);
    }
    session = static_cast<uint32_t>(sessions_.size());
    sessions_.push_back(SessionRecord{session_id, std::string(plan.profile), 0});
    ++live_sessions_;
    if (plan.action == LogonPlan::Action::kNewShared) shared_ = static_cast<int>(session);
  }
  ++sessions_[session].handles;
  handles_.push_back(HandleRecord{handle, session, slot, generation, true});
  ++live_handles_;
}

void ContractModel::ApplyLogoff(LHANDLE handle) {
  HandleRecord* record = nullptr;
  for (HandleRecord& candidate : handles_) {
    if (candidate.handle == handle) record = &candidate;
  }
  SMAPI_FUZZ_CHECK(record != nullptr && record->live, "model: logoff of a handle that is not live");
  record->live = false;
  --live_handles_;
  SessionRecord& session = sessions_[record->session];
  if (--session.handles == 0) {  // F7: the session ends with its last handle.
    --live_sessions_;
    if (shared_ == static_cast<int>(record->session)) shared_ = -1;
  }
  if (generations_[record->slot] >= max_generation_) {
    ++retired_;  // H3
  } else {
    reuse_.push_back(record->slot);
  }
}

ProviderStats ContractModel::ExpectedStats() const {
  return ProviderStats{live_handles_, live_sessions_, shared_ >= 0 ? sessions_[shared_].handles : 0,
                       (reuse_.size() - reuse_head_) + (capacity_ - next_unused_), retired_};
}

ProviderStats ContractModel::StatsAfterLogoff(LHANDLE handle) const {
  ProviderStats stats = ExpectedStats();
  const HandleRecord* record = FindHandle(handle);
  SMAPI_FUZZ_CHECK(record != nullptr && record->live, "model: logoff of a handle that is not live");
  --stats.live_handles;
  const bool last = sessions_[record->session].handles == 1;
  if (last) --stats.live_sessions;
  if (shared_ == static_cast<int>(record->session)) --stats.shared_handles;
  if (generations_[record->slot] >= max_generation_) {
    ++stats.retired_slots;
  } else {
    ++stats.free_slots;
  }
  return stats;
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

// ---------------------------------------------------------------------------------------------
// Sequences

LHANDLE PickHandle(const ContractModel& model, uint8_t selector) {
  const auto& handles = model.handles();
  if (selector < 0xf0) return handles.empty() ? 0 : handles[selector % handles.size()].handle;
  switch (selector & 3) {
    case 1:  // Decodes to slot == capacity: one past the end of the table.
      return model.Forge(model.capacity(), 0, 1);
    case 2: {  // The handle the last used slot might issue next, with another tag.
      const uint32_t slot = handles.empty() ? 0 : handles.back().slot;
      return model.Forge(slot, 0xa5, model.slot_generation(slot) + 1);
    }
    case 3:  // A forged first handle of slot 0.
      return model.Forge(0, 0x5a, 1);
    default:
      return 0;
  }
}

void ArmFailureSchedule(testing::FailingResource& memory, uint8_t mode, uint8_t n) {
  switch (mode & 3) {
    case 1:
      memory.FailNth(n);
      break;
    case 2:
      memory.FailFrom(n);
      break;
    case 3:
      memory.FailAll();
      break;
    default:
      memory.Disarm();
      break;
  }
}

namespace {

PromptResult ReplyFromBits(uint8_t bits) {
  switch (bits & 3) {
    case 1:
      return PromptResult::kCancelled;
    case 2:
      return PromptResult::kUnavailable;
    default:
      return PromptResult::kAnswered;
  }
}

}  // namespace

void RunSequence(Harness& harness, InputReader& in, const SequenceOptions& options) {
  for (size_t step = 0; step < options.max_steps && !in.done(); ++step) {
    switch (in.U8() & 7) {
      case 0: {  // Logon: flags, profile, password, UI byte [, answer profile, answer password].
        LogonArgs args;
        const LogonFlagsByte flags = DecodeLogonFlags(in.U8());
        args.flags = flags.flags;
        args.reserved = flags.reserved;
        args.null_out = flags.null_out;
        args.profile = ReadString(in, StringRole::kProfile);
        args.password = ReadString(in, StringRole::kPassword);
        const uint8_t ui = in.U8();
        args.ui_result = ReplyFromBits(ui);
        args.ui_param = WindowParamFromByte(ui >> 2);
        if (args.ui_result == PromptResult::kAnswered) {
          args.answer_profile = ReadString(in, StringRole::kProfile).bytes;
          args.answer_password = ReadString(in, StringRole::kPassword).bytes;
        }
        harness.Logon(args);
        break;
      }
      case 1: {  // Logoff: handle selector, mutation, flags/reserved nibbles, window param.
        LHANDLE handle = PickHandle(harness.model(), in.U8());
        handle = MutateHandle(handle, in.U8(), in);
        const uint8_t flags = in.U8();
        const ULONG_PTR ui = WindowParamFromByte(in.U8());
        harness.Logoff(handle, ui, LogoffFlagsFromNibble(flags & 15),
                       LogoffReservedFromNibble(flags >> 4));
        break;
      }
      case 2: {  // Lookup: handle selector, mutation.
        const LHANDLE handle = PickHandle(harness.model(), in.U8());
        harness.Lookup(MutateHandle(handle, in.U8(), in));
        break;
      }
      case 3: {  // Join the shared session: MAPILogon(ui, NULL, NULL, 0, 0).
        LogonArgs args;
        args.profile.is_null = true;
        args.password.is_null = true;
        args.ui_param = WindowParamFromByte(in.U8());
        harness.Logon(args);
        break;
      }
      case 4: {  // AddProfile: name, password (all their bytes).
        const std::string name = ReadString(in, StringRole::kProfile).bytes;
        const std::string password = ReadString(in, StringRole::kPassword).bytes;
        harness.AddProfile(name, password);
        break;
      }
      case 5:  // RemoveProfile: name.
        harness.RemoveProfile(ReadString(in, StringRole::kProfile).bytes);
        break;
      case 6:  // Logoff of the oldest live handle, with valid arguments.
        for (const ContractModel::HandleRecord& record : harness.model().handles()) {
          if (record.live) {
            harness.Logoff(record.handle, 0, 0, 0);
            break;
          }
        }
        break;
      default: {  // Failure schedule: mode, n.
        const uint8_t mode = in.U8();
        const uint8_t n = in.U8();
        if (options.fault_schedule) ArmFailureSchedule(harness.memory(), mode, n);
        break;
      }
    }
    harness.CheckState(/*every_handle=*/false);
  }
  harness.CheckState(/*every_handle=*/true);
}

}  // namespace smapi::fuzz
