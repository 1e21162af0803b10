#include "support/fuzz_check.h"

#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace smapi::fuzz {

void CheckFailed(const char* file, int line, const char* condition, const char* format, ...) {
  // Threaded targets can fail a check on several threads at once. Only the first reports and
  // aborts; the others wait for it, so that no second abort races the engine's crash handler
  // and ends the process before it has saved the input.
  static std::atomic<bool> failing{false};
  if (failing.exchange(true)) {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::fprintf(stderr, "\n==smapi fuzz check failed== %s:%d: %s\n  ", file, line, condition);
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  std::abort();
}

const char* ResultName(ULONG result) {
  switch (result) {
    case SUCCESS_SUCCESS:
      return "SUCCESS_SUCCESS";
    case MAPI_E_USER_ABORT:
      return "MAPI_E_USER_ABORT";
    case MAPI_E_FAILURE:
      return "MAPI_E_FAILURE";
    case MAPI_E_LOGIN_FAILURE:
      return "MAPI_E_LOGIN_FAILURE";
    case MAPI_E_INSUFFICIENT_MEMORY:
      return "MAPI_E_INSUFFICIENT_MEMORY";
    case MAPI_E_TOO_MANY_SESSIONS:
      return "MAPI_E_TOO_MANY_SESSIONS";
    case MAPI_E_INVALID_SESSION:
      return "MAPI_E_INVALID_SESSION";
    default:
      return "(a code the contract never returns)";
  }
}

}  // namespace smapi::fuzz
