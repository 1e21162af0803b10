/* A library that exports MAPILogon but not MAPILogoff: the runner must refuse it with one line. */
#include <smapi/mapi.h>

ULONG MAPILogon(ULONG_PTR ulUIParam, LPSTR lpszProfileName, LPSTR lpszPassword, FLAGS flFlags,
                ULONG ulReserved, LPLHANDLE lplhSession) {
  (void)ulUIParam;
  (void)lpszProfileName;
  (void)lpszPassword;
  (void)flFlags;
  (void)ulReserved;
  (void)lplhSession;
  return MAPI_E_FAILURE;
}
