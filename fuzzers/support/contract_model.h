// The fuzzers' oracle: an independent model of docs/contract.md, a harness that runs every call
// against both the provider and the model and aborts on the first disagreement, and the sequence
// interpreter that session_fuzzer and oom_fuzzer share.
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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handle_codec.h"
#include "support/arena_resource.h"
#include "support/failing_resource.h"
#include "support/fuzz_input.h"

namespace smapi::fuzz {

// Prints what broke, with the condition and where, then aborts so that the engine records a crash.
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition, const char* format,
                              ...) __attribute__((format(printf, 4, 5)));

#define SMAPI_FUZZ_CHECK(condition, ...)                                       \
  do {                                                                         \
    if (!(condition)) {                                                        \
      ::smapi::fuzz::CheckFailed(__FILE__, __LINE__, #condition, __VA_ARGS__); \
    }                                                                          \
  } while (0)

// "SUCCESS_SUCCESS", "MAPI_E_INVALID_SESSION", ...
const char* ResultName(ULONG result);

// Aborts unless the resource is back to `baseline` outstanding blocks: the provider that used it
// is gone, so anything left is a leak.
void CheckNoLeak(const testing::FailingResource& memory, size_t baseline, const char* what);

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

// Aborts unless Lookup(handle) agrees with the model: the handle's own session when it is live,
// nothing otherwise (H7).
void CheckLookup(const Provider& provider, const ContractModel& model, LHANDLE handle);
// Aborts unless Stats() reads `want`.
void CheckStats(const Provider& provider, const ProviderStats& want);
// Aborts unless CheckInvariants() holds.
void CheckInvariants(const Provider& provider);

// A UI host that checks every prompt against the plan (N21: the window parameter unchanged) and
// answers as the input scripted it.
class ScriptedUiHost final : public UiHost {
 public:
  void Arm(const ContractModel::LogonPlan* plan, const LogonArgs* args) {
    plan_ = plan;
    args_ = args;
    calls_ = 0;
  }
  // Returns how often the provider asked since Arm().
  int Disarm() {
    plan_ = nullptr;
    args_ = nullptr;
    return calls_;
  }
  PromptResult PromptLogon(const LogonPrompt& prompt, LogonAnswer& answer) override;

 private:
  const ContractModel::LogonPlan* plan_ = nullptr;
  const LogonArgs* args_ = nullptr;
  int calls_ = 0;
};

// One MAPILogon on `provider`, checked against the model's plan: the result (or
// MAPI_E_INSUFFICIENT_MEMORY when `memory` failed an allocation, N19), the UI host's prompts
// (N21), and *lplhSession untouched on failure (N22). On success *issued gets the handle; the
// caller applies it to its model.
ULONG CheckedLogon(Provider& provider, testing::FailingResource& memory, ScriptedUiHost& ui,
                   const ContractModel::LogonPlan& plan, const LogonArgs& args, LHANDLE* issued);
// The session a handle MAPILogon just issued looks up to; aborts if it does not look up.
uint64_t CheckedSessionOf(const Provider& provider, LHANDLE handle);
// Invariants, statistics and the live handles against the model; with every_handle, also every
// handle ever issued (logged-off ones must stay dead).
void CheckState(const Provider& provider, const ContractModel& model, bool every_handle);

// A provider, its model, its memory resource and its UI host. Every call goes to both and is
// checked; the destructor checks that destroying the provider returned every block it allocated.
class Harness {
 public:
  // With fixed_profiles, the provider also holds kFixedProfiles besides "default". With an arena,
  // the provider (through the failing resource) and the model allocate from it, and the destructor
  // resets it once both are gone, so a target can keep one arena warm for every input.
  explicit Harness(const ProviderConfig& config, bool fixed_profiles = true,
                   testing::ArenaResource* arena = nullptr);
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Each checks the result against the model (an allocation failure must read
  // MAPI_E_INSUFFICIENT_MEMORY and change nothing) and returns it.
  ULONG Logon(const LogonArgs& args, LHANDLE* issued = nullptr);
  ULONG Logoff(LHANDLE handle, ULONG_PTR ui_param, FLAGS flags, ULONG reserved);
  void Lookup(LHANDLE handle) const;
  ULONG AddProfile(std::string_view name, std::string_view password);
  void RemoveProfile(std::string_view name);

  // Invariants, statistics and the live handles against the model; with every_handle, also every
  // handle ever issued (logged-off ones must stay dead).
  void CheckState(bool every_handle = true) const;
  // The cheap part: statistics only.
  void CheckStats() const;

  Provider& provider() { return *provider_; }
  const ContractModel& model() const { return model_; }
  testing::FailingResource& memory() { return memory_; }

 private:
  // First member, so destroyed last: resets the arena once the provider and the model are gone.
  struct ArenaReset {
    testing::ArenaResource* arena;
    ~ArenaReset() {
      if (arena != nullptr) arena->Reset();
    }
  } arena_reset_;
  testing::FailingResource memory_;
  ScriptedUiHost ui_;
  std::optional<Provider> provider_;
  ContractModel model_;
};

// Picks a handle for a sequence step (one byte): below 0xf0 one of the handles issued so far, in
// issue order (0 when none), else 0, a handle decoding to slot == capacity (one past the table),
// the next generation of the last slot, or a forged first handle of slot 0.
LHANDLE PickHandle(const ContractModel& model, uint8_t selector);

// Arms the resource's failure schedule from two input bytes: mode 0 none, 1 fail allocation
// number n only, 2 fail number n and every one after it, 3 fail all; counting restarts now.
void ArmFailureSchedule(testing::FailingResource& memory, uint8_t mode, uint8_t n);

// Runs the operation sequence in `in` (see fuzzers/make_seeds.py for the layout) against the
// harness, checking the full state after every step. With fault_schedule, step 7 arms or disarms
// the memory resource's failure schedule; without, it is skipped.
struct SequenceOptions {
  size_t max_steps;
  bool fault_schedule;
};
void RunSequence(Harness& harness, InputReader& in, const SequenceOptions& options);

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_CONTRACT_MODEL_H_
