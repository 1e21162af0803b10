// A provider state that a one-call-per-input target starts every input from, kept between inputs.
//
// Building a provider with a history costs more than the one call an input makes, so such a target
// keeps the state instead. The first build runs the script through the checked Harness and keeps
// its model. After that the world holds bare providers: in each batch of spares, two made by
// replaying the same script, which must issue the same handles (a seeded provider is deterministic)
// and reach the same state, down to its fingerprint, and the rest copies of the first (Provider's
// copy constructor, a fraction of a replay's cost), each checked against the same fingerprint. A
// call that fails must change nothing, so its provider stays once CheckUnchanged() confirms that
// against the fingerprint of that state and the allocator's live block count (renewing after
// failures too ran logoff_fuzzer at 0.35-0.45x the speed); after a call that changes the state the
// target calls Renew(), which destroys the provider, checks that it freed every block, and swaps in
// a spare. Spares are made in batches: making one runs provider code that nothing else in an input
// runs, and doing that once per batch keeps its coverage from weighing on every input that changes
// the state. Each provider allocates from an arena (support/arena_resource.h) that the next one
// reuses.
#ifndef SMAPI_FUZZERS_SUPPORT_KEPT_WORLD_H_
#define SMAPI_FUZZERS_SUPPORT_KEPT_WORLD_H_

#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "support/arena_resource.h"
#include "support/failing_resource.h"
#include "support/fuzz_input.h"
#include "support/harness.h"

namespace smapi::fuzz {

// One step of a world's history. Every step must succeed.
struct ScriptStep {
  enum class Op { kLogon, kLogoff, kRemoveProfile };
  Op op;
  const char* profile = nullptr;  // kLogon: NULL joins the shared session. kRemoveProfile: name.
  const char* password = nullptr;
  FLAGS flags = 0;
  int target = -1;  // kLogoff: the step whose handle to log off.
};

class KeptWorld {
 public:
  KeptWorld(const ProviderConfig& config, bool fixed_profiles, std::vector<ScriptStep> script);
  KeptWorld(const KeptWorld&) = delete;
  KeptWorld& operator=(const KeptWorld&) = delete;

  // The script through the checked harness, every step and the state after it checked.
  static ContractModel CheckedModel(const ProviderConfig& config, bool fixed_profiles,
                                    const std::vector<ScriptStep>& script);

  // The state every input starts from.
  const ContractModel& model() const { return model_; }
  Provider& provider() { return *current_->provider; }
  testing::FailingResource& memory() { return current_->memory; }
  ScriptedUiHost& ui() { return *current_->ui; }

  // After a call changed the state: a fresh provider with the script's history.
  void Renew();
  // After a call that must have changed nothing: aborts unless the provider's fingerprint and the
  // allocator's live blocks are those of the state every input starts from.
  void CheckUnchanged(const char* call);

 private:
  // A provider with what it uses. Instances are pooled: the next build reuses the warm arena.
  struct Instance {
    testing::ArenaResource arena;  // Outlives the provider.
    // Restarted, not rebuilt: no heap block per build.
    testing::FailingResource memory{&arena, testing::FailingResource::Callers::kOneThread};
    std::optional<ScriptedUiHost> ui;
    std::optional<Provider> provider;
  };
  static constexpr size_t kSpareBatch = 64;

  // A pooled instance with its UI host and the memory's watch lists set up as a build needs them.
  std::unique_ptr<Instance> Prepare();
  // The script replayed on a fresh provider, checked to issue the script's handles and to reach
  // the start state.
  std::unique_ptr<Instance> Build();
  // A copy of `original`'s provider (Provider's copy constructor), checked to reach the start
  // state: a copy costs a fraction of a replay.
  std::unique_ptr<Instance> Copy(const Instance& original);

  const ProviderConfig config_;
  const bool fixed_profiles_;
  const std::vector<ScriptStep> script_;
  const ContractModel model_;
  std::vector<LHANDLE> issued_;         // Every handle the script issues, in order.
  std::vector<LHANDLE> replay_issued_;  // Build()'s scratch: each step's handle in this build.
  // The start state's Provider::Fingerprint() and live blocks, from the first build; every other
  // build must match them.
  std::optional<std::pair<uint64_t, size_t>> start_;
  std::unique_ptr<Instance> current_;
  std::vector<std::unique_ptr<Instance>> spares_;
  std::vector<std::unique_ptr<Instance>> pool_;  // Providers destroyed, arenas reset.
};

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_KEPT_WORLD_H_
