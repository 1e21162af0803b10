#include "support/sequence.h"

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

void RunSequence(Harness& harness, InputReader& in, const SequenceOptions& options) {
  for (size_t step = 0; step < options.max_steps && !in.done(); ++step) {
    switch (in.U8() & 7) {
      case 0: {  // Logon: flags, profile, password, UI byte [, answer profile, answer password].
        LogonArgs args;
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
        harness.Logon(args);
        break;
      }
      case 1: {  // Logoff: handle selector, mutation, flags/reserved nibbles, window param.
        LHANDLE handle = PickHandle(harness.model(), in.U8());
        handle = MutateHandle(handle, in.U8(), in);
        const uint8_t flags = in.U8();
        const ULONG_PTR ui = WindowParamFromByte(in.U8());
        harness.Logoff(handle, ui, LogoffFlagsFromNibble(flags & 15),
                       LogoffReservedFromNibble(flags >> 4));
        break;
      }
      case 2: {  // Lookup: handle selector, mutation.
        const LHANDLE handle = PickHandle(harness.model(), in.U8());
        harness.Lookup(MutateHandle(handle, in.U8(), in));
        break;
      }
      case 3: {  // Join the shared session: MAPILogon(ui, NULL, NULL, 0, 0).
        LogonArgs args;
        args.profile.is_null = true;
        args.password.is_null = true;
        args.ui_param = WindowParamFromByte(in.U8());
        harness.Logon(args);
        break;
      }
      case 4: {  // AddProfile: name, password (all their bytes).
        const std::string name = ReadString(in, StringRole::kProfile).bytes;
        const std::string password = ReadString(in, StringRole::kPassword).bytes;
        harness.AddProfile(name, password);
        break;
      }
      case 5:  // RemoveProfile: name.
        harness.RemoveProfile(ReadString(in, StringRole::kProfile).bytes);
        break;
      case 6:  // Logoff of the oldest live handle, with valid arguments.
        for (const ContractModel::HandleRecord& record : harness.model().handles()) {
          if (record.live) {
            harness.Logoff(record.handle, 0, 0, 0);
            break;
          }
        }
        break;
      default: {  // Failure schedule: mode, n.
        const uint8_t mode = in.U8();
        const uint8_t n = in.U8();
        if (options.fault_schedule) ArmFailureSchedule(harness.memory(), mode, n);
        break;
      }
    }
    harness.CheckState(/*every_handle=*/false);
  }
  harness.CheckState(/*every_handle=*/true);
}

}  // namespace smapi::fuzz
