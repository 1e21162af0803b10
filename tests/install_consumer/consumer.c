/* Links the installed libsmapi.so directly. */
#include <smapi/mapi.h>

int main(void) {
  LHANDLE handle = 0;
  if (MAPILogon(0, 0, 0, MAPI_NEW_SESSION, 0, &handle) != SUCCESS_SUCCESS) return 1;
  return MAPILogoff(handle, 0, 0, 0) == SUCCESS_SUCCESS ? 0 : 2;
}
