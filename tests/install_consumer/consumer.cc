// Uses the installed C++ API and the C ABI from the static library.
#include <smapi/mapi.h>
#include <smapi/provider.h>

int main() {
  smapi::Provider provider;
  LHANDLE handle = 0;
  if (provider.Logon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &handle) != SUCCESS_SUCCESS)
    return 1;
  if (provider.Logoff(handle, 0, 0, 0) != SUCCESS_SUCCESS) return 2;
  if (MAPILogon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &handle) != SUCCESS_SUCCESS) return 3;
  return MAPILogoff(handle, 0, 0, 0) == SUCCESS_SUCCESS ? 0 : 4;
}
