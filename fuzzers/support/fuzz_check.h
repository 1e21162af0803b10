// The fuzzers' check: prints what broke, with the condition and where, and aborts so that the
// engine records a crash.
#ifndef SMAPI_FUZZERS_SUPPORT_FUZZ_CHECK_H_
#define SMAPI_FUZZERS_SUPPORT_FUZZ_CHECK_H_

#include <smapi/mapi.h>

namespace smapi::fuzz {

// Prints what broke, with the condition and where, then aborts so that the engine records a crash.
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition, const char* format,
                              ...) __attribute__((format(printf, 4, 5)));

// Whether a failed check at file:line is one that SMAPI_FUZZ_SKIP names ("path:line,..."): it
// then reports on stderr and lets the input run on, so that ci/mutants.sh can show what a check
// behind it would have caught. Read only once a check has failed, so it costs nothing otherwise.
bool CheckSkipped(const char* file, int line);

#define SMAPI_FUZZ_CHECK(condition, ...)                                       \
  do {                                                                         \
    if (!(condition) && !::smapi::fuzz::CheckSkipped(__FILE__, __LINE__)) {    \
      ::smapi::fuzz::CheckFailed(__FILE__, __LINE__, #condition, __VA_ARGS__); \
    }                                                                          \
  } while (0)

// A harness's own precondition: what the harness asks of itself (its model used as documented),
// not of the provider. It aborts like a check but is not counted as one, since no provider
// behaviour can make it fail.
#define SMAPI_HARNESS_ASSERT(condition, what)                                 \
  do {                                                                        \
    if (!(condition)) ::smapi::fuzz::HarnessBroken(__FILE__, __LINE__, what); \
  } while (0)
[[noreturn]] void HarnessBroken(const char* file, int line, const char* what);

// "SUCCESS_SUCCESS", "MAPI_E_INVALID_SESSION", ...
const char* ResultName(ULONG result);

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_FUZZ_CHECK_H_
