// One MAPILogon per input, with fuzzed profile and password bytes (embedded NULs, very long,
// invalid UTF-8, NULL), flags, ulReserved, ulUIParam, and a UI host the input scripts. Checks the
// result against the contract model, *lplhSession untouched on failure (N22), the window parameter
// handed to the UI host unchanged (N21), and the state afterwards. The scenarios are kept between
// inputs (support/kept_world.h): a failed logon must change nothing, and a successful one swaps in
// an identical fresh provider.
//
// Input (fuzz_input.h; zeros past the end):
//   u32 flFlags, u32 ulReserved, u64 ulUIParam, u8 scenario (bits 0-2; bit 7 = NULL lplhSession),
//   profile string, password string, u8 UI reply (low 2 bits: 0 answer, 1 cancel, 2 no dialog,
//   3 the host throws),
//   answer profile string, answer password string
#include <smapi/mapi.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "support/harness.h"
#include "support/kept_world.h"

namespace {

using smapi::fuzz::ContractModel;
using smapi::fuzz::KeptWorld;
using smapi::fuzz::ScriptStep;
using Op = ScriptStep::Op;

constexpr size_t kScenarios = 8;

// The state the logon meets: who is logged on already, and how much room is left. Every provider
// also holds the fixed profiles (fuzz_input.h).
SMAPI_FUZZ_UNGUIDED KeptWorld& Scenario(uint8_t scenario) {
  static std::unique_ptr<KeptWorld> worlds[kScenarios];
  const size_t index = scenario % kScenarios;
  if (worlds[index] != nullptr) return *worlds[index];
  const ScriptStep shared_default{Op::kLogon, "default", "", 0};
  smapi::fuzz::ProviderConfig config{3, UINT32_MAX, 0x1090000000000001ULL + index};
  std::vector<ScriptStep> script;
  switch (index) {
    case 1:  // A shared session on the default profile, room left.
      script = {shared_default};
      break;
    case 2:  // A shared session on another profile.
      script = {{Op::kLogon, "alice", "secret", 0}};
      break;
    case 3:  // One slot, holding a private session.
      config.capacity = 1;
      script = {{Op::kLogon, "bob", "secretive", MAPI_NEW_SESSION}};
      break;
    case 4:  // One slot, holding the shared session: a join finds the table full.
      config.capacity = 1;
      script = {shared_default};
      break;
    case 5:  // No default profile.
      script = {{Op::kRemoveProfile, "default"}};
      break;
    case 6:  // The only slot spent: retired after its one generation.
      config.capacity = 1;
      config.max_generation = 1;
      script = {{Op::kLogon, "default", "", MAPI_NEW_SESSION},
                {Op::kLogoff, nullptr, nullptr, 0, 0}};
      break;
    case 7:  // Full: the shared session with two handles and a private one.
      script = {shared_default,
                {Op::kLogon, nullptr, "", 0},
                {Op::kLogon, "carol", "s", MAPI_NEW_SESSION}};
      break;
    default:  // Fresh.
      break;
  }
  worlds[index] = std::make_unique<KeptWorld>(config, /*fixed_profiles=*/true, script);
  return *worlds[index];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using smapi::fuzz::StringRole;
  smapi::fuzz::InputReader in(data, size);
  smapi::fuzz::LogonArgs args;
  args.flags = in.U32();
  args.reserved = in.U32();
  args.ui_param = in.U64();
  const uint8_t scenario = in.U8();
  args.null_out = (scenario & 0x80) != 0;
  args.profile = smapi::fuzz::ReadString(in, StringRole::kProfile);
  args.password = smapi::fuzz::ReadString(in, StringRole::kPassword);
  smapi::fuzz::SetReply(args, in.U8());
  args.answer_profile = smapi::fuzz::ReadString(in, StringRole::kProfile).bytes;
  args.answer_password = smapi::fuzz::ReadString(in, StringRole::kPassword).bytes;

  if (smapi::fuzz::Describing()) {
    static constexpr const char* kNames[kScenarios] = {
        "fresh",       "shared-default",     "shared-alice", "full-private",
        "full-shared", "no-default-profile", "slot-spent",   "full-mixed"};
    smapi::fuzz::DescribedOp("scenario").Word("name", kNames[scenario % kScenarios]);
    smapi::fuzz::DescribedOp line("logon");
    smapi::fuzz::DescribeLogon(line, args);
    return 0;
  }
  KeptWorld& world = Scenario(scenario);
  const ContractModel& model = world.model();
  const ContractModel::LogonPlan plan = model.PlanLogon(args);
  LHANDLE handle = 0;
  // The result, *lplhSession and the UI host's arguments are checked inside.
  const ULONG result =
      smapi::fuzz::CheckedLogon(world.provider(), world.memory(), world.ui(), plan, args, &handle);
  if (result != SUCCESS_SUCCESS) {
    smapi::fuzz::CheckStats(world.provider(), model.ExpectedStats());  // Nothing changed.
    return 0;
  }
  ContractModel after = model;
  after.ApplyLogon(plan, handle, smapi::fuzz::CheckedSessionOf(world.provider(), handle));
  smapi::fuzz::CheckState(world.provider(), after, /*every_handle=*/true);
  world.Renew();  // Back to the scenario's state; checks that the provider freed every block.
  return 0;
}
