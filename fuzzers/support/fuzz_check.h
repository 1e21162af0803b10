// The fuzzers' check: prints what broke, with the condition and where, and aborts so that the
// engine records a crash.
#ifndef SMAPI_FUZZERS_SUPPORT_FUZZ_CHECK_H_
#define SMAPI_FUZZERS_SUPPORT_FUZZ_CHECK_H_

#include <smapi/mapi.h>

namespace smapi::fuzz {

// Prints what broke, with the condition and where, then aborts so that the engine records a crash.
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition, const char* format,
                              ...) __attribute__((format(printf, 4, 5)));

#define SMAPI_FUZZ_CHECK(condition, ...)                                       \
  do {                                                                         \
    if (!(condition)) {                                                        \
      ::smapi::fuzz::CheckFailed(__FILE__, __LINE__, #condition, __VA_ARGS__); \
    }                                                                          \
  } while (0)

// "SUCCESS_SUCCESS", "MAPI_E_INVALID_SESSION", ...
const char* ResultName(ULONG result);

}  // namespace smapi::fuzz

#endif  // SMAPI_FUZZERS_SUPPORT_FUZZ_CHECK_H_
