// MAPILogon and MAPILogoff during and after the process-wide provider's teardown at exit
// (docs/contract.md, "The process-wide provider"): from a static destructor that runs after it, one
// that runs before it, and a thread still calling while the process exits. Built with the
// sanitizers of the tree, so a use of freed memory fails the test; ctest also requires the line
// that the last checks print, since they run after main has returned.
#include <smapi/mapi.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

namespace {

constexpr LHANDLE kUntouched = 0x0123456789abcdefULL;

[[noreturn]] void Fail(const char* what, ULONG got) {
  std::printf("exit_test: FAIL: %s returned %lu\n", what, static_cast<unsigned long>(got));
  std::fflush(stdout);
  _exit(1);
}

LHANDLE NewSession() {
  LHANDLE handle = kUntouched;
  const ULONG got = MAPILogon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &handle);
  if (got != SUCCESS_SUCCESS) Fail("MAPILogon before exit", got);
  return handle;
}

// Built before main, so destroyed after the provider, which main builds with its first call.
struct AfterTeardown {
  LHANDLE handle = 0;
  ~AfterTeardown() {
    const ULONG logoff = MAPILogoff(handle, 0, 0, 0);
    if (logoff != MAPI_E_FAILURE) Fail("MAPILogoff after the teardown", logoff);
    LHANDLE out = kUntouched;
    const ULONG logon = MAPILogon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &out);
    if (logon != MAPI_E_FAILURE || out != kUntouched) Fail("MAPILogon after the teardown", logon);
    std::printf("exit_test: after the teardown, MAPILogon and MAPILogoff return MAPI_E_FAILURE\n");
    std::fflush(stdout);
  }
} after_teardown;

// Built after the provider, so destroyed before it: the provider still works.
struct BeforeTeardown {
  LHANDLE handle = NewSession();
  ~BeforeTeardown() {
    const ULONG got = MAPILogoff(handle, 0, 0, 0);
    if (got != SUCCESS_SUCCESS) Fail("MAPILogoff before the teardown", got);
  }
};

std::atomic<bool> caller_started{false};

// Logs on and off until the provider is torn down under it; after that, every call must fail.
void CallThroughExit() {
  bool closed = false;
  for (;;) {
    LHANDLE handle = kUntouched;
    const ULONG logon = MAPILogon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &handle);
    caller_started.store(true);
    if (logon == MAPI_E_FAILURE) {
      closed = true;
      if (handle != kUntouched) Fail("a failed MAPILogon during exit wrote the handle", logon);
      continue;
    }
    if (logon != SUCCESS_SUCCESS || closed) Fail("MAPILogon during exit", logon);
    const ULONG logoff = MAPILogoff(handle, 0, 0, 0);
    if (logoff == MAPI_E_FAILURE) {
      closed = true;
      continue;
    }
    if (logoff != SUCCESS_SUCCESS || closed) Fail("MAPILogoff during exit", logoff);
  }
}

}  // namespace

int main() {
  after_teardown.handle = NewSession();  // The first call builds the provider.
  static BeforeTeardown before_teardown;
  std::thread(CallThroughExit).detach();
  while (!caller_started.load()) std::this_thread::yield();
  return 0;  // Exit while the thread is still calling.
}
