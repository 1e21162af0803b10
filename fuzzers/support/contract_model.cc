#include "support/contract_model.h"

#include <algorithm>
#include <cinttypes>

namespace smapi::fuzz {

ContractModel::ContractModel(const ProviderConfig& config, std::pmr::memory_resource* memory)
    : ContractModel(config.capacity, std::max<uint32_t>(config.max_generation, 1),
                    internal::HandleCodec(internal::SplitMix64(config.seed).Next()), memory) {}

ContractModel::ContractModel(const Opaque& provider, std::pmr::memory_resource* memory)
    : ContractModel(provider.capacity, UINT32_MAX, std::nullopt, memory) {}

ContractModel::ContractModel(uint32_t capacity, uint32_t max_generation,
                             std::optional<internal::HandleCodec> codec,
                             std::pmr::memory_resource* memory)
    : capacity_(capacity),
      max_generation_(max_generation),
      codec_(codec),
      profiles_(memory),
      sessions_(memory),
      handles_(memory),
      generations_(codec.has_value() ? capacity : 0, 0, memory),
      reuse_(memory) {
  // Room for a typical input up front: growing these costs more than the checks themselves.
  profiles_.reserve(8);
  sessions_.reserve(16);
  handles_.reserve(32);
  reuse_.reserve(32);
  profiles_.emplace_back(kContractDefaultProfile, "");
}

bool ContractModel::HasFreeSlot() const {
  if (!structured()) return live_handles_ < capacity_;
  return reuse_head_ < reuse_.size() || next_unused_ < capacity_;
}

LHANDLE ContractModel::Forge(uint32_t index, uint32_t tag, uint32_t generation) const {
  SMAPI_HARNESS_ASSERT(structured(), "model: Forge() needs the provider's codec");
  return codec_->Encode(internal::PackRaw(index, tag, generation));
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
  if (args.null_out || args.reserved != 0 || (args.flags & ~kContractLogonFlags) != 0 ||
      ((args.flags & MAPI_LOGON_UI) && (args.flags & MAPI_PASSWORD_UI))) {
    plan.result = MAPI_E_FAILURE;  // N1-N4
    return plan;
  }
  const bool new_session = (args.flags & MAPI_NEW_SESSION) != 0;
  const bool logon_ui = (args.flags & MAPI_LOGON_UI) != 0;
  const bool password_ui = (args.flags & MAPI_PASSWORD_UI) != 0;
  // MAPI_FORCE_DOWNLOAD changes nothing (N20).
  const std::string_view name =
      args.profile.is_null ? kContractDefaultProfile : args.profile.seen();
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
  if (args.ui_throws) {  // N23: the host failed; the user did not cancel.
    plan.result = MAPI_E_FAILURE;
    return plan;
  }
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

uint32_t ContractModel::NextSlot() const {
  // FIFO reuse: the oldest released slot, else the first never-used one.
  return reuse_head_ < reuse_.size() ? reuse_[reuse_head_] : next_unused_;
}

const char* ContractModel::IssueProblem(LHANDLE handle) const {
  if (handle == 0) return "H1: MAPILogon issued handle 0";
  if (FindHandle(handle) != nullptr) return "H1/H5: MAPILogon issued a handle it had issued before";
  if (!HasFreeSlot()) return "N18: MAPILogon issued a handle with every slot live";
  if (!structured()) return nullptr;
  // A new generation each time (H2), and a slot with spent generations never comes back (H3).
  const uint32_t slot = NextSlot();
  const uint64_t raw = codec_->Decode(handle);
  if ((raw & internal::kIndexMask) != slot ||
      (raw >> internal::kGenerationShift) != generations_[slot] + 1) {
    return "H2/H3: not the slot and generation FIFO reuse with a new generation each time gives";
  }
  return nullptr;
}

void ContractModel::ApplyLogon(const LogonPlan& plan, LHANDLE handle,
                               std::optional<uint64_t> session_id) {
  const char* problem = IssueProblem(handle);
  if (problem != nullptr && structured() && handle != 0 && HasFreeSlot()) {
    const uint64_t raw = codec_->Decode(handle);
    SMAPI_FUZZ_CHECK(problem == nullptr,
                     "%s: handle %#" PRIxPTR " holds slot %" PRIu64 " generation %" PRIu64
                     ", the model says slot %u generation %u (max_generation %u)",
                     problem, handle, raw & internal::kIndexMask, raw >> internal::kGenerationShift,
                     NextSlot(), generations_[NextSlot()] + 1, max_generation_);
  }
  SMAPI_FUZZ_CHECK(problem == nullptr, "%s: handle %#" PRIxPTR, problem, handle);
  uint32_t slot = 0;
  uint32_t generation = 0;
  if (structured()) {
    slot = NextSlot();
    if (reuse_head_ < reuse_.size()) {
      ++reuse_head_;
    } else {
      ++next_unused_;
    }
    generation = ++generations_[slot];
  }

  uint32_t session = 0;
  if (plan.action == LogonPlan::Action::kJoinShared) {
    session = static_cast<uint32_t>(shared_);
    SMAPI_FUZZ_CHECK(!session_id.has_value() || *session_id == sessions_[session].id,
                     "N5/N14: a join reports session %" PRIu64 ", the shared session is %" PRIu64,
                     session_id.value_or(0), sessions_[session].id);
  } else {
    if (session_id.has_value()) {
      for (const SessionRecord& other : sessions_) {
        SMAPI_FUZZ_CHECK(other.id != *session_id,
                         "N16/N17: a new session reports the id %" PRIu64 " of an earlier session",
                         *session_id);
      }
    }
    session = static_cast<uint32_t>(sessions_.size());
    sessions_.push_back(SessionRecord{session_id.value_or(0), std::string(plan.profile), 0});
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
  if (!structured()) return;
  if (generations_[record->slot] >= max_generation_) {
    ++retired_;  // H3
  } else {
    reuse_.push_back(record->slot);
  }
}

ProviderStats ContractModel::ExpectedStats() const {
  const size_t free_slots = structured()
                                ? (reuse_.size() - reuse_head_) + (capacity_ - next_unused_)
                                : capacity_ - live_handles_;
  return ProviderStats{live_handles_, live_sessions_, shared_ >= 0 ? sessions_[shared_].handles : 0,
                       free_slots, retired_};
}

ProviderStats ContractModel::StatsAfterLogoff(LHANDLE handle) const {
  ProviderStats stats = ExpectedStats();
  const HandleRecord* record = FindHandle(handle);
  SMAPI_FUZZ_CHECK(record != nullptr && record->live, "model: logoff of a handle that is not live");
  --stats.live_handles;
  const bool last = sessions_[record->session].handles == 1;
  if (last) --stats.live_sessions;
  if (shared_ == static_cast<int>(record->session)) --stats.shared_handles;
  if (structured() && generations_[record->slot] >= max_generation_) {
    ++stats.retired_slots;
  } else {
    ++stats.free_slots;
  }
  return stats;
}

}  // namespace smapi::fuzz
