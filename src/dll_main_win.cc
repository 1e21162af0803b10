// smapi32.dll's entry point. When the whole process is ending (ExitProcess, or a return from
// main), Windows has already ended every other thread before it detaches the DLL, and a thread
// ended inside MAPILogon or MAPILogoff never leaves the call. The teardown must not wait for it
// then, and must not free what that thread may have held half-changed; the system takes the
// memory. On FreeLibrary the other threads still run, so the teardown waits as everywhere else.
#include <windows.h>

#include "closing_provider.h"

extern "C" BOOL WINAPI DllMain(HINSTANCE /*instance*/, DWORD reason, LPVOID reserved) {
  // Nothing else: this runs under the loader lock.
  if (reason == DLL_PROCESS_DETACH && reserved != nullptr) {
    smapi::internal::ClosingProvider::MarkProcessEnding();
  }
  return TRUE;
}
