// One MAPILogoff per input, against a provider that holds live, logged-off, stale and foreign
// handles.
//
// Input (fuzz_input.h; zeros past the end):
//   u32 flFlags, u32 ulReserved, u8 world, u8 base kind, u8 which, [raw: u8 tag, u32 generation],
//   u8 mutation [+ operand], u64 ulUIParam
// Base kinds: 0 live, 1 logged off, 2 stale (its slot reissued since), 3 zero, 4 raw (slot
// capacity - 1 + which for which < 3, so which 1 is one past the table; else which - 3),
// 5 a live handle of another provider with the same history.
//
// The worlds are kept between inputs (support/kept_world.h): a failed logoff must change nothing,
// which the provider's fingerprint confirms, and a successful one swaps in an identical fresh
// provider.
#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "support/harness.h"
#include "support/kept_world.h"

namespace {

using smapi::fuzz::ContractModel;
using smapi::fuzz::KeptWorld;
using smapi::fuzz::ResultName;
using Op = smapi::fuzz::ScriptStep::Op;

constexpr size_t kWorlds = 4;

// A world's history on the default profile: a new private session, the shared session, a join
// with a NULL profile, or a logoff of the handle an earlier step issued.
struct WorldSpec {
  smapi::fuzz::ProviderConfig config;
  std::vector<smapi::fuzz::ScriptStep> script;
};

const WorldSpec& Spec(size_t world) {
  static const smapi::fuzz::ScriptStep kNew{Op::kLogon, "default", "", MAPI_NEW_SESSION};
  static const smapi::fuzz::ScriptStep kShared{Op::kLogon, "default", "", 0};
  static const smapi::fuzz::ScriptStep kJoin{Op::kLogon, nullptr, nullptr, 0};
  auto logoff = [](int step) {
    return smapi::fuzz::ScriptStep{Op::kLogoff, nullptr, nullptr, 0, step};
  };
  static const WorldSpec kSpecs[kWorlds] = {
      // Slot 0 issued twice and retired (its handle word is 0 again), a shared session with two
      // handles, a private one; the table is full.
      {{4, 2, 0x10ff000000000001ULL}, {kNew, logoff(0), kNew, logoff(2), kShared, kJoin, kNew}},
      // One slot, reissued: the stale handle's slot is live again (ABA).
      {{1, UINT32_MAX, 0x10ff000000000002ULL}, {kNew, logoff(0), kNew}},
      // One generation per slot: slot 0 retired at once, slot 1 live, the table full.
      {{2, 1, 0x10ff000000000003ULL}, {kNew, logoff(0), kShared}},
      // Roomy: a shared session with three handles, one logged off, and a private one.
      {{8, UINT32_MAX, 0x10ff000000000004ULL}, {kShared, kJoin, kJoin, kNew, logoff(1)}},
  };
  return kSpecs[world];
}

struct World {
  std::unique_ptr<KeptWorld> kept;
  std::vector<LHANDLE> live, dead, stale, foreign;
};

SMAPI_FUZZ_UNGUIDED World& GetWorld(size_t index) {
  static World worlds[kWorlds];
  World& world = worlds[index];
  if (world.kept != nullptr) return world;
  const WorldSpec& spec = Spec(index);
  world.kept = std::make_unique<KeptWorld>(spec.config, /*fixed_profiles=*/false, spec.script);
  const ContractModel& model = world.kept->model();
  for (const auto& record : model.handles()) {
    auto& kind = record.live ? world.live : (model.IsStale(record) ? world.stale : world.dead);
    kind.push_back(record.handle);
  }
  // H4: the same history on a provider with another seed gives handles that are invalid here.
  smapi::fuzz::ProviderConfig sibling = spec.config;
  sibling.seed ^= 0xf0f0f0f0f0f0f0f0ULL;
  const ContractModel other = KeptWorld::CheckedModel(sibling, false, spec.script);
  for (const auto& record : other.handles()) {
    if (record.live) world.foreign.push_back(record.handle);
  }
  return world;
}

SMAPI_FUZZ_UNGUIDED LHANDLE Pick(const std::vector<LHANDLE>& handles, uint8_t which) {
  return handles.empty() ? 0 : handles[which % handles.size()];
}

constexpr const char* kKinds[6] = {"live", "dead", "stale", "zero", "raw", "foreign"};

// The base handle an input asks for, decoded.
struct Base {
  uint8_t kind;  // 0-5, kKinds
  uint8_t which;
  uint8_t tag = 0;  // raw only
  uint32_t generation = 0;
};

struct Input {
  FLAGS flags;
  ULONG reserved;
  size_t world;
  Base base;
  smapi::fuzz::HandleMutation mutation;
  ULONG_PTR ui;
};

// Decoding says nothing about the provider: unguided.
SMAPI_FUZZ_UNGUIDED Input ReadInput(const uint8_t* data, size_t size) {
  smapi::fuzz::InputReader in(data, size);
  Input input;
  input.flags = in.U32();
  input.reserved = in.U32();
  input.world = in.U8() % kWorlds;
  input.base = Base{static_cast<uint8_t>(in.U8() % 6), in.U8()};
  if (input.base.kind == 4) {
    input.base.tag = in.U8();
    input.base.generation = in.U32();
  }
  input.mutation = smapi::fuzz::ReadMutation(in);
  input.ui = in.U64();
  return input;
}

LHANDLE PickBase(const World& world, const Base& base) {
  switch (base.kind) {
    case 0:
      return Pick(world.live, base.which);
    case 1:
      return Pick(world.dead, base.which);
    case 2:
      return Pick(world.stale, base.which);
    case 3:
      return 0;
    case 4: {
      const ContractModel& model = world.kept->model();
      const uint32_t index = base.which < 3 ? model.capacity() - 1 + base.which : base.which - 3u;
      return model.Forge(index, base.tag, base.generation);
    }
    default:
      return Pick(world.foreign, base.which);
  }
}

// One call, its result against the model. A failure must change nothing; a success must leave the
// handle dead and exactly one handle fewer, and sends the world back to its starting state.
SMAPI_FUZZ_UNGUIDED void CheckedLogoff(KeptWorld& world, LHANDLE handle, ULONG_PTR ui, FLAGS flags,
                                       ULONG reserved) {
  const ContractModel& model = world.model();
  smapi::Provider& provider = world.provider();
  const ULONG expected = model.PlanLogoff(handle, flags, reserved);
  const ULONG result = provider.Logoff(handle, ui, flags, reserved);
  SMAPI_FUZZ_CHECK(result == expected,
                   "MAPILogoff(%#" PRIxPTR ", ui=%#" PRIxPTR
                   ", flags=%#x, reserved=%#x) returned %s; the contract says %s",
                   handle, ui, flags, reserved, ResultName(result), ResultName(expected));
  if (result != SUCCESS_SUCCESS) {
    world.CheckUnchanged("MAPILogoff");
    smapi::fuzz::CheckLookup(provider, model, handle);
    return;
  }
  SMAPI_FUZZ_CHECK(!provider.Lookup(handle).has_value(),
                   "F5: handle %#" PRIxPTR " still looks up after a successful logoff", handle);
  smapi::fuzz::CheckStats(provider, model.StatsAfterLogoff(handle));
  smapi::fuzz::CheckInvariants(provider);
  world.Renew();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [flags, reserved, world_index, base, mutation, ui] = ReadInput(data, size);
  if (smapi::fuzz::Describing()) {
    smapi::fuzz::DescribedOp("world").Num("index", world_index);
    smapi::fuzz::DescribedOp line("logoff");
    line.Word("kind", kKinds[base.kind]).Num("which", base.which);
    if (base.kind == 4) line.Hex("tag", base.tag).Num("generation", base.generation);
    line.Word("mutation", smapi::fuzz::MutationName(mutation));
    if (mutation.how == 1 || mutation.how == 4 || mutation.how == 7) {
      line.Hex("operand", mutation.operand);
    }
    line.Flags("flags", flags).Hex("reserved", reserved).Hex("ui", ui);
    return 0;
  }
  World& world = GetWorld(world_index);
  const LHANDLE handle = smapi::fuzz::Mutate(PickBase(world, base), mutation);
  CheckedLogoff(*world.kept, handle, ui, flags, reserved);
  return 0;
}
