// The step interpreter that session_fuzzer and oom_fuzzer share: one byte string, a sequence of
// checked calls on a Harness.
#ifndef SMAPI_FUZZERS_SUPPORT_SEQUENCE_H_
#define SMAPI_FUZZERS_SUPPORT_SEQUENCE_H_

#include <smapi/mapi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "support/contract_model.h"
#include "support/failing_resource.h"
#include "support/fuzz_input.h"
#include "support/harness.h"

namespace smapi::fuzz {

// Picks a handle for a sequence step (one byte): below 0xf0 one of the handles issued so far, in
// issue order (0 when none), else 0, a handle decoding to slot == capacity (one past the table),
// the next generation of the last slot, or a forged first handle of slot 0.
LHANDLE PickHandle(const ContractModel& model, uint8_t selector);

// Arms the resource's failure schedule from two input bytes: mode 0 none, 1 fail allocation
// number n only, 2 fail number n and every one after it, 3 fail all; counting restarts now.
void ArmFailureSchedule(testing::FailingResource& memory, uint8_t mode, uint8_t n);

// One step of a sequence, decoded. The steps (see fuzzers/make_seeds.py for the layout), by the
// low 3 bits of their first byte:
//   0 logon: u8 flags (DecodeLogonFlags), profile, password, u8 UI (bits 0-1 reply as SetReply,
//     bits 2-4 window parameter), then for reply 0 or 3 the answer profile and password
//   1 logoff: u8 handle selector (PickHandle), mutation, u8 flags/reserved nibbles, u8 window
//   2 lookup: u8 handle selector, mutation
//   3 join: u8 window; MAPILogon(ui, NULL, NULL, 0, 0)
//   4 add profile: name, password (all their bytes)
//   5 remove profile: name
//   6 log off the oldest live handle with valid arguments
//   7 failure schedule: u8 mode, u8 n (ArmFailureSchedule; only where the target allows it)
struct Step {
  enum class Op : uint8_t {
    kLogon,
    kLogoff,
    kLookup,
    kJoin,
    kAddProfile,
    kRemoveProfile,
    kLogoffOldest,
    kFault
  };
  Op op = Op::kLogon;
  LogonArgs logon;  // kLogon, kJoin.
  uint8_t selector = 0;
  HandleMutation mutation;
  FLAGS flags = 0;
  ULONG reserved = 0;
  ULONG_PTR ui = 0;
  std::string name;
  std::string password;
  uint8_t mode = 0;
  uint8_t n = 0;
};

// Decodes up to max_steps steps from the rest of the input.
std::vector<Step> ReadSteps(InputReader& in, size_t max_steps);
// Runs them on the harness, checking the state after every step and every handle at the end.
// Without fault_schedule, failure-schedule steps are skipped.
void RunSteps(Harness& harness, const std::vector<Step>& steps, bool fault_schedule);

// Describe mode (support/describe.h).
void DescribeConfig(const ProviderConfig& config);
void DescribeFaultSchedule(uint8_t mode, uint8_t n);
void DescribeSteps(const std::vector<Step>& steps);

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_SEQUENCE_H_
