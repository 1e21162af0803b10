/* A C client: loads libsmapi by name with dlopen (smapi32.dll with LoadLibrary on Windows), finds
 * both entry points by name, and checks the contract through LPMAPILOGON / LPMAPILOGOFF, as a mail
 * client would. */
#include <smapi/mapi.h>
#include <stdio.h>

#ifdef _WIN32
#include <windows.h>
#define OpenLibrary(name) ((void*)LoadLibraryA(name))
#define FindSymbol(library, name) ((void*)GetProcAddress((HMODULE)(library), name))
#define CloseLibrary(library) FreeLibrary((HMODULE)(library))
#define LoadError() "LoadLibrary failed"
#else
#include <dlfcn.h>
#define OpenLibrary(name) dlopen(name, RTLD_NOW | RTLD_LOCAL)
#define FindSymbol(library, name) dlsym(library, name)
#define CloseLibrary(library) dlclose(library)
#define LoadError() dlerror()
#endif

static int failures = 0;

#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                        \
    }                                                                    \
  } while (0)

int main(int argc, char** argv) {
  const char* name = argc > 1 ? argv[1] : "libsmapi.so.1";
  void* library = OpenLibrary(name);
  if (library == NULL) {
    fprintf(stderr, "loading %s: %s\n", name, LoadError());
    return 1;
  }
  LPMAPILOGON logon = (LPMAPILOGON)FindSymbol(library, "MAPILogon");
  LPMAPILOGOFF logoff = (LPMAPILOGOFF)FindSymbol(library, "MAPILogoff");
  CHECK(logon != NULL);
  CHECK(logoff != NULL);
  if (logon == NULL || logoff == NULL) return 1;
  /* Nothing else leaves the library. */
  CHECK(FindSymbol(library, "_ZN5smapi15DefaultProviderEv") == NULL);

  const LHANDLE untouched = (LHANDLE)0x1234567887654321ULL;
  LHANDLE handle = untouched;

  /* MAPILogon's failure rows leave the handle alone. */
  CHECK(logon(0, NULL, NULL, MAPI_NEW_SESSION, 0, NULL) == MAPI_E_FAILURE);
  CHECK(logon(0, NULL, NULL, MAPI_NEW_SESSION, 1, &handle) == MAPI_E_FAILURE);
  CHECK(logon(0, NULL, NULL, MAPI_DIALOG, 0, &handle) == MAPI_E_FAILURE);
  CHECK(logon(0, NULL, NULL, MAPI_LOGON_UI | MAPI_PASSWORD_UI, 0, &handle) == MAPI_E_FAILURE);
  CHECK(logon(0, NULL, NULL, 0, 0, &handle) == MAPI_E_LOGIN_FAILURE); /* No shared session. */
  CHECK(logon(0, "nobody", NULL, MAPI_NEW_SESSION, 0, &handle) == MAPI_E_LOGIN_FAILURE);
  CHECK(logon(0x10, "nobody", NULL, MAPI_LOGON_UI, 0, &handle) == MAPI_E_LOGIN_FAILURE);
  CHECK(handle == untouched);

  /* A private session on the default profile, with no set-up. */
  CHECK(logon(0, NULL, NULL, MAPI_NEW_SESSION, 0, &handle) == SUCCESS_SUCCESS);
  CHECK(handle != untouched && handle != lhSessionNull);
  CHECK(sizeof(LHANDLE) == sizeof(void*) && sizeof(ULONG) == 4 && sizeof(FLAGS) == 4);

  /* MAPILogoff, row by row. */
  CHECK(logoff(handle, 0, 1, 0) == MAPI_E_FAILURE);
  CHECK(logoff(handle, 0, 0, 1) == MAPI_E_FAILURE);
  CHECK(logoff(lhSessionNull, 0, 0, 0) == MAPI_E_INVALID_SESSION);
  CHECK(logoff(handle ^ 1, 0, 0, 0) == MAPI_E_INVALID_SESSION);
  CHECK(logoff(handle ^ ((LHANDLE)1 << 63), 0, 0, 0) == MAPI_E_INVALID_SESSION);
  CHECK(logoff((LHANDLE)(ULONG)handle, 0, 0, 0) == MAPI_E_INVALID_SESSION);
  CHECK(logoff(handle, (ULONG_PTR)0xabcdef, 0, 0) == SUCCESS_SUCCESS);
  CHECK(logoff(handle, 0, 0, 0) == MAPI_E_INVALID_SESSION);

  /* The shared session: its own handle per logon, ended by the last logoff. */
  LHANDLE first = 0, second = 0;
  CHECK(logon(0, "default", "", 0, 0, &first) == SUCCESS_SUCCESS);
  CHECK(logon(0, NULL, NULL, 0, 0, &second) == SUCCESS_SUCCESS);
  CHECK(first != second);
  CHECK(logoff(first, 0, 0, 0) == SUCCESS_SUCCESS);
  LHANDLE third = 0;
  CHECK(logon(0, NULL, NULL, 0, 0, &third) == SUCCESS_SUCCESS);
  CHECK(logoff(second, 0, 0, 0) == SUCCESS_SUCCESS);
  CHECK(logoff(third, 0, 0, 0) == SUCCESS_SUCCESS);
  CHECK(logon(0, NULL, NULL, 0, 0, &handle) == MAPI_E_LOGIN_FAILURE);

  /* Unloading ends what is still open (on Windows under the loader lock, from DllMain): loaded
   * again, the library starts with no session, and the old handle means nothing to it. */
  CHECK(logon(0, "default", "", 0, 0, &first) == SUCCESS_SUCCESS);
  CloseLibrary(library);
  library = OpenLibrary(name);
  CHECK(library != NULL);
  if (library == NULL) return 1;
  logon = (LPMAPILOGON)FindSymbol(library, "MAPILogon");
  logoff = (LPMAPILOGOFF)FindSymbol(library, "MAPILogoff");
  CHECK(logon != NULL && logoff != NULL);
  if (logon == NULL || logoff == NULL) return 1;
  CHECK(logon(0, NULL, NULL, 0, 0, &handle) == MAPI_E_LOGIN_FAILURE);
  CHECK(logoff(first, 0, 0, 0) == MAPI_E_INVALID_SESSION);

  CloseLibrary(library);
  if (failures == 0) printf("c_abi_test: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
