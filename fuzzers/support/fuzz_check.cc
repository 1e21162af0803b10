#include "support/fuzz_check.h"

#include <atomic>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
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

bool CheckSkipped(const char* file, int line) {
  // Fixed at the first failure; checks on other threads may ask at once, hence the static.
  static const std::string skip = [] {
    const char* env = std::getenv("SMAPI_FUZZ_SKIP");
    return std::string(env != nullptr ? env : "");
  }();
  if (skip.empty()) return false;
  const size_t file_length = std::strlen(file);
  size_t begin = 0;
  while (begin < skip.size()) {
    size_t end = skip.find(',', begin);
    if (end == std::string::npos) end = skip.size();
    const std::string entry = skip.substr(begin, end - begin);
    begin = end + 1;
    const size_t colon = entry.rfind(':');
    if (colon == std::string::npos || std::atoi(entry.c_str() + colon + 1) != line) continue;
    // "fuzzers/support/harness.cc" names the file whatever the build's absolute path.
    const size_t path_length = colon;
    if (path_length > file_length ||
        std::strncmp(file + file_length - path_length, entry.c_str(), path_length) != 0 ||
        (path_length < file_length && file[file_length - path_length - 1] != '/')) {
      continue;
    }
    std::fprintf(stderr, "==smapi fuzz check skipped== %s:%d (SMAPI_FUZZ_SKIP)\n", file, line);
    return true;
  }
  return false;
}

void HarnessBroken(const char* file, int line, const char* what) {
  std::fprintf(stderr, "\n==smapi harness broken== %s:%d: %s\n", file, line, what);
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
