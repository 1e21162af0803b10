// The step interpreter that session_fuzzer and oom_fuzzer share: one byte string, a sequence of
// checked calls on a Harness.
#ifndef SMAPI_FUZZERS_SUPPORT_SEQUENCE_H_
#define SMAPI_FUZZERS_SUPPORT_SEQUENCE_H_

#include <smapi/mapi.h>

#include <cstddef>
#include <cstdint>

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

// Runs the operation sequence in `in` (see fuzzers/make_seeds.py for the layout) against the
// harness, checking the full state after every step. With fault_schedule, step 7 arms or disarms
// the memory resource's failure schedule; without, it is skipped.
struct SequenceOptions {
  size_t max_steps;
  bool fault_schedule;
};
void RunSequence(Harness& harness, InputReader& in, const SequenceOptions& options);

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_SEQUENCE_H_
