// The deterministic checks: one per row of docs/contract.md, each seen through the C ABI alone,
// or the reason it cannot be.
#ifndef SMAPI_CONFORM_ROWS_H_
#define SMAPI_CONFORM_ROWS_H_

#include <string>
#include <vector>

#include "target.h"

namespace smapi::conform {

enum class Verdict { kPass, kFail, kCrashed, kHung, kNotObservable };

// "pass", "fail", "crashed", "hung", "not observable".
const char* VerdictText(Verdict verdict);

struct RowResult {
  Verdict verdict;
  std::string observed;  // What the provider did, or why the row cannot be seen.
};

struct Row {
  const char* id;  // The contract's row number: "F1", "N18", "H4".
  const char* situation;
  const char* expected;
  // Runs the row on a freshly loaded provider. Null when no call through the C ABI can show the
  // row; then `unobservable` says why.
  RowResult (*check)(const Target& target);
  const char* unobservable;
};

// Every row of the contract, in its order.
const std::vector<Row>& ContractRows();
const Row* FindRow(const std::string& id);

}  // namespace smapi::conform

#endif  // SMAPI_CONFORM_ROWS_H_
