#include "reproducer.h"

#include <cinttypes>
#include <cstdio>

namespace smapi::conform {
namespace {

std::string Hex(uint64_t value) {
  char text[32];
  std::snprintf(text, sizeof text, "%#" PRIx64 "ULL", value);
  return text;
}

// The program's fixed part: types as <smapi/mapi.h> declares them, and two checked calls.
constexpr char kPrelude[] = R"(#ifdef _WIN32
#include <windows.h>
#define dlopen(path, mode) ((void*)LoadLibraryA(path))
#define dlsym(library, name) ((void*)GetProcAddress((HMODULE)(library), name))
#define dlerror() "LoadLibraryA failed"
#else
#include <dlfcn.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint32_t MAPI_ULONG; /* <smapi/mapi.h>'s ULONG, named apart from <windows.h>'s. */
typedef uintptr_t MAPI_ULONG_PTR;
typedef MAPI_ULONG_PTR LHANDLE;
#define ULONG MAPI_ULONG
#define ULONG_PTR MAPI_ULONG_PTR
typedef ULONG (*LogonFn)(ULONG_PTR, char*, char*, ULONG, ULONG, LHANDLE*);
typedef ULONG (*LogoffFn)(LHANDLE, ULONG_PTR, ULONG, ULONG);

#define UNTOUCHED ((LHANDLE)0x0123456789abcdefULL)

static LogonFn logon;
static LogoffFn logoff;
static LHANDLE issued[%zu];
static int issued_count;
static int step;

static const char* Name(ULONG result) {
  switch (result) {
    case 0: return "SUCCESS_SUCCESS";
    case 1: return "MAPI_E_USER_ABORT";
    case 2: return "MAPI_E_FAILURE";
    case 3: return "MAPI_E_LOGIN_FAILURE";
    case 5: return "MAPI_E_INSUFFICIENT_MEMORY";
    case 8: return "MAPI_E_TOO_MANY_SESSIONS";
    case 19: return "MAPI_E_INVALID_SESSION";
    default: return "a code the contract never returns";
  }
}

static char* Copy(const char* text, char* buffer, size_t size) {
  if (text == NULL) return NULL;
  snprintf(buffer, size, "%%s", text);
  return buffer;
}

/* MAPILogon, checked: the result, *lplhSession untouched on failure, a new non-zero handle on
 * success. */
static inline void Logon(ULONG_PTR window, const char* profile, const char* password, ULONG flags,
                  ULONG reserved, int null_out, ULONG want) {
  char profile_buffer[256], password_buffer[256];
  LHANDLE handle = UNTOUCHED;
  ++step;
  ULONG got = logon(window, Copy(profile, profile_buffer, sizeof profile_buffer),
                    Copy(password, password_buffer, sizeof password_buffer), flags, reserved,
                    null_out ? NULL : &handle);
  if (got != want) {
    printf("step %%d: MAPILogon = %%s, the contract says %%s\n", step, Name(got), Name(want));
    exit(1);
  }
  if (got != 0) {
    if (!null_out && handle != UNTOUCHED) {
      printf("step %%d: a failed MAPILogon wrote %%#llx to *lplhSession\n", step,
             (unsigned long long)handle);
      exit(1);
    }
    return;
  }
  for (int i = 0; i < issued_count; ++i) {
    if (issued[i] == handle || handle == 0) {
      printf("step %%d: MAPILogon issued %%#llx, which is 0 or was issued before\n", step,
             (unsigned long long)handle);
      exit(1);
    }
  }
  issued[issued_count++] = handle;
}

static inline void Logoff(LHANDLE handle, ULONG_PTR window, ULONG flags, ULONG reserved, ULONG want) {
  ++step;
  ULONG got = logoff(handle, window, flags, reserved);
  if (got != want) {
    printf("step %%d: MAPILogoff(%%#llx) = %%s, the contract says %%s\n", step,
           (unsigned long long)handle, Name(got), Name(want));
    exit(1);
  }
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "%s";
  void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    printf("cannot load %%s: %%s\n", path, dlerror());
    return 2;
  }
  logon = (LogonFn)dlsym(library, "MAPILogon");
  logoff = (LogoffFn)dlsym(library, "MAPILogoff");
  if (logon == NULL || logoff == NULL) {
    printf("%%s does not export MAPILogon and MAPILogoff\n", path);
    return 2;
  }
)";

std::string CString(const std::string& text) {
  return fuzz::CLiteral(fuzz::CStringArg{false, text});
}

}  // namespace

std::string CProgram(const std::vector<fuzz::AbiCall>& calls, const std::string& provider,
                     const std::string& headline) {
  size_t logons = 1;
  for (const fuzz::AbiCall& call : calls) logons += call.logoff ? 0 : 1;
  std::string program =
      "/* " + headline +
      "\n * Build: cc -o repro repro.c -ldl (Windows: no -ldl); run: ./repro [PROVIDER]\n */\n";
  // The path goes into a C string: escape it as one, then drop the quotes the prelude has.
  std::string path = CString(provider);
  path = path.substr(1, path.size() - 2);
  std::vector<char> prelude(sizeof kPrelude + path.size() + 64);
  std::snprintf(prelude.data(), prelude.size(), kPrelude, logons, path.c_str());
  program += prelude.data();
  for (const fuzz::AbiCall& call : calls) {
    char args[96];
    if (call.logoff) {
      std::snprintf(args, sizeof args, ", %s, %#x, %#x, %u);\n", Hex(call.window).c_str(),
                    call.flags, call.reserved, call.expected);
      program += "  Logoff(" + fuzz::HandleExpression(call) + args;
    } else {
      std::snprintf(args, sizeof args, ", %#x, %#x, %d, %u);\n", call.flags, call.reserved,
                    call.null_out ? 1 : 0, call.expected);
      program += "  Logon(" + Hex(call.window) + ", " + fuzz::CLiteral(call.profile) + ", " +
                 fuzz::CLiteral(call.password) + args;
    }
  }
  program += "  printf(\"no failure: the provider kept the contract in all " +
             std::to_string(calls.size()) + " calls\\n\");\n  return 0;\n}\n";
  return program;
}

}  // namespace smapi::conform
