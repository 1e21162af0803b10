#include "support/sequence.h"

#include <string>

#include "support/describe.h"

namespace smapi::fuzz {

LHANDLE PickHandle(const ContractModel& model, uint8_t selector) {
  const auto& handles = model.handles();
  if (selector < 0xf0) return handles.empty() ? 0 : handles[selector % handles.size()].handle;
  switch (selector & 3) {
    case 1:  // Decodes to slot == capacity: one past the end of the table.
      return model.Forge(model.capacity(), 0, 1);
    case 2: {  // The handle the last used slot might issue next, with another tag.
      const uint32_t slot = handles.empty() ? 0 : handles.back().slot;
      return model.Forge(slot, 0xa5, model.slot_generation(slot) + 1);
    }
    case 3:  // A forged first handle of slot 0.
      return model.Forge(0, 0x5a, 1);
    default:
      return 0;
  }
}

void ArmFailureSchedule(testing::FailingResource& memory, uint8_t mode, uint8_t n) {
  switch (mode & 3) {
    case 1:
      memory.FailNth(n);
      break;
    case 2:
      memory.FailFrom(n);
      break;
    case 3:
      memory.FailAll();
      break;
    default:
      memory.Disarm();
      break;
  }
}

std::vector<Step> ReadSteps(InputReader& in, size_t max_steps) {
  std::vector<Step> steps;
  for (size_t k = 0; k < max_steps && !in.done(); ++k) {
    Step& step = steps.emplace_back();
    step.op = static_cast<Step::Op>(in.U8() & 7);
    switch (step.op) {
      case Step::Op::kLogon: {  // Flags, profile, password, UI byte [, answer profile, password].
        LogonArgs& args = step.logon;
        const LogonFlagsByte flags = DecodeLogonFlags(in.U8());
        args.flags = flags.flags;
        args.reserved = flags.reserved;
        args.null_out = flags.null_out;
        args.profile = ReadString(in, StringRole::kProfile);
        args.password = ReadString(in, StringRole::kPassword);
        const uint8_t ui = in.U8();
        SetReply(args, ui);
        args.ui_param = WindowParamFromByte(ui >> 2);
        if (args.ui_result == PromptResult::kAnswered) {
          args.answer_profile = ReadString(in, StringRole::kProfile).bytes;
          args.answer_password = ReadString(in, StringRole::kPassword).bytes;
        }
        break;
      }
      case Step::Op::kLogoff: {  // Handle selector, mutation, flags/reserved nibbles, window.
        step.selector = in.U8();
        step.mutation = ReadMutation(in);
        const uint8_t flags = in.U8();
        step.flags = LogoffFlagsFromNibble(flags & 15);
        step.reserved = LogoffReservedFromNibble(flags >> 4);
        step.ui = WindowParamFromByte(in.U8());
        break;
      }
      case Step::Op::kLookup:  // Handle selector, mutation.
        step.selector = in.U8();
        step.mutation = ReadMutation(in);
        break;
      case Step::Op::kJoin:  // MAPILogon(ui, NULL, NULL, 0, 0).
        step.logon.profile.is_null = true;
        step.logon.password.is_null = true;
        step.logon.ui_param = WindowParamFromByte(in.U8());
        break;
      case Step::Op::kAddProfile:  // Name, password (all their bytes).
        step.name = ReadString(in, StringRole::kProfile).bytes;
        step.password = ReadString(in, StringRole::kPassword).bytes;
        break;
      case Step::Op::kRemoveProfile:
        step.name = ReadString(in, StringRole::kProfile).bytes;
        break;
      case Step::Op::kLogoffOldest:
        break;
      case Step::Op::kFault:  // Mode, n.
        step.mode = in.U8() & 3;
        step.n = in.U8();
        break;
    }
  }
  return steps;
}

namespace {

const char* HandleName(uint8_t selector) {
  static constexpr const char* kForged[4] = {"zero", "past-end", "next-generation", "forged-slot0"};
  return selector < 0xf0 ? nullptr : kForged[selector & 3];
}

void DescribeHandle(DescribedOp& line, const Step& step) {
  if (const char* name = HandleName(step.selector)) {
    line.Word("handle", name);
  } else {
    line.Word("handle", "issued[" + std::to_string(step.selector) + "]");
  }
  line.Word("mutation", MutationName(step.mutation));
  if (step.mutation.how == 1 || step.mutation.how == 4 || step.mutation.how == 7) {
    line.Hex("operand", step.mutation.operand);
  }
}

}  // namespace

void DescribeConfig(const ProviderConfig& config) {
  DescribedOp("provider")
      .Num("capacity", config.capacity)
      .Num("max_generation", config.max_generation)
      .Hex("seed", config.seed);
}

void DescribeFaultSchedule(uint8_t mode, uint8_t n) {
  static constexpr const char* kModes[4] = {"off", "nth", "from", "all"};
  DescribedOp("fault").Word("mode", kModes[mode & 3]).Num("n", n);
}

void DescribeSteps(const std::vector<Step>& steps) {
  for (const Step& step : steps) {
    switch (step.op) {
      case Step::Op::kLogon: {
        DescribedOp line("logon");
        DescribeLogon(line, step.logon);
        break;
      }
      case Step::Op::kLogoff: {
        DescribedOp line("logoff");
        DescribeHandle(line, step);
        line.Flags("flags", step.flags).Hex("reserved", step.reserved).Hex("ui", step.ui);
        break;
      }
      case Step::Op::kLookup: {
        DescribedOp line("lookup");
        DescribeHandle(line, step);
        break;
      }
      case Step::Op::kJoin:
        DescribedOp("join").Hex("ui", step.logon.ui_param);
        break;
      case Step::Op::kAddProfile:
        DescribedOp("add_profile").Str("name", step.name).Str("password", step.password);
        break;
      case Step::Op::kRemoveProfile:
        DescribedOp("remove_profile").Str("name", step.name);
        break;
      case Step::Op::kLogoffOldest:
        DescribedOp("logoff_oldest");
        break;
      case Step::Op::kFault:
        DescribeFaultSchedule(step.mode, step.n);
        break;
    }
  }
}

void RunSteps(Harness& harness, const std::vector<Step>& steps, bool fault_schedule) {
  for (const Step& step : steps) {
    switch (step.op) {
      case Step::Op::kLogon:
      case Step::Op::kJoin:
        harness.Logon(step.logon);
        break;
      case Step::Op::kLogoff: {
        const LHANDLE handle = Mutate(PickHandle(harness.model(), step.selector), step.mutation);
        harness.Logoff(handle, step.ui, step.flags, step.reserved);
        break;
      }
      case Step::Op::kLookup:
        harness.Lookup(Mutate(PickHandle(harness.model(), step.selector), step.mutation));
        break;
      case Step::Op::kAddProfile:
        harness.AddProfile(step.name, step.password);
        break;
      case Step::Op::kRemoveProfile:
        harness.RemoveProfile(step.name);
        break;
      case Step::Op::kLogoffOldest:  // With valid arguments.
        for (const ContractModel::HandleRecord& record : harness.model().handles()) {
          if (record.live) {
            harness.Logoff(record.handle, 0, 0, 0);
            break;
          }
        }
        break;
      case Step::Op::kFault:
        if (fault_schedule) ArmFailureSchedule(harness.memory(), step.mode, step.n);
        break;
    }
    harness.CheckState(/*every_handle=*/false);
  }
  harness.CheckState(/*every_handle=*/true);
}

}  // namespace smapi::fuzz
