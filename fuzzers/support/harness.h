// The checked harness: every call runs against both the provider and the contract model, and the
// first disagreement aborts. Also the scripted UI host and the checks the one-call targets share.
#ifndef SMAPI_FUZZERS_SUPPORT_HARNESS_H_
#define SMAPI_FUZZERS_SUPPORT_HARNESS_H_

#include <smapi/mapi.h>
#include <smapi/provider.h>
#include <smapi/ui_host.h>

#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <optional>
#include <string_view>

#include "support/arena_resource.h"
#include "support/contract_model.h"
#include "support/describe.h"
#include "support/failing_resource.h"
#include "support/fuzz_check.h"
#include "support/fuzz_input.h"

namespace smapi::fuzz {

// Aborts unless the resource is back to `baseline` outstanding blocks: the provider that used it
// is gone, so anything left is a leak.
void CheckNoLeak(const testing::FailingResource& memory, size_t baseline, const char* what);

// Copies `source` once for each allocation the copy makes, with that allocation failing, then once
// in full: a copy that runs out of memory throws std::bad_alloc and leaves no block behind (wiping
// the fixed profiles' passwords, H6), and the full copy answers as its source and frees everything.
void CheckCopyUnderFailures(const Provider& source);

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
  // What the host throws when the input scripts a failing dialog (LogonArgs::ui_throws).
  struct Failure {};

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

// Sets how the scripted UI host replies from one input byte (low 2 bits): 0 answer, 1 cancel,
// 2 no dialog can be shown, 3 throw.
void SetReply(LogonArgs& args, uint8_t byte);
// Adds a logon's arguments and scripted reply to a describe-mode line (support/describe.h).
void DescribeLogon(DescribedOp& line, const LogonArgs& args);

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

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_HARNESS_H_
