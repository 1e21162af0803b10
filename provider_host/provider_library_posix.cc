#include <dlfcn.h>

#include <filesystem>
#include <system_error>

#include "provider_library.h"

namespace smapi::host {

std::unique_ptr<ProviderLibrary> ProviderLibrary::Open(const std::string& path,
                                                       std::string* error) {
  // dlopen searches the library path for a bare name; the runner is given a file, so look for
  // exactly that file and say so plainly when it is not there.
  std::error_code ec;
  const std::filesystem::path file(path);
  if (!std::filesystem::exists(file, ec)) {
    *error = path + ": no such file";
    return nullptr;
  }
  if (!std::filesystem::is_regular_file(file, ec)) {
    *error = path + ": not a regular file";
    return nullptr;
  }
  const std::string absolute = std::filesystem::absolute(file, ec).string();
  dlerror();
  void* module = dlopen(absolute.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    const char* why = dlerror();
    *error = path + ": not a loadable shared library (" + (why ? why : "dlopen failed") + ")";
    return nullptr;
  }
  void* logon = dlsym(module, "MAPILogon");
  void* logoff = dlsym(module, "MAPILogoff");
  if (logon == nullptr || logoff == nullptr) {
    *error = path + ": does not export " +
             (logon == nullptr && logoff == nullptr ? "MAPILogon or MAPILogoff"
              : logon == nullptr                    ? "MAPILogon"
                                                    : "MAPILogoff");
    dlclose(module);
    return nullptr;
  }
  return std::unique_ptr<ProviderLibrary>(new ProviderLibrary(
      module, reinterpret_cast<LPMAPILOGON>(logon), reinterpret_cast<LPMAPILOGOFF>(logoff)));
}

ProviderLibrary::~ProviderLibrary() { dlclose(module_); }

}  // namespace smapi::host
