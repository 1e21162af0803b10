// Loading a Simple MAPI provider by path: the only platform-specific part of reaching it.
// provider_library_posix.cc uses dlopen/dlsym; a Windows half (LoadLibrary/GetProcAddress) is a
// second .cc file with the same interface.
#ifndef SMAPI_PROVIDER_HOST_PROVIDER_LIBRARY_H_
#define SMAPI_PROVIDER_HOST_PROVIDER_LIBRARY_H_

#include <smapi/mapi.h>

#include <memory>
#include <string>

namespace smapi::host {

class ProviderLibrary {
 public:
  // Loads the library at `path` and resolves MAPILogon and MAPILogoff by name. On failure returns
  // null and sets *error to one line that says what is wrong (no such file, not a library, a
  // missing export), without the program's name.
  static std::unique_ptr<ProviderLibrary> Open(const std::string& path, std::string* error);
  ~ProviderLibrary();
  ProviderLibrary(const ProviderLibrary&) = delete;
  ProviderLibrary& operator=(const ProviderLibrary&) = delete;

  LPMAPILOGON logon() const { return logon_; }
  LPMAPILOGOFF logoff() const { return logoff_; }

 private:
  ProviderLibrary(void* module, LPMAPILOGON logon, LPMAPILOGOFF logoff)
      : module_(module), logon_(logon), logoff_(logoff) {}

  void* module_;  // The platform's module handle.
  LPMAPILOGON logon_;
  LPMAPILOGOFF logoff_;
};

}  // namespace smapi::host

#endif  // SMAPI_PROVIDER_HOST_PROVIDER_LIBRARY_H_
