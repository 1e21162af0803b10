#include "support/kept_world.h"

#include <utility>

namespace smapi::fuzz {

KeptWorld::KeptWorld(const ProviderConfig& config, bool fixed_profiles,
                     std::vector<ScriptStep> script)
    : config_(config),
      fixed_profiles_(fixed_profiles),
      script_(std::move(script)),
      model_(CheckedModel(config_, fixed_profiles_, script_)) {
  for (const ContractModel::HandleRecord& record : model_.handles()) {
    issued_.push_back(record.handle);
  }
  Renew();
  // The state the fingerprint stands for is the model's.
  CheckStats(provider(), model_.ExpectedStats());
}

ContractModel KeptWorld::CheckedModel(const ProviderConfig& config, bool fixed_profiles,
                                      const std::vector<ScriptStep>& script) {
  Harness harness(config, fixed_profiles);
  std::vector<LHANDLE> issued;
  for (const ScriptStep& step : script) {
    LHANDLE handle = 0;
    switch (step.op) {
      case ScriptStep::Op::kLogon: {
        LogonArgs args;
        args.profile.is_null = step.profile == nullptr;
        args.profile.bytes = step.profile != nullptr ? step.profile : "";
        args.password.is_null = step.password == nullptr;
        args.password.bytes = step.password != nullptr ? step.password : "";
        args.flags = step.flags;
        SMAPI_FUZZ_CHECK(harness.Logon(args, &handle) == SUCCESS_SUCCESS, "world script: logon");
        break;
      }
      case ScriptStep::Op::kLogoff:
        SMAPI_FUZZ_CHECK(harness.Logoff(issued[step.target], 0, 0, 0) == SUCCESS_SUCCESS,
                         "world script: logoff");
        break;
      case ScriptStep::Op::kRemoveProfile:
        harness.RemoveProfile(step.profile);
        break;
    }
    issued.push_back(handle);
    harness.CheckState();
  }
  return harness.model();
}

std::unique_ptr<KeptWorld::Instance> KeptWorld::Prepare() {
  std::unique_ptr<Instance> instance;
  if (pool_.empty()) {
    instance = std::make_unique<Instance>();
  } else {
    instance = std::move(pool_.back());
    pool_.pop_back();
  }
  instance->ui.emplace();
  instance->memory.AllowPlain(kContractDefaultProfile);
  if (fixed_profiles_) {
    for (const FixedProfile& profile : kFixedProfiles) {
      instance->memory.WatchSecret(profile.password);  // H6, checked when Renew() destroys it.
      instance->memory.AllowPlain(profile.name);
    }
  }
  return instance;
}

std::unique_ptr<KeptWorld::Instance> KeptWorld::Build() {
  std::unique_ptr<Instance> instance = Prepare();
  ProviderOptions options;
  options.capacity = config_.capacity;
  options.max_generation = config_.max_generation;
  options.seed = config_.seed;
  options.memory = &instance->memory;
  options.ui = &*instance->ui;
  Provider& provider = instance->provider.emplace(options);
  // The same calls as the checked build, in the same order.
  if (fixed_profiles_) {
    for (const FixedProfile& profile : kFixedProfiles) {
      SMAPI_FUZZ_CHECK(provider.AddProfile(profile.name, profile.password) == SUCCESS_SUCCESS,
                       "world script: AddProfile");
    }
  }
  std::vector<LHANDLE>& issued = replay_issued_;  // Kept: no heap allocation per build.
  issued.assign(script_.size(), 0);
  size_t matched = 0;
  for (size_t i = 0; i < script_.size(); ++i) {
    const ScriptStep& step = script_[i];
    ULONG result = SUCCESS_SUCCESS;
    switch (step.op) {
      case ScriptStep::Op::kLogon:
        result = provider.Logon(0, step.profile, step.password, step.flags, 0, &issued[i]);
        break;
      case ScriptStep::Op::kLogoff:
        result = provider.Logoff(issued[step.target], 0, 0, 0);
        break;
      case ScriptStep::Op::kRemoveProfile:
        provider.RemoveProfile(step.profile);
        break;
    }
    SMAPI_FUZZ_CHECK(result == SUCCESS_SUCCESS, "world replay: step %zu returned %s", i,
                     ResultName(result));
    if (issued[i] == 0) continue;
    // A seeded provider is deterministic: the same calls must issue the same handles.
    SMAPI_FUZZ_CHECK(matched < issued_.size() && issued[i] == issued_[matched],
                     "the same script on the same seed issued another handle at step %zu", i);
    ++matched;
  }
  const std::pair<uint64_t, size_t> state(provider.Fingerprint(),
                                          instance->memory.outstanding_blocks());
  if (!start_.has_value()) start_ = state;
  SMAPI_FUZZ_CHECK(state == *start_, "the same script on the same seed reached another state");
  return instance;
}

std::unique_ptr<KeptWorld::Instance> KeptWorld::Copy(const Instance& original) {
  std::unique_ptr<Instance> instance = Prepare();
  const Provider& provider =
      instance->provider.emplace(*original.provider, &instance->memory, &*instance->ui);
  const std::pair<uint64_t, size_t> state(provider.Fingerprint(),
                                          instance->memory.outstanding_blocks());
  SMAPI_FUZZ_CHECK(state == *start_, "a copy of the start state reached another state");
  return instance;
}

void KeptWorld::CheckUnchanged(const char* call) {
  SMAPI_FUZZ_CHECK(provider().Fingerprint() == start_->first,
                   "%s failed but changed the provider's state", call);
  SMAPI_FUZZ_CHECK(memory().outstanding_blocks() == start_->second,
                   "%s failed but changed the provider's live allocations (%zu blocks, %zu before)",
                   call, memory().outstanding_blocks(), start_->second);
}

void KeptWorld::Renew() {
  if (current_ != nullptr) {
    current_->provider.reset();
    CheckNoLeak(current_->memory, 0, "after the provider was destroyed");
    // Now, not when the instance is next built: the passwords this input registered are freed in
    // the run that registered them. libFuzzer takes a run with more mallocs than frees for a leak
    // and scans the heap for it, which made logon_fuzzer 25 times slower.
    current_->memory.Restart();
    current_->ui.reset();
    current_->arena.Reset();
    pool_.push_back(std::move(current_));
  }
  if (spares_.empty()) {
    // Two replays, in two instances' memory, then copies of the first, which stays pristine at the
    // front until the batch is used up. The second replay is the one that can tell a state which
    // depends on where the provider lives (an address kept where an id belongs: planted bug 11)
    // from the start state; a copy carries such a state over unchanged.
    spares_.push_back(Build());
    spares_.push_back(Build());
    for (size_t k = 2; k < kSpareBatch; ++k) spares_.push_back(Copy(*spares_.front()));
  }
  current_ = std::move(spares_.back());
  spares_.pop_back();
}

}  // namespace smapi::fuzz
