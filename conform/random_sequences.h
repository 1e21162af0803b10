// The random half of smapi-conform: seeded operation sequences through the C ABI, checked against
// the fuzzers' contract model (fuzzers/support/abi_sequence.h), each failing row shrunk to the
// shortest failing sequence found and printed as a C program.
//
// Sequence i of a run with seed S is a pure function of (S, i). A child process runs sequences
// one after another on one loaded provider, each ending with the provider handed back empty; the
// parent finds which sequence failed, then shrinks it, one child per attempt, so that a crash
// costs only the attempt.
#ifndef SMAPI_CONFORM_RANDOM_SEQUENCES_H_
#define SMAPI_CONFORM_RANDOM_SEQUENCES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "provider_host/child_process.h"
#include "report.h"
#include "support/abi_sequence.h"
#include "target.h"

namespace smapi::conform {

// The operations of sequence `index` of the run with `seed`.
std::vector<fuzz::AbiOp> SequenceOps(uint64_t seed, uint64_t index);

// Child side. Runs sequences from `first` on until `budget` operations have run or one fails;
// reports "begin I" before sequence I, then "done NEXT" or "fail I OPS ROW WHAT" (tab-separated).
int RunBatchInChild(const Target& target, uint64_t seed, uint64_t first, uint64_t budget);
// Runs the operations in `ops_file` as one sequence; reports "pass" or "fail ROW WHAT". With
// `emit_file`, keeps the C program of the calls made so far there, rewritten before every call.
int RunOpsInChild(const Target& target, const std::string& ops_file, const std::string& emit_file,
                  const std::string& headline);

// Parent side: starts a child in MODE with WHAT and extra arguments (--ops FILE, ...).
using LaunchChild = std::function<host::ChildOutcome(
    const std::string& mode, const std::string& what, const std::vector<std::string>& extra)>;
RandomReport RunRandomSequences(uint64_t seed, uint64_t iterations, const LaunchChild& launch);

}  // namespace smapi::conform

#endif  // SMAPI_CONFORM_RANDOM_SEQUENCES_H_
