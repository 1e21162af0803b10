// One MAPILogoff per input, against a provider that holds live, logged-off, stale and foreign
// handles; then the same call with another ulUIParam on an identical state (F6).
//
// Input (fuzz_input.h; zeros past the end):
//   u32 flFlags, u32 ulReserved, u8 world, u8 base kind, u8 which, [raw: u8 tag, u32 generation],
//   u8 mutation [+ operand], u64 ulUIParam
// Base kinds: 0 live, 1 logged off, 2 stale (its slot reissued since), 3 zero, 4 raw (slot
// capacity - 1 + which for which < 3, so which 1 is one past the table; else which - 3),
// 5 a live handle of another provider with the same history.
//
// Each world is built once through the checked harness, which leaves a model of it, and then kept
// as a bare provider: a failed logoff must change nothing (the statistics confirm it), and only a
// successful one replaces the provider with a spare built from the same script, which must come
// out identical. So most inputs cost one call, and no state carries over from one input to the
// next. The rebuilding is kept out of the target's own coverage (SMAPI_FUZZ_UNGUIDED).
#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "support/contract_model.h"
#include "support/failing_resource.h"

namespace {

using smapi::fuzz::ContractModel;
using smapi::fuzz::ProviderConfig;
using smapi::fuzz::ResultName;

// A world's history: MAPILogon on the default profile (a new private session, the shared one, or
// a join with a NULL profile), or MAPILogoff of the handle an earlier step issued.
enum class Op { kNewSession, kShared, kJoin, kLogoff };
struct Step {
  Op op;
  int target = -1;  // kLogoff: the step whose handle to log off.
};

struct WorldSpec {
  ProviderConfig config;
  std::vector<Step> steps;
};

constexpr size_t kWorlds = 4;

const WorldSpec& Spec(size_t world) {
  static const WorldSpec kSpecs[kWorlds] = {
      // Slot 0 issued twice and retired (its handle word is 0 again), a shared session with two
      // handles, a private one; the table is full.
      {{4, 2, 0x10ff000000000001ULL},
       {{Op::kNewSession},
        {Op::kLogoff, 0},
        {Op::kNewSession},
        {Op::kLogoff, 2},
        {Op::kShared},
        {Op::kJoin},
        {Op::kNewSession}}},
      // One slot, reissued: the stale handle's slot is live again (ABA).
      {{1, UINT32_MAX, 0x10ff000000000002ULL},
       {{Op::kNewSession}, {Op::kLogoff, 0}, {Op::kNewSession}}},
      // One generation per slot: slot 0 retired at once, slot 1 live, the table full.
      {{2, 1, 0x10ff000000000003ULL}, {{Op::kNewSession}, {Op::kLogoff, 0}, {Op::kShared}}},
      // Roomy: a shared session with three handles, one logged off, and a private one.
      {{8, UINT32_MAX, 0x10ff000000000004ULL},  // At most 16 steps, for Replay.
       {{Op::kShared}, {Op::kJoin}, {Op::kJoin}, {Op::kNewSession}, {Op::kLogoff, 1}}},
  };
  return kSpecs[world % kWorlds];
}

// Runs the script on a bare provider; true when it issued exactly `expected`, in order.
SMAPI_FUZZ_UNGUIDED bool Replay(smapi::Provider& provider, const WorldSpec& spec,
                                const std::vector<LHANDLE>& expected) {
  LHANDLE issued[16] = {};  // Per step; logoffs issue nothing.
  size_t matched = 0;
  for (size_t i = 0; i < spec.steps.size(); ++i) {
    const Step& step = spec.steps[i];
    ULONG result = SUCCESS_SUCCESS;
    switch (step.op) {
      case Op::kNewSession:
        result = provider.Logon(0, "default", "", MAPI_NEW_SESSION, 0, &issued[i]);
        break;
      case Op::kShared:
        result = provider.Logon(0, "default", "", 0, 0, &issued[i]);
        break;
      case Op::kJoin:
        result = provider.Logon(0, nullptr, nullptr, 0, 0, &issued[i]);
        break;
      case Op::kLogoff:
        result = provider.Logoff(issued[step.target], 0, 0, 0);
        break;
    }
    SMAPI_FUZZ_CHECK(result == SUCCESS_SUCCESS, "world script: step %zu returned %s", i,
                     ResultName(result));
    if (issued[i] == 0) continue;
    if (matched >= expected.size() || issued[i] != expected[matched]) return false;
    ++matched;
  }
  return matched == expected.size();
}

// The same script through the checked harness: every result, handle and state against the model.
SMAPI_FUZZ_UNGUIDED ContractModel CheckedBuild(const WorldSpec& spec) {
  smapi::fuzz::Harness harness(spec.config, /*fixed_profiles=*/false);
  std::vector<LHANDLE> issued;
  for (const Step& step : spec.steps) {
    LHANDLE handle = 0;
    if (step.op == Op::kLogoff) {
      harness.Logoff(issued[step.target], 0, 0, 0);
    } else {
      smapi::fuzz::LogonArgs args;
      args.profile.is_null = step.op == Op::kJoin;
      args.password.is_null = step.op == Op::kJoin;
      args.profile.bytes = step.op == Op::kJoin ? "" : "default";
      args.flags = step.op == Op::kNewSession ? MAPI_NEW_SESSION : 0;
      SMAPI_FUZZ_CHECK(harness.Logon(args, &handle) == SUCCESS_SUCCESS, "world script failed");
    }
    issued.push_back(handle);
    harness.CheckState();
  }
  return harness.model();
}

// A provider with the world's history, and the resource that counts what it allocates.
struct Instance {
  smapi::testing::FailingResource memory;
  std::optional<smapi::Provider> provider;
};

struct World {
  std::optional<ContractModel> model;  // The state every input starts from.
  std::vector<LHANDLE> live, dead, stale, foreign;
  std::vector<LHANDLE> issued;  // Every handle the script issued, in order.
  size_t index = 0;
  std::unique_ptr<Instance> current;
  // Identical spares, built in batches. Building runs provider code that no other part of an
  // input runs; doing it once per batch, not after every successful logoff, keeps those rare
  // coverage features from costing the engine's bookkeeping on every such input.
  std::vector<std::unique_ptr<Instance>> spares;
};

constexpr size_t kSpareBatch = 128;

SMAPI_FUZZ_UNGUIDED std::unique_ptr<Instance> Build(const World& world) {
  const WorldSpec& spec = Spec(world.index);
  smapi::ProviderOptions options;
  options.capacity = spec.config.capacity;
  options.max_generation = spec.config.max_generation;
  options.seed = spec.config.seed;
  auto instance = std::make_unique<Instance>();
  options.memory = &instance->memory;
  instance->provider.emplace(options);
  // A seeded provider is deterministic: the same calls must issue the same handles.
  SMAPI_FUZZ_CHECK(Replay(*instance->provider, spec, world.issued),
                   "the same script on the same seed issued other handles");
  return instance;
}

// Destroys the current provider, which a successful logoff changed, checking that it freed every
// block, and puts an identical fresh one in its place.
SMAPI_FUZZ_UNGUIDED void Rebuild(World& world) {
  if (world.current != nullptr) {
    world.current->provider.reset();
    smapi::fuzz::CheckNoLeak(world.current->memory, 0, "after the provider was destroyed");
  }
  if (world.spares.empty()) {
    for (size_t k = 0; k < kSpareBatch; ++k) world.spares.push_back(Build(world));
  }
  world.current = std::move(world.spares.back());
  world.spares.pop_back();
}

SMAPI_FUZZ_UNGUIDED World& GetWorld(size_t index) {
  static World worlds[kWorlds];
  World& world = worlds[index];
  if (world.model.has_value()) return world;
  world.index = index;
  const WorldSpec& spec = Spec(index);
  world.model.emplace(CheckedBuild(spec));
  for (const auto& record : world.model->handles()) {
    world.issued.push_back(record.handle);
    auto& kind =
        record.live ? world.live : (world.model->IsStale(record) ? world.stale : world.dead);
    kind.push_back(record.handle);
  }
  // H4: the same history on a provider with another seed gives handles that are invalid here.
  WorldSpec sibling = spec;
  sibling.config.seed ^= 0xf0f0f0f0f0f0f0f0ULL;
  const ContractModel other = CheckedBuild(sibling);
  for (const auto& record : other.handles()) {
    if (record.live) world.foreign.push_back(record.handle);
  }
  Rebuild(world);
  return world;
}

LHANDLE Pick(const std::vector<LHANDLE>& handles, uint8_t which) {
  return handles.empty() ? 0 : handles[which % handles.size()];
}

LHANDLE PickBase(const World& world, smapi::fuzz::InputReader& in) {
  const uint8_t kind = in.U8();
  const uint8_t which = in.U8();
  switch (kind % 6) {
    case 0:
      return Pick(world.live, which);
    case 1:
      return Pick(world.dead, which);
    case 2:
      return Pick(world.stale, which);
    case 3:
      return 0;
    case 4: {
      const uint32_t capacity = world.model->capacity();
      const uint32_t index = which < 3 ? capacity - 1 + which : which - 3u;
      const uint8_t tag = in.U8();
      return world.model->Forge(index, tag, in.U32());
    }
    default:
      return Pick(world.foreign, which);
  }
}

// One call, its result against the model. A success must leave the handle dead and exactly one
// handle fewer, and sends the world back to its starting state; a failure is checked by the caller.
SMAPI_FUZZ_UNGUIDED ULONG CheckedLogoff(World& world, LHANDLE handle, ULONG_PTR ui, FLAGS flags,
                                        ULONG reserved, bool check_invariants) {
  const ContractModel& model = *world.model;
  smapi::Provider& provider = *world.current->provider;
  const ULONG expected = model.PlanLogoff(handle, flags, reserved);
  const ULONG result = provider.Logoff(handle, ui, flags, reserved);
  SMAPI_FUZZ_CHECK(result == expected,
                   "MAPILogoff(%#" PRIxPTR ", ui=%#" PRIxPTR
                   ", flags=%#x, reserved=%#x) returned %s; the contract says %s",
                   handle, ui, flags, reserved, ResultName(result), ResultName(expected));
  if (result != SUCCESS_SUCCESS) return result;
  SMAPI_FUZZ_CHECK(!provider.Lookup(handle).has_value(),
                   "F5: handle %#" PRIxPTR " still looks up after a successful logoff", handle);
  smapi::fuzz::CheckStats(provider, model.StatsAfterLogoff(handle));
  if (check_invariants) smapi::fuzz::CheckInvariants(provider);
  Rebuild(world);  // Back to the starting state, checking that nothing leaked.
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  smapi::fuzz::InputReader in(data, size);
  const FLAGS flags = in.U32();
  const ULONG reserved = in.U32();
  World& world = GetWorld(in.U8() % kWorlds);
  const LHANDLE handle = smapi::fuzz::MutateHandle(PickBase(world, in), in.U8(), in);
  const ULONG_PTR ui = in.U64();
  const ULONG_PTR other_ui = ui != 0 ? 0 : 0xa5a5a5a5deadbeefULL;

  // The second call meets the same state: the first changed nothing, or the world was rebuilt.
  const ULONG first = CheckedLogoff(world, handle, ui, flags, reserved, true);
  const ULONG second = CheckedLogoff(world, handle, other_ui, flags, reserved, false);
  SMAPI_FUZZ_CHECK(first == second,
                   "F6: MAPILogoff(%#" PRIxPTR ") returned %s with ulUIParam %#" PRIxPTR
                   " and %s with %#" PRIxPTR " on the same state",
                   handle, ResultName(first), ui, ResultName(second), other_ui);
  if (second != SUCCESS_SUCCESS) {  // Two failed calls: nothing may have changed.
    smapi::fuzz::CheckStats(*world.current->provider, world.model->ExpectedStats());
    smapi::fuzz::CheckLookup(*world.current->provider, *world.model, handle);
  }
  return 0;
}
