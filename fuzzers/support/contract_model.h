// The fuzzers' oracle: an independent model of docs/contract.md.
//
// The model is written from the contract, not from src/: a list of profiles with exact password
// comparison, the sessions, and every handle ever issued with its state. Its constants (the
// accepted logon flags, the default profile, the default capacity) come from the contract and
// <smapi/mapi.h>, never from the provider's headers.
//
// It reads handles in one of two ways:
// - structured, for a provider this process built with a seed of its own: besides the contract's
//   result codes it checks the slot and generation that FIFO reuse and retirement imply (H2, H3).
//   That needs the provider's handle codec (src/handle_codec.h), the one piece the model shares
//   with src/: handle layout and keying are not in the contract, yet they are the only way to
//   read a slot from a handle and to forge the neighbours of real handles.
// - opaque, for a provider whose handles carry no known structure (any provider through the C
//   ABI): it checks what the contract says of handles as values (never 0, never issued twice,
//   each logon its own, a handle logged off or never issued is invalid) and nothing about slots.
#ifndef SMAPI_FUZZERS_SUPPORT_CONTRACT_MODEL_H_
#define SMAPI_FUZZERS_SUPPORT_CONTRACT_MODEL_H_

#include <smapi/mapi.h>
#include <smapi/provider.h>
#include <smapi/ui_host.h>

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handle_codec.h"  // Structured mode only; see above.
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
  bool ui_throws = false;      // The host throws instead of answering (N23).
  std::string answer_profile;  // Passed as a string_view: NULs and all.
  std::string answer_password;
};

// The contract's constants (docs/contract.md, Defaults and N3), from the MAPI_* values.
inline constexpr FLAGS kContractLogonFlags =
    MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_PASSWORD_UI | MAPI_FORCE_DOWNLOAD;
inline constexpr std::string_view kContractDefaultProfile = "default";
inline constexpr uint32_t kContractCapacity = 4096;

class ContractModel {
 public:
  // A provider built in this process from `config`: structured handles, decoded with the codec
  // keyed as the provider keys it from config.seed. Its bookkeeping allocates from `memory`; a copy
  // uses the default resource. Both constructors start from a fresh provider as the contract's
  // Defaults describe it: the profile "default" with an empty password.
  explicit ContractModel(const ProviderConfig& config,
                         std::pmr::memory_resource* memory = std::pmr::get_default_resource());

  // A provider whose handles carry no known structure (for example one loaded through the C ABI).
  // Slots never retire; N18 is reached when `capacity` handles are live.
  struct Opaque {
    uint32_t capacity = kContractCapacity;
  };
  explicit ContractModel(const Opaque& provider,
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

  // What MAPILogon must return when an allocation failed during it: N19 decides only where no
  // earlier row does, so a call the plan fails keeps its result, and only a would-be success turns
  // into MAPI_E_INSUFFICIENT_MEMORY.
  static ULONG LogonResultIfAllocationFails(const LogonPlan& plan) {
    return plan.result == SUCCESS_SUCCESS ? ULONG{MAPI_E_INSUFFICIENT_MEMORY} : plan.result;
  }
  // The same for MAPILogoff: F1-F3 decide before F4.
  static ULONG LogoffResultIfAllocationFails(ULONG planned) {
    return planned == SUCCESS_SUCCESS ? ULONG{MAPI_E_INSUFFICIENT_MEMORY} : planned;
  }

  // Null when `handle` is one a successful MAPILogon may return now (H1, H5: never 0, never issued
  // before; structured: also the slot and generation of H2/H3), else what is wrong with it.
  const char* IssueProblem(LHANDLE handle) const;
  // Records a success the provider reported, after checking the new handle (IssueProblem) and, if
  // the session id is known (a lookup gave it), the session against N5/N14/N16/N17.
  void ApplyLogon(const LogonPlan& plan, LHANDLE handle,
                  std::optional<uint64_t> session_id = std::nullopt);
  void ApplyLogoff(LHANDLE handle);
  // AddProfile's result for this name, and the change it makes when it succeeds.
  ULONG PlanAddProfile(std::string_view name) const {
    return name.empty() ? ULONG{MAPI_E_FAILURE} : ULONG{SUCCESS_SUCCESS};
  }
  void PutProfile(std::string_view name, std::string_view password);
  bool RemoveProfile(std::string_view name);

  struct HandleRecord {
    LHANDLE handle;
    uint32_t session;     // Index into sessions().
    uint32_t slot;        // Structured mode only; 0 when opaque.
    uint32_t generation;  // Structured mode only; 0 when opaque.
    bool live;
  };
  struct SessionRecord {
    uint64_t id;  // The provider's session id, as the first lookup reported it; 0 if none did.
    std::string profile;
    uint32_t handles;
  };
  const std::pmr::vector<HandleRecord>& handles() const { return handles_; }
  const SessionRecord& session(uint32_t index) const { return sessions_[index]; }
  const HandleRecord* FindHandle(LHANDLE handle) const;
  // A released handle whose slot has issued a newer one since (F3d).
  bool IsStale(const HandleRecord& record) const {
    return !record.live && structured() && generations_[record.slot] > record.generation;
  }
  bool has_shared() const { return shared_ >= 0; }
  ProviderStats ExpectedStats() const;
  // What Stats() must read after a successful logoff of this live handle, without changing the
  // model: the logoff fuzzer keeps one model for a world it rebuilds.
  ProviderStats StatsAfterLogoff(LHANDLE handle) const;

  uint32_t capacity() const { return capacity_; }
  size_t live_handles() const { return live_handles_; }
  // Whether handles are decoded (the provider's codec is known) or opaque.
  bool structured() const { return codec_.has_value(); }
  uint32_t slot_generation(uint32_t slot) const {
    return slot < generations_.size() ? generations_[slot] : 0;
  }
  // The handle this provider would issue for these raw parts: forged neighbours of real handles,
  // and handles that decode to slots at or past the end of the table. Structured mode only.
  LHANDLE Forge(uint32_t index, uint32_t tag, uint32_t generation) const;

 private:
  ContractModel(uint32_t capacity, uint32_t max_generation,
                std::optional<internal::HandleCodec> codec, std::pmr::memory_resource* memory);
  bool HasFreeSlot() const;
  uint32_t NextSlot() const;  // Structured: the slot the next logon must use.
  bool Verify(std::string_view name, std::string_view password) const;
  bool Contains(std::string_view name) const;
  void Open(std::string_view profile, bool new_session, LogonPlan& plan) const;
  void Attach(LogonPlan& plan) const;

  const uint32_t capacity_;
  const uint32_t max_generation_;
  const std::optional<internal::HandleCodec> codec_;  // Empty: opaque handles.
  std::pmr::vector<std::pair<std::pmr::string, std::pmr::string>> profiles_;
  std::pmr::vector<SessionRecord> sessions_;  // Every session ever opened.
  std::pmr::vector<HandleRecord> handles_;    // Every handle ever issued, in order.
  int shared_ = -1;                           // Index of the shared session, or -1.
  size_t live_handles_ = 0;
  size_t live_sessions_ = 0;
  // The slots as the contract describes them: never-used ones from next_unused_ on, released ones
  // in a FIFO queue, and spent ones retired. Structured mode only.
  std::pmr::vector<uint32_t> generations_;  // Last generation each slot issued; 0 = never.
  std::pmr::vector<uint32_t> reuse_;        // FIFO from reuse_head_.
  size_t reuse_head_ = 0;
  uint32_t next_unused_ = 0;
  size_t retired_ = 0;
};
}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_CONTRACT_MODEL_H_
