// Operation sequences run against any provider through its two C functions, checked call by call
// against the opaque ContractModel: the core that smapi-conform's random sequences and
// provider_fuzzer share. Every call is kept as made, with handle arguments written as references
// to the handles the sequence was issued, so that a failing sequence can be replayed elsewhere
// (smapi-conform prints it as a C program).
#ifndef SMAPI_FUZZERS_SUPPORT_ABI_SEQUENCE_H_
#define SMAPI_FUZZERS_SUPPORT_ABI_SEQUENCE_H_

#include <smapi/mapi.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "support/contract_model.h"
#include "support/fuzz_input.h"

namespace smapi::fuzz {

// The provider as the caller knows it: one profile with its password, and its capacity.
struct AbiProvider {
  LPMAPILOGON logon = nullptr;
  LPMAPILOGOFF logoff = nullptr;
  std::string profile = std::string(kContractDefaultProfile);
  std::string password;
  uint32_t capacity = kContractCapacity;
};

// Which string a logon passes, relative to the known credentials.
enum class AbiProfile : uint8_t { kNull, kKnown, kUnknown, kOtherCase, kCount };
enum class AbiPassword : uint8_t { kNull, kKnown, kLonger, kPrefix, kEmpty, kCount };
// Which handle a logoff starts from, and what it does to it.
enum class AbiBase : uint8_t { kLive, kLoggedOff, kZero, kRaw, kCount };
enum class AbiMutation : uint8_t { kNone, kFlipBit, kCut32, kSwapHalves, kAdd, kCount };

// One step of a sequence, before it meets the provider.
struct AbiOp {
  bool logoff = false;
  AbiProfile profile = AbiProfile::kKnown;
  AbiPassword password = AbiPassword::kKnown;
  AbiBase base = AbiBase::kLive;
  uint32_t which = 0;  // Picks among the live or logged-off handles, modulo their number.
  AbiMutation mutation = AbiMutation::kNone;
  uint64_t operand = 0;  // kRaw: the handle; kFlipBit: the bit (mod 64); kAdd: the addend.
  FLAGS flags = 0;
  ULONG reserved = 0;
  ULONG_PTR window = 0;
  bool null_out = false;  // MAPILogon with lplhSession NULL.
};

// One call as made.
struct AbiCall {
  bool logoff = false;
  CStringArg profile;  // MAPILogon's strings.
  CStringArg password;
  bool null_out = false;
  // MAPILogoff's handle: the `issued`-th handle the sequence got (in issue order), or `operand`
  // itself when issued < 0; then the mutation.
  int issued = -1;
  AbiMutation mutation = AbiMutation::kNone;
  uint64_t operand = 0;
  LHANDLE handle = 0;  // The value this run passed.
  FLAGS flags = 0;
  ULONG reserved = 0;
  ULONG_PTR window = 0;
  ULONG expected = 0;  // What the contract says.
  ULONG got = 0;
};

// The first contract row a sequence saw broken.
struct AbiFailure {
  std::string row;   // "N8", "F3c", "H1", ...
  std::string what;  // The call and what went wrong, on one line.
};

// The handle a logoff passes: `base` after `mutation` with `operand`.
LHANDLE ApplyMutation(LHANDLE base, AbiMutation mutation, uint64_t operand);

class AbiSequence {
 public:
  explicit AbiSequence(const AbiProvider& provider);

  // Runs one step; false once a call broke the contract (failure() says how). Steps after a
  // failure do nothing.
  bool Run(const AbiOp& op);
  // Hands the provider back empty and checks that it is: every live handle logs off, every handle
  // the sequence was issued is then rejected once more, a NULL profile logon finds no shared
  // session (F7), and one more logon gets a handle this sequence never saw and logs off again (the
  // table kept no slot).
  bool Finish();

  const std::optional<AbiFailure>& failure() const { return failure_; }
  const std::vector<AbiCall>& calls() const { return calls_; }
  // Called with each call (its expected result filled in) just before it is made, so that a
  // caller can keep a record that survives a crash inside the call.
  void set_before_call(std::function<void(const AbiCall&)> hook) { before_call_ = std::move(hook); }

 private:
  bool Logon(const AbiOp& op);
  bool Logoff(const AbiOp& op);
  // Makes `call`, checks it against the model and records it.
  bool CallLogon(AbiCall call);
  bool CallLogoff(AbiCall call);
  bool Fail(std::string row, std::string what);
  CStringArg ProfileArg(AbiProfile which) const;
  CStringArg PasswordArg(AbiPassword which) const;

  AbiProvider provider_;
  ContractModel model_;
  std::vector<AbiCall> calls_;
  std::optional<AbiFailure> failure_;
  std::function<void(const AbiCall&)> before_call_;
};

// A C string literal for the argument ("NULL" when it is NULL), escaped where C needs it.
std::string CLiteral(const CStringArg& text);
// A logoff's handle as a C expression over `issued[]`: issued[2], (issued[2] ^ 0x10), 0x0, ...
std::string HandleExpression(const AbiCall& call);
// The call as C would write it, with its result: MAPILogoff(issued[0], 0x0, 0x0, 0x0) = ...
std::string DescribeCall(const AbiCall& call);

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_ABI_SEQUENCE_H_
