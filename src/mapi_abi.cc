// The C ABI: the two exported symbols, bound to the process-wide provider, and that provider's
// life: built on the first call, torn down at exit (or when a client dlclose()s the library), and
// after that MAPI_E_FAILURE for every call (docs/contract.md, "The process-wide provider").
#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <new>

#include "closing_provider.h"

#define SMAPI_EXPORT __attribute__((visibility("default")))

namespace smapi {
namespace {

// The ClosingProvider lives in static storage that is never destroyed, so a call after the
// teardown still finds it and reads that it is closed; only the provider inside is destroyed.
alignas(internal::ClosingProvider) unsigned char g_storage[sizeof(internal::ClosingProvider)];

// Built with the provider, so static destruction tears the provider down in the reverse order of
// first use, like any function-local static: destructors of objects built before the first call
// run after the teardown, and theirs get MAPI_E_FAILURE.
struct TearDownAtExit {
  TearDownAtExit() { new (g_storage) internal::ClosingProvider(); }
  ~TearDownAtExit() { Process().TearDown(); }
  static internal::ClosingProvider& Process() {
    return *std::launder(reinterpret_cast<internal::ClosingProvider*>(g_storage));
  }
};

internal::ClosingProvider& ProcessProvider() {
  static const TearDownAtExit built;
  return TearDownAtExit::Process();
}

}  // namespace

Provider& DefaultProvider() { return ProcessProvider().provider(); }

}  // namespace smapi

extern "C" SMAPI_EXPORT ULONG MAPILogon(ULONG_PTR ulUIParam, LPSTR lpszProfileName,
                                        LPSTR lpszPassword, FLAGS flFlags, ULONG ulReserved,
                                        LPLHANDLE lplhSession) {
  return smapi::ProcessProvider().Logon(ulUIParam, lpszProfileName, lpszPassword, flFlags,
                                        ulReserved, lplhSession);
}

extern "C" SMAPI_EXPORT ULONG MAPILogoff(LHANDLE lhSession, ULONG_PTR ulUIParam, FLAGS flFlags,
                                         ULONG ulReserved) {
  return smapi::ProcessProvider().Logoff(lhSession, ulUIParam, flFlags, ulReserved);
}
