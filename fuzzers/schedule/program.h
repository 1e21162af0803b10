// What the logical threads run, and the oracle that judges a run.
//
// A program gives each of 2 to 4 threads up to kMaxSteps operations on one fresh provider that
// holds 1 to 4 pre-created handles. Handles are named by index into the list of handles known at
// the call: the pre-created ones, then every handle a logon has returned so far, in return order.
//
// The oracle is linearizability against the contract. Every call and every return is an event on
// one clock (one OS thread runs everything, so the order is total); an operation takes effect at
// some moment between its call and its return. So a lookup returns exactly the session its handle
// named at some moment between its call and its return, or "invalid" only if the handle was not
// certainly live throughout; of the logoffs of one handle exactly one succeeds, and one fails only
// if the successful one had begun before it returned; a logon joins the shared session only if
// one could have been live, and creates one only if none was certainly live. Invariants are
// checked after every completed operation (under the lock, without preemption), the final state
// against the successful operations, and every block is given back when the provider goes. A use
// after free is ASan's to catch.
#ifndef SMAPI_FUZZERS_SCHEDULE_PROGRAM_H_
#define SMAPI_FUZZERS_SCHEDULE_PROGRAM_H_

#include <array>
#include <cstddef>
#include <cstdint>

#include "schedule/scheduler.h"

namespace smapi::schedule {

enum class Op : uint8_t {
  kLogoff,        // MAPILogoff(known handle arg)
  kLookup,        // Provider::Lookup(known handle arg)
  kLogonPrivate,  // MAPILogon("default", "", MAPI_NEW_SESSION)
  kJoinShared,    // MAPILogon(NULL, NULL, 0): joins the shared session, or MAPI_E_LOGIN_FAILURE
  kLogonShared,   // MAPILogon("default", "", 0): joins the shared session or creates it
};
inline constexpr size_t kOpKinds = 5;
inline constexpr size_t kMaxSteps = 6;
inline constexpr size_t kMaxPre = 4;

struct Step {
  Op op;
  uint8_t arg;  // Which known handle, modulo how many are known at the call.
};

struct Program {
  size_t threads = 2;
  size_t pre = 1;           // Pre-created handles, 1 to kMaxPre.
  uint8_t shared_mask = 1;  // Bit i: pre-created handle i is onto the shared session.
  std::array<size_t, kMaxThreads> steps{};
  std::array<std::array<Step, kMaxSteps>, kMaxThreads> step{};
};

// Runs the program once under `policy` on a fresh provider and checks the run; a finding prints
// the program, its history and the schedule, then aborts.
void RunProgram(const Program& program, Policy& policy, Scheduler& scheduler);

}  // namespace smapi::schedule

#endif  // SMAPI_FUZZERS_SCHEDULE_PROGRAM_H_
