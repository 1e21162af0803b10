// The fuzzers' oracle: an independent model of docs/contract.md.
//
// The model is written from the contract, not from src/: a list of profiles with exact password
// comparison, the sessions, and every handle ever issued with its state. Beyond the contract's
// result codes it checks the structure the contract promises for handles (H1-H3): never 0, never
// reissued, and the slot and generation that FIFO reuse and retirement imply (decoded with the
// provider's own codec, which a fuzzer may do because the seed is its own).
#ifndef SMAPI_FUZZERS_SUPPORT_CONTRACT_MODEL_H_
#define SMAPI_FUZZERS_SUPPORT_CONTRACT_MODEL_H_

#include <smapi/mapi.h>
#include <smapi/provider.h>
#include <smapi/ui_host.h>

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

#include "handle_codec.h"
#include "support/fuzz_check.h"
#include "support/fuzz_input.h"

namespace smapi::fuzz {

// One MAPILogon call, and what the scripted UI host answers if the provider asks it.
struct LogonArgs {
  ULONG_PTR ui_param = 0;
  CStringArg profile;
  CStringArg password;
  FLAGS flags = 0;
  ULONG reserved = 0;
  bool null_out = false;
  PromptResult ui_result = PromptResult::kUnavailable;
  std::string answer_profile;  // Passed as a string_view: NULs and all.
  std::string answer_password;
};

class ContractModel {
 public:
  // Its bookkeeping allocates from `memory`; a copy uses the default resource.
  explicit ContractModel(const ProviderConfig& config,
                         std::pmr::memory_resource* memory = std::pmr::get_default_resource());

  // What one MAPILogon must do, from the contract alone.
  struct LogonPlan {
    enum class Action { kNone, kJoinShared, kNewShared, kNewPrivate };
    ULONG result = MAPI_E_FAILURE;
    Action action = Action::kNone;
    // Views into the LogonArgs or constants; valid while the arguments are.
    std::string_view profile;  // The new session's profile.
    bool prompts = false;      // The UI host is asked exactly once.
    bool password_only = false;
    std::string_view prompt_profile;
  };
  LogonPlan PlanLogon(const LogonArgs& args) const;
  ULONG PlanLogoff(LHANDLE handle, FLAGS flags, ULONG reserved) const;

  // Records a success the provider reported, after checking the new handle against H1-H3 and its
  // session against N5/N14/N16/N17.
  void ApplyLogon(const LogonPlan& plan, LHANDLE handle, uint64_t session_id);
  void ApplyLogoff(LHANDLE handle);
  // AddProfile's result for this name, and the change it makes when it succeeds.
  ULONG PlanAddProfile(std::string_view name) const {
    return name.empty() ? ULONG{MAPI_E_FAILURE} : ULONG{SUCCESS_SUCCESS};
  }
  void PutProfile(std::string_view name, std::string_view password);
  bool RemoveProfile(std::string_view name);

  struct HandleRecord {
    LHANDLE handle;
    uint32_t session;  // Index into sessions().
    uint32_t slot;
    uint32_t generation;
    bool live;
  };
  struct SessionRecord {
    uint64_t id;  // The provider's session id, as the first lookup reported it.
    std::string profile;
    uint32_t handles;
  };
  const std::pmr::vector<HandleRecord>& handles() const { return handles_; }
  const SessionRecord& session(uint32_t index) const { return sessions_[index]; }
  const HandleRecord* FindHandle(LHANDLE handle) const;
  // A released handle whose slot has issued a newer one since (F3d).
  bool IsStale(const HandleRecord& record) const {
    return !record.live && generations_[record.slot] > record.generation;
  }
  bool has_shared() const { return shared_ >= 0; }
  ProviderStats ExpectedStats() const;
  // What Stats() must read after a successful logoff of this live handle, without changing the
  // model: the logoff fuzzer keeps one model for a world it rebuilds.
  ProviderStats StatsAfterLogoff(LHANDLE handle) const;

  uint32_t capacity() const { return capacity_; }
  uint32_t slot_generation(uint32_t slot) const {
    return slot < capacity_ ? generations_[slot] : 0;
  }
  // The handle this provider would issue for these raw parts: forged neighbours of real handles,
  // and handles that decode to slots at or past the end of the table.
  LHANDLE Forge(uint32_t index, uint32_t tag, uint32_t generation) const {
    return codec_.Encode(internal::PackRaw(index, tag, generation));
  }

 private:
  bool HasFreeSlot() const { return reuse_head_ < reuse_.size() || next_unused_ < capacity_; }
  bool Verify(std::string_view name, std::string_view password) const;
  bool Contains(std::string_view name) const;
  void Open(std::string_view profile, bool new_session, LogonPlan& plan) const;
  void Attach(LogonPlan& plan) const;

  const uint32_t capacity_;
  const uint32_t max_generation_;
  const internal::HandleCodec codec_;
  std::pmr::vector<std::pair<std::pmr::string, std::pmr::string>> profiles_;
  std::pmr::vector<SessionRecord> sessions_;  // Every session ever opened.
  std::pmr::vector<HandleRecord> handles_;    // Every handle ever issued, in order.
  int shared_ = -1;                           // Index of the shared session, or -1.
  size_t live_handles_ = 0;
  size_t live_sessions_ = 0;
  // The slots as the contract describes them: never-used ones from next_unused_ on, released ones
  // in a FIFO queue, and spent ones retired.
  std::pmr::vector<uint32_t> generations_;  // Last generation each slot issued; 0 = never.
  std::pmr::vector<uint32_t> reuse_;        // FIFO from reuse_head_.
  size_t reuse_head_ = 0;
  uint32_t next_unused_ = 0;
  size_t retired_ = 0;
};
}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_CONTRACT_MODEL_H_
