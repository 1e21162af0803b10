// The C ABI: the two exported symbols, bound to the process-wide provider.
#include <smapi/mapi.h>
#include <smapi/provider.h>

#define SMAPI_EXPORT __attribute__((visibility("default")))

extern "C" SMAPI_EXPORT ULONG SMAPI_WINAPI MAPILogon(ULONG_PTR ulUIParam, LPSTR lpszProfileName,
                                                     LPSTR lpszPassword, FLAGS flFlags,
                                                     ULONG ulReserved, LPLHANDLE lplhSession) {
  return smapi::DefaultProvider().Logon(ulUIParam, lpszProfileName, lpszPassword, flFlags,
                                        ulReserved, lplhSession);
}

extern "C" SMAPI_EXPORT ULONG SMAPI_WINAPI MAPILogoff(LHANDLE lhSession, ULONG_PTR ulUIParam,
                                                      FLAGS flFlags, ULONG ulReserved) {
  return smapi::DefaultProvider().Logoff(lhSession, ulUIParam, flFlags, ulReserved);
}
