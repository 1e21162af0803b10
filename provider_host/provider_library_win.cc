// The Windows half of ProviderLibrary: LoadLibrary and GetProcAddress.
#include <windows.h>

#include <csignal>
#include <string>

#include "provider_library.h"

namespace smapi::host {
namespace {

// "error N: <the system's message>" for the calling thread's last error.
std::string LastErrorText() {
  const DWORD code = GetLastError();
  char* text = nullptr;
  const DWORD length = FormatMessageA(
      FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
      nullptr, code, 0, reinterpret_cast<char*>(&text), 0, nullptr);
  std::string message = "error " + std::to_string(code);
  if (length != 0 && text != nullptr) {
    std::string what(text, length);
    while (!what.empty() && (what.back() == '\n' || what.back() == '\r' || what.back() == ' ')) {
      what.pop_back();
    }
    message += ": " + what;
  }
  LocalFree(text);
  return message;
}

// GetProcAddress's FARPROC, through the one function pointer type that converts to any other
// without a cast-function-type warning.
template <typename Function>
Function Resolve(HMODULE module, const char* name) {
  return reinterpret_cast<Function>(reinterpret_cast<void (*)(void)>(GetProcAddress(module, name)));
}

// A crash ends the process at once with the exception's code, which RunChild reads back: no
// debugger (Wine starts winedbg by default) and no error report dialog.
LONG WINAPI ExitWithExceptionCode(EXCEPTION_POINTERS* exception) {
  TerminateProcess(GetCurrentProcess(), exception->ExceptionRecord->ExceptionCode);
  return EXCEPTION_EXECUTE_HANDLER;
}

// abort() in msvcrt.dll, the C runtime MinGW links, prints a line and exits with code 3, which
// would read as an exit. End the process as the Universal CRT's abort() does instead: a fail-fast
// exception, 0xC0000409, which reads as a crash.
void AbortAsCrash(int) { TerminateProcess(GetCurrentProcess(), 0xC0000409u); }

}  // namespace

std::unique_ptr<ProviderLibrary> ProviderLibrary::Open(const std::string& path,
                                                       std::string* error) {
  // As on POSIX, the runner is given a file: a bare name would search the DLL path instead. Wine's
  // own DLLs (mapi32.dll) have a file in C:\windows\system32 to name.
  const DWORD attributes = GetFileAttributesA(path.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    *error = path + ": no such file";
    return nullptr;
  }
  if ((attributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
    *error = path + ": not a regular file";
    return nullptr;
  }
  char absolute[MAX_PATH];
  const DWORD length = GetFullPathNameA(path.c_str(), sizeof absolute, absolute, nullptr);
  if (length == 0 || length >= sizeof absolute) {
    *error = path + ": path too long (" + LastErrorText() + ")";
    return nullptr;
  }
  // No "cannot load" dialog box: a failure is this function's one line. And from here on the
  // provider's code runs in this process (its DllMain first), so a crash is reported as one.
  SetErrorMode(GetErrorMode() | SEM_FAILCRITICALERRORS | SEM_NOOPENFILEERRORBOX);
  SetUnhandledExceptionFilter(ExitWithExceptionCode);
  std::signal(SIGABRT, AbortAsCrash);
  // The DLL's own dependencies are looked for beside it first.
  HMODULE module = LoadLibraryExA(absolute, nullptr, LOAD_WITH_ALTERED_SEARCH_PATH);
  if (module == nullptr) {
    *error = path + ": not a loadable shared library (" + LastErrorText() + ")";
    return nullptr;
  }
  const auto logon = Resolve<LPMAPILOGON>(module, "MAPILogon");
  const auto logoff = Resolve<LPMAPILOGOFF>(module, "MAPILogoff");
  if (logon == nullptr || logoff == nullptr) {
    *error = path + ": does not export " +
             (logon == nullptr && logoff == nullptr ? "MAPILogon or MAPILogoff"
              : logon == nullptr                    ? "MAPILogon"
                                                    : "MAPILogoff");
    FreeLibrary(module);
    return nullptr;
  }
  return std::unique_ptr<ProviderLibrary>(new ProviderLibrary(module, logon, logoff));
}

ProviderLibrary::~ProviderLibrary() { FreeLibrary(static_cast<HMODULE>(module_)); }

}  // namespace smapi::host
