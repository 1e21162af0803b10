#include "probe.h"

#include <cstdio>

#include "support/contract_model.h"

namespace smapi::conform {

std::string Hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "%#llx", static_cast<unsigned long long>(value));
  return text;
}

std::string Describe(const Text& text) { return text ? '"' + *text + '"' : "NULL"; }

std::string ResultText(ULONG result) {
  // The contract's codes by the fuzzers' names; anything else by its number.
  const std::string name = fuzz::ResultName(result);
  return name.starts_with("MAPI_") || name.starts_with("SUCCESS_")
             ? name
             : "result " + std::to_string(result);
}

std::string Probe::Name(LHANDLE handle) const {
  const auto it = issued_.find(handle);
  if (it != issued_.end()) return "h" + std::to_string(it->second);
  return Hex(handle);
}

ULONG Probe::Logon(const Text& profile, const Text& password, FLAGS flags, ULONG reserved,
                   LHANDLE* out, ULONG_PTR window, bool null_out) {
  // Writable copies: LPSTR is not const, and the provider must not see the caller's storage.
  std::string profile_copy = profile.value_or("");
  std::string password_copy = password.value_or("");
  LHANDLE handle = kUntouched;
  const ULONG result = target_.logon(window, profile ? profile_copy.data() : nullptr,
                                     password ? password_copy.data() : nullptr, flags, reserved,
                                     null_out ? nullptr : &handle);
  if (out != nullptr) *out = handle;
  return result;
}

ULONG Probe::Logoff(LHANDLE handle, FLAGS flags, ULONG reserved, ULONG_PTR window) {
  return target_.logoff(handle, window, flags, reserved);
}

namespace {

std::string LogonCall(const Text& profile, const Text& password, FLAGS flags, ULONG reserved,
                      ULONG_PTR window) {
  std::string call =
      "MAPILogon(" + Describe(profile) + ", " + Describe(password) + ", flags " + Hex(flags);
  if (reserved != 0) call += ", reserved " + Hex(reserved);
  if (window != 0) call += ", window " + Hex(window);
  return call + ")";
}

}  // namespace

LHANDLE Probe::MustLogon(const Text& profile, const Text& password, FLAGS flags) {
  LHANDLE handle = kUntouched;
  const ULONG got = Logon(profile, password, flags, 0, &handle);
  const std::string call = LogonCall(profile, password, flags, 0, 0);
  if (got != SUCCESS_SUCCESS) Fail(call + " = " + ResultText(got) + ", want SUCCESS_SUCCESS");
  if (handle == 0 || handle == kUntouched) Fail(call + " succeeded with handle " + Hex(handle));
  if (issued_.count(handle) != 0) Fail(call + " issued " + Name(handle) + " again");
  issued_.emplace(handle, issued_.size() + 1);
  return handle;
}

void Probe::MustFailLogon(ULONG want, const Text& profile, const Text& password, FLAGS flags,
                          ULONG reserved, ULONG_PTR window, bool check_untouched) {
  LHANDLE handle = kUntouched;
  const ULONG got = Logon(profile, password, flags, reserved, &handle, window);
  const std::string call = LogonCall(profile, password, flags, reserved, window);
  if (got != want) {
    // Hand a wrongly issued handle back, so the next calls meet the state they expect.
    if (got == SUCCESS_SUCCESS) Logoff(handle);
    Fail(call + " = " + ResultText(got) + ", want " + ResultText(want));
  }
  if (check_untouched && handle != kUntouched) {
    Fail(call + " = " + ResultText(got) + " but wrote " + Hex(handle) + " to *lplhSession");
  }
}

void Probe::MustLogoff(ULONG want, LHANDLE handle, FLAGS flags, ULONG reserved, ULONG_PTR window) {
  const ULONG got = Logoff(handle, flags, reserved, window);
  if (got == want) return;
  std::string call = "MAPILogoff(" + Name(handle);
  if (flags != 0) call += ", flags " + Hex(flags);
  if (reserved != 0) call += ", reserved " + Hex(reserved);
  if (window != 0) call += ", window " + Hex(window);
  Fail(call + ") = " + ResultText(got) + ", want " + ResultText(want));
}

bool Probe::SharedSessionExists() {
  LHANDLE handle = kUntouched;
  const ULONG got = Logon(kNull, kNull, 0, 0, &handle);
  if (got == SUCCESS_SUCCESS) {
    const ULONG off = Logoff(handle);
    if (off != SUCCESS_SUCCESS) {
      Fail("MAPILogoff of the handle MAPILogon(NULL, NULL, 0) just issued = " + ResultText(off));
    }
    return true;
  }
  if (got != MAPI_E_LOGIN_FAILURE) {
    Fail("MAPILogon(NULL, NULL, flags 0) = " + ResultText(got) +
         ", want SUCCESS_SUCCESS or MAPI_E_LOGIN_FAILURE");
  }
  return false;
}

void Probe::MustHaveShared(bool want, const char* why) {
  if (SharedSessionExists() == want) return;
  Fail(std::string(why) + ": MAPILogon(NULL, NULL, flags 0) = " +
       (want ? "MAPI_E_LOGIN_FAILURE, want SUCCESS_SUCCESS (no shared session)"
             : "SUCCESS_SUCCESS, want MAPI_E_LOGIN_FAILURE (a shared session exists)"));
}

}  // namespace smapi::conform
