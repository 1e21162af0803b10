// The targets' describe mode: with SMAPI_DESCRIBE set in the environment, a target prints the
// operations an input stands for, one line each, and runs none of them. The lines come from the
// same decoded values the target runs, so they are the input format's one source: make_seeds.py
// --check holds every seed to its description, and ci/triage.sh prints a crash's input with them.
//
// A line is an operation name and `key=value` fields separated by spaces; strings are quoted with
// C escapes (\xNN for anything but printable ASCII other than space, quote and backslash), and one
// longer than kShownBytes shows its first kShownBytes bytes and then `...[N]`, N its length.
#ifndef SMAPI_FUZZERS_SUPPORT_DESCRIBE_H_
#define SMAPI_FUZZERS_SUPPORT_DESCRIBE_H_

#include <smapi/mapi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "support/fuzz_input.h"

namespace smapi::fuzz {

// Whether this process describes inputs instead of running them (read once).
bool Describing();

inline constexpr size_t kShownBytes = 24;

// One line of a description, printed to stdout when it goes out of scope.
class DescribedOp {
 public:
  explicit DescribedOp(std::string_view op) : line_(op) {}
  ~DescribedOp();
  DescribedOp(const DescribedOp&) = delete;
  DescribedOp& operator=(const DescribedOp&) = delete;

  DescribedOp& Num(std::string_view key, uint64_t value);
  DescribedOp& Hex(std::string_view key, uint64_t value);
  DescribedOp& Word(std::string_view key, std::string_view word);  // A name: no quotes.
  DescribedOp& Str(std::string_view key, std::string_view bytes);
  DescribedOp& Arg(std::string_view key, const CStringArg& arg);  // NULL, or the quoted bytes.
  DescribedOp& Flags(std::string_view key, FLAGS flags);          // MAPI_* names | 0x.. rest.

 private:
  DescribedOp& Field(std::string_view key, std::string_view value);
  std::string line_;
};

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_DESCRIBE_H_
