#include "rows.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "probe.h"
#include "provider_host/provider_library.h"

namespace smapi::conform {
namespace {

constexpr FLAGS kNew = MAPI_NEW_SESSION;
const Text kUnknownProfile = std::string("smapi-conform-no-such-profile");
// Window parameters: small, 32-bit, and ones that need all 64 bits.
constexpr ULONG_PTR kWindows[] = {1,
                                  0xffff,
                                  0xffffffff,
                                  ULONG_PTR{1} << 32,
                                  0xa5a5a5a5deadbeefULL,
                                  ~ULONG_PTR{0},
                                  ULONG_PTR{1} << 63};

// Passwords that must not log on to the known profile: one byte more, one byte less (a prefix),
// empty and NULL (when the password is not empty), and one differing in case.
std::vector<Text> WrongPasswords(const std::string& password) {
  std::vector<Text> wrong = {password + "x"};
  if (!password.empty()) {
    wrong.push_back(password.substr(0, password.size() - 1));
    wrong.push_back(std::string());
    wrong.push_back(kNull);
  }
  std::string flipped = password;
  for (char& c : flipped) c = std::isupper(c) ? std::tolower(c) : std::toupper(c);
  if (flipped != password) wrong.push_back(flipped);
  return wrong;
}

// With a shared and a private session live, logs off each handle `forge` makes of their two
// handles (none of which may be live) and wants MAPI_E_INVALID_SESSION; then ends both.
void BesideTwoLive(Probe& p, const std::function<std::vector<LHANDLE>(LHANDLE, LHANDLE)>& forge) {
  const LHANDLE shared = p.MustLogon(0);
  const LHANDLE mine = p.MustLogon(kNew);
  for (LHANDLE handle : forge(shared, mine)) {
    if (handle != shared && handle != mine) p.MustLogoff(MAPI_E_INVALID_SESSION, handle);
  }
  p.MustLogoff(SUCCESS_SUCCESS, shared);
  p.MustLogoff(SUCCESS_SUCCESS, mine);
}

RowResult Passed(std::string observed) { return {Verdict::kPass, std::move(observed)}; }

// F1 -------------------------------------------------------------------------------------------
RowResult NonZeroFlagsFail(const Target& target) {
  Probe p(target);
  const LHANDLE h = p.MustLogon(kNew);
  for (FLAGS flags : std::initializer_list<FLAGS>{0x1u, 0x2u, 0x1000u, 0x80000000u, 0xffffffffu}) {
    p.MustLogoff(MAPI_E_FAILURE, h, flags);
    p.MustLogoff(MAPI_E_FAILURE, 0, flags);  // F1 comes before the handle is looked at.
  }
  p.MustLogoff(SUCCESS_SUCCESS, h);  // Nothing changed: the handle is still live.
  return Passed(
      "MAPI_E_FAILURE for 5 flag values, on a live handle and on 0; the live handle "
      "then logged off");
}

// F2 -------------------------------------------------------------------------------------------
RowResult NonZeroReservedFails(const Target& target) {
  Probe p(target);
  const LHANDLE h = p.MustLogon(kNew);
  for (ULONG reserved : std::initializer_list<ULONG>{0x1u, 0x80000000u, 0xffffffffu}) {
    p.MustLogoff(MAPI_E_FAILURE, h, 0, reserved);
    p.MustLogoff(MAPI_E_FAILURE, 0, 0, reserved);
  }
  p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed(
      "MAPI_E_FAILURE for 3 reserved values, on a live handle and on 0; the live "
      "handle then logged off");
}

// F3a ------------------------------------------------------------------------------------------
RowResult ZeroHandleIsInvalid(const Target& target) {
  Probe p(target);
  p.MustLogoff(MAPI_E_INVALID_SESSION, 0);  // A fresh provider: every slot free.
  const LHANDLE h = p.MustLogon(0);
  p.MustLogoff(MAPI_E_INVALID_SESSION, 0);
  p.MustLogoff(SUCCESS_SUCCESS, h);
  p.MustLogoff(MAPI_E_INVALID_SESSION, 0);  // Its slot is free again.
  p.MustHaveShared(false, "after logging off 0 three times and h1 once");
  return Passed(
      "MAPI_E_INVALID_SESSION on a fresh provider, with a session live, and after it "
      "ended");
}

// F3b ------------------------------------------------------------------------------------------
RowResult NeverIssuedHandleIsInvalid(const Target& target) {
  Probe p(target);
  const std::vector<LHANDLE> forged = {1,
                                       2,
                                       0xdeadbeef,
                                       0xffffffff,
                                       ULONG_PTR{1} << 32,
                                       0x0123456789abcdefULL,
                                       ULONG_PTR{1} << 63,
                                       ~ULONG_PTR{0}};
  for (LHANDLE handle : forged) p.MustLogoff(MAPI_E_INVALID_SESSION, handle);
  BesideTwoLive(p, [&](LHANDLE, LHANDLE) { return forged; });
  return Passed(
      "MAPI_E_INVALID_SESSION for 8 never-issued values, on a fresh provider and with "
      "two sessions live; both then logged off");
}

// F3c ------------------------------------------------------------------------------------------
RowResult DoubleLogoffIsInvalid(const Target& target) {
  Probe p(target);
  const LHANDLE h = p.MustLogon(kNew);
  const LHANDLE shared = p.MustLogon(0);
  p.MustLogoff(SUCCESS_SUCCESS, h);
  p.MustLogoff(MAPI_E_INVALID_SESSION, h);
  p.MustLogoff(MAPI_E_INVALID_SESSION, h);
  p.MustLogoff(SUCCESS_SUCCESS, shared);
  p.MustLogoff(MAPI_E_INVALID_SESSION, shared);
  p.MustHaveShared(false, "after the shared session's only handle was logged off twice");
  return Passed(
      "the second and third logoff of a private handle, and the second of the shared "
      "session's handle, MAPI_E_INVALID_SESSION");
}

// F3d ------------------------------------------------------------------------------------------
RowResult StaleHandleAfterSlotReuseIsInvalid(const Target& target) {
  Probe p(target);
  // One more logon and logoff than there are slots: whatever order the provider reuses slots in,
  // some slot has been reused by the end.
  std::vector<LHANDLE> ended;
  for (uint32_t i = 0; i <= p.capacity(); ++i) {
    const LHANDLE h = p.MustLogon(kNew);
    p.MustLogoff(SUCCESS_SUCCESS, h);
    ended.push_back(h);
  }
  const LHANDLE live = p.MustLogon(kNew);
  for (LHANDLE h : ended) p.MustLogoff(MAPI_E_INVALID_SESSION, h);
  p.MustLogoff(SUCCESS_SUCCESS, live);  // The reused slot's new session stayed live.
  return Passed(std::to_string(ended.size()) +
                " logged-off handles (more than the capacity) MAPI_E_INVALID_SESSION; the live "
                "one then logged off");
}

// F3e ------------------------------------------------------------------------------------------
RowResult EveryBitFlipIsInvalid(const Target& target) {
  Probe p(target);
  BesideTwoLive(p, [](LHANDLE shared, LHANDLE mine) {
    std::vector<LHANDLE> flipped;
    for (LHANDLE h : {shared, mine}) {
      for (int bit = 0; bit < 64; ++bit) flipped.push_back(h ^ (ULONG_PTR{1} << bit));
    }
    return flipped;
  });
  return Passed(
      "all 128 single-bit flips of two live handles MAPI_E_INVALID_SESSION; both then "
      "logged off");
}

// F3f ------------------------------------------------------------------------------------------
RowResult TruncatedHandleIsInvalid(const Target& target) {
  Probe p(target);
  std::vector<LHANDLE> live;
  int checked = 0;
  for (int i = 0; i < 8; ++i) live.push_back(p.MustLogon(kNew));
  auto is_live = [&](LHANDLE h) { return std::find(live.begin(), live.end(), h) != live.end(); };
  for (LHANDLE h : live) {
    const LHANDLE cut = h & 0xffffffffULL;
    const LHANDLE swapped = (h << 32) | (h >> 32);
    for (LHANDLE variant : {cut, swapped}) {
      if (variant == h || is_live(variant)) continue;
      p.MustLogoff(MAPI_E_INVALID_SESSION, variant);
      ++checked;
    }
  }
  if (checked == 0) p.Fail("8 handles, none using the high 32 bits (H1: handles are 64-bit)");
  for (LHANDLE h : live) p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed(std::to_string(checked) +
                " cut or half-swapped live handles MAPI_E_INVALID_SESSION; all 8 then logged off");
}

// F5 -------------------------------------------------------------------------------------------
RowResult SuccessInvalidatesHandleForever(const Target& target) {
  Probe p(target);
  const LHANDLE h = p.MustLogon(kNew);
  p.MustLogoff(SUCCESS_SUCCESS, h);
  for (int i = 0; i < 100; ++i) {
    const LHANDLE other = p.MustLogon(i % 2 ? kNew : 0);
    p.MustLogoff(MAPI_E_INVALID_SESSION, h);
    p.MustLogoff(SUCCESS_SUCCESS, other);
  }
  return Passed("SUCCESS_SUCCESS, then MAPI_E_INVALID_SESSION after each of 100 later logons");
}

// F6 -------------------------------------------------------------------------------------------
RowResult WindowParamNeverChangesResult(const Target& target) {
  Probe p(target);
  const LHANDLE keep = p.MustLogon(kNew);
  for (ULONG_PTR window : kWindows) {
    const LHANDLE h = p.MustLogon(kNew);
    p.MustLogoff(MAPI_E_FAILURE, h, 1, 0, window);
    p.MustLogoff(MAPI_E_FAILURE, h, 0, 1, window);
    p.MustLogoff(SUCCESS_SUCCESS, h, 0, 0, window);
    p.MustLogoff(MAPI_E_INVALID_SESSION, h, 0, 0, window);
    p.MustLogoff(MAPI_E_INVALID_SESSION, 0, 0, 0, window);
  }
  p.MustLogoff(SUCCESS_SUCCESS, keep, 0, 0, ~ULONG_PTR{0});
  return Passed("7 window values: the same results as with 0, on live, logged-off and 0 handles");
}

// F7 -------------------------------------------------------------------------------------------
RowResult SharedSessionEndsWithLastHandle(const Target& target) {
  Probe p(target);
  const LHANDLE h1 = p.MustLogon(0);                // Creates the shared session.
  const LHANDLE h2 = p.MustLogon(0);                // Joins it by profile.
  const LHANDLE h3 = p.MustLogon(kNull, kNull, 0);  // Joins it by NULL profile.
  p.MustLogoff(SUCCESS_SUCCESS, h1);
  p.MustHaveShared(true, "after logging off h1 of three handles onto the shared session");
  p.MustLogoff(SUCCESS_SUCCESS, h3);
  p.MustHaveShared(true, "after logging off h1 and h3, with h2 still live");
  p.MustLogoff(SUCCESS_SUCCESS, h2);
  p.MustHaveShared(false, "after logging off all three handles");
  return Passed("each handle ended alone; the shared session ended with the last of three");
}

// N1 -------------------------------------------------------------------------------------------
RowResult NullOutPointerFails(const Target& target) {
  Probe p(target);
  for (FLAGS flags : {FLAGS{0}, kNew}) {
    const ULONG got = p.Logon(p.profile(), p.password(), flags, 0, nullptr, 0, true);
    if (got != MAPI_E_FAILURE) {
      p.Fail("MAPILogon(known profile, flags " + Hex(flags) +
             ", lplhSession NULL) = " + ResultText(got) + ", want MAPI_E_FAILURE");
    }
  }
  p.MustHaveShared(false, "after two logons with lplhSession NULL");
  return Passed(
      "MAPI_E_FAILURE with good credentials, with and without MAPI_NEW_SESSION; no "
      "session was created");
}

// N2 -------------------------------------------------------------------------------------------
RowResult NonZeroReservedLogonFails(const Target& target) {
  Probe p(target);
  for (ULONG reserved : std::initializer_list<ULONG>{0x1u, 0x80000000u, 0xffffffffu}) {
    p.MustFailLogon(MAPI_E_FAILURE, p.profile(), p.password(), 0, reserved);
    p.MustFailLogon(MAPI_E_FAILURE, p.profile(), p.password(), kNew, reserved);
  }
  p.MustHaveShared(false, "after six logons with reserved != 0");
  return Passed(
      "MAPI_E_FAILURE for 3 reserved values with good credentials; no session was "
      "created");
}

// N3 -------------------------------------------------------------------------------------------
RowResult UnknownFlagBitsFail(const Target& target) {
  Probe p(target);
  int count = 0;
  for (FLAGS flags :
       std::initializer_list<FLAGS>{MAPI_DIALOG, MAPI_EXTENDED, 0x4u, 0x10u, 0x40000u, 0x80000000u,
                                    MAPI_DIALOG | MAPI_NEW_SESSION, ~FLAGS{0}}) {
    p.MustFailLogon(MAPI_E_FAILURE, p.profile(), p.password(), flags);
    ++count;
  }
  p.MustHaveShared(false, "after logons with unknown flag bits");
  return Passed("MAPI_E_FAILURE for " + std::to_string(count) +
                " flag values with an unknown bit (MAPI_DIALOG, MAPI_EXTENDED among them)");
}

// N4 -------------------------------------------------------------------------------------------
RowResult LogonUiWithPasswordUiFails(const Target& target) {
  Probe p(target);
  const FLAGS both = MAPI_LOGON_UI | MAPI_PASSWORD_UI;
  p.MustFailLogon(MAPI_E_FAILURE, p.profile(), p.password(), both);
  p.MustFailLogon(MAPI_E_FAILURE, p.profile(), p.password(), both | kNew);
  p.MustFailLogon(MAPI_E_FAILURE, kNull, kNull, both);
  p.MustHaveShared(false, "after logons with MAPI_LOGON_UI | MAPI_PASSWORD_UI");
  return Passed("MAPI_E_FAILURE with good credentials and with a NULL profile");
}

// N5 -------------------------------------------------------------------------------------------
RowResult NullProfileJoinsSharedSession(const Target& target) {
  Probe p(target);
  const LHANDLE h1 = p.MustLogon(0);
  const LHANDLE h2 = p.MustLogon(kNull, kNull, 0);
  const LHANDLE h3 = p.MustLogon(kNull, std::string("smapi-conform-wrong"), 0);  // No check.
  const LHANDLE h4 = p.MustLogon(kNull, kNull, MAPI_LOGON_UI);  // Joins without a dialog.
  p.MustLogoff(SUCCESS_SUCCESS, h1);
  p.MustHaveShared(true, "after logging off the handle that created the shared session");
  for (LHANDLE h : {h2, h3, h4}) p.MustLogoff(SUCCESS_SUCCESS, h);
  p.MustHaveShared(false, "after logging off every handle onto the shared session");
  return Passed(
      "three NULL-profile logons (any password, MAPI_LOGON_UI too) joined the shared "
      "session and kept it alive");
}

// N6 -------------------------------------------------------------------------------------------
RowResult NullProfileWithoutSharedSessionFails(const Target& target) {
  Probe p(target);
  for (FLAGS flags : {FLAGS{0}, FLAGS{MAPI_FORCE_DOWNLOAD}, FLAGS{MAPI_PASSWORD_UI}}) {
    p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kNull, kNull, flags);
    p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kNull, p.password(), flags);
  }
  const LHANDLE mine = p.MustLogon(kNew);  // A private session is not a shared one.
  p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kNull, kNull, 0);
  p.MustLogoff(SUCCESS_SUCCESS, mine);
  return Passed(
      "MAPI_E_LOGIN_FAILURE with flags 0, MAPI_FORCE_DOWNLOAD, MAPI_PASSWORD_UI, on a "
      "fresh provider and beside a private session");
}

// N7 -------------------------------------------------------------------------------------------
RowResult NullProfileNewSessionUsesDefaultProfile(const Target& target) {
  if (target.profile != "default") {
    return {Verdict::kNotObservable,
            "the default profile's password is known only when --profile is default"};
  }
  Probe p(target);
  const LHANDLE h = p.MustLogon(kNull, p.password(), kNew);
  p.MustHaveShared(false, "after MAPILogon(NULL, password, MAPI_NEW_SESSION)");
  for (const Text& wrong : WrongPasswords(p.password())) {
    p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kNull, wrong, kNew);
  }
  p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed(
      "a private session with the default profile's password; wrong passwords "
      "MAPI_E_LOGIN_FAILURE");
}

// N8 -------------------------------------------------------------------------------------------
RowResult BadCredentialsWithoutUiFail(const Target& target) {
  Probe p(target);
  int count = 0;
  for (FLAGS flags : {FLAGS{0}, kNew, FLAGS{MAPI_FORCE_DOWNLOAD}}) {
    p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kUnknownProfile, p.password(), flags);
    ++count;
    for (const Text& wrong : WrongPasswords(p.password())) {
      p.MustFailLogon(MAPI_E_LOGIN_FAILURE, p.profile(), wrong, flags);
      ++count;
    }
  }
  std::string other_case = p.profile();
  for (char& c : other_case) c = std::isupper(c) ? std::tolower(c) : std::toupper(c);
  if (other_case != p.profile()) {  // Profile names compare exactly (a choice).
    p.MustFailLogon(MAPI_E_LOGIN_FAILURE, other_case, p.password(), 0);
    ++count;
  }
  p.MustHaveShared(false, "after logons with bad credentials");
  return Passed(std::to_string(count) +
                " logons with an unknown profile or a wrong password MAPI_E_LOGIN_FAILURE");
}

// N9 -------------------------------------------------------------------------------------------
RowResult PasswordUiCannotFixUnknownProfile(const Target& target) {
  Probe p(target);
  p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kUnknownProfile, p.password(), MAPI_PASSWORD_UI);
  p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kUnknownProfile, kNull, MAPI_PASSWORD_UI | kNew);
  p.MustHaveShared(false, "after MAPI_PASSWORD_UI logons on an unknown profile");
  return Passed("MAPI_E_LOGIN_FAILURE, with and without MAPI_NEW_SESSION");
}

// N14 ------------------------------------------------------------------------------------------
RowResult SameProfileJoinsSharedSession(const Target& target) {
  Probe p(target);
  const LHANDLE h1 = p.MustLogon(0);
  const LHANDLE h2 = p.MustLogon(0);
  p.MustLogoff(SUCCESS_SUCCESS, h1);
  p.MustHaveShared(true, "after logging off h1, with h2 (which joined) still live");
  p.MustLogoff(SUCCESS_SUCCESS, h2);
  p.MustHaveShared(false, "after logging off h1 and h2");
  return Passed(
      "the second logon got its own handle onto the same session, which outlived the "
      "first handle and ended with the second");
}

// N16 ------------------------------------------------------------------------------------------
RowResult FirstLogonCreatesSharedSession(const Target& target) {
  Probe p(target);
  p.MustHaveShared(false, "on a fresh provider");
  const LHANDLE h = p.MustLogon(0);
  p.MustHaveShared(true, "after the first logon with good credentials and no MAPI_NEW_SESSION");
  p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed("a new session, which a NULL-profile logon then joined");
}

// N17 ------------------------------------------------------------------------------------------
RowResult NewSessionIsPrivate(const Target& target) {
  Probe p(target);
  const LHANDLE mine = p.MustLogon(kNew);
  p.MustHaveShared(false, "after a MAPI_NEW_SESSION logon");
  const LHANDLE shared = p.MustLogon(0);  // A new shared session, not the private one.
  p.MustLogoff(SUCCESS_SUCCESS, shared);
  p.MustHaveShared(false, "after the shared session's only handle ended, with a private one live");
  p.MustLogoff(SUCCESS_SUCCESS, mine);
  return Passed("a session no NULL-profile logon joined; the next plain logon made its own");
}

// N18 ------------------------------------------------------------------------------------------
RowResult FullTableIsTooManySessions(const Target& target) {
  Probe p(target);
  std::vector<LHANDLE> live;
  live.reserve(p.capacity());
  for (uint32_t i = 0; i < p.capacity(); ++i) live.push_back(p.MustLogon(i == 0 ? 0 : kNew));
  const std::string full = " with " + std::to_string(p.capacity()) + " handles live";
  LHANDLE handle = kUntouched;
  ULONG got = p.Logon(p.profile(), p.password(), kNew, 0, &handle);
  if (got != MAPI_E_TOO_MANY_SESSIONS) {
    p.Fail("MAPILogon(MAPI_NEW_SESSION)" + full + " = " + ResultText(got) +
           ", want MAPI_E_TOO_MANY_SESSIONS (a capacity other than --capacity?)");
  }
  p.MustFailLogon(MAPI_E_TOO_MANY_SESSIONS, p.profile(), p.password(), 0);  // Joining needs one.
  p.MustFailLogon(MAPI_E_TOO_MANY_SESSIONS, kNull, kNull, 0);
  // Credentials come before capacity.
  p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kUnknownProfile, p.password(), kNew);
  p.MustLogoff(SUCCESS_SUCCESS, live.back());
  live.back() = p.MustLogon(kNew);  // One slot free again.
  for (LHANDLE h : live) p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed("MAPI_E_TOO_MANY_SESSIONS" + full +
                " (bad credentials still MAPI_E_LOGIN_FAILURE); one logoff made room for one");
}

// N20 ------------------------------------------------------------------------------------------
RowResult ForceDownloadIsAcceptedAndIgnored(const Target& target) {
  Probe p(target);
  const LHANDLE shared = p.MustLogon(MAPI_FORCE_DOWNLOAD);
  p.MustHaveShared(true, "after a MAPI_FORCE_DOWNLOAD logon");
  const LHANDLE mine = p.MustLogon(MAPI_FORCE_DOWNLOAD | kNew);
  p.MustFailLogon(MAPI_E_LOGIN_FAILURE, kUnknownProfile, p.password(), MAPI_FORCE_DOWNLOAD | kNew);
  p.MustLogoff(SUCCESS_SUCCESS, shared);
  p.MustHaveShared(false, "after the shared handle ended, with the MAPI_NEW_SESSION one live");
  p.MustLogoff(SUCCESS_SUCCESS, mine);
  return Passed("shared and private sessions as without the flag; bad credentials still fail");
}

// N22 ------------------------------------------------------------------------------------------
RowResult FailureNeverWritesHandle(const Target& target) {
  Probe p(target);
  const bool untouched = true;
  int count = 0;
  auto must = [&](ULONG want, const Text& profile, const Text& password, FLAGS flags,
                  ULONG reserved = 0) {
    p.MustFailLogon(want, profile, password, flags, reserved, 0, untouched);
    ++count;
  };
  must(MAPI_E_FAILURE, p.profile(), p.password(), 0, 1);                              // N2
  must(MAPI_E_FAILURE, p.profile(), p.password(), MAPI_DIALOG);                       // N3
  must(MAPI_E_FAILURE, p.profile(), p.password(), MAPI_LOGON_UI | MAPI_PASSWORD_UI);  // N4
  must(MAPI_E_LOGIN_FAILURE, kNull, kNull, 0);                                        // N6
  must(MAPI_E_LOGIN_FAILURE, kUnknownProfile, p.password(), 0);                       // N8
  for (const Text& wrong : WrongPasswords(p.password())) {
    must(MAPI_E_LOGIN_FAILURE, p.profile(), wrong, kNew);
  }
  must(MAPI_E_LOGIN_FAILURE, kUnknownProfile, kNull, MAPI_PASSWORD_UI);  // N9
  const LHANDLE h = p.MustLogon(0);
  must(MAPI_E_FAILURE, kNull, kNull, 0, 1);  // With a shared session to join.
  p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed(std::to_string(count) +
                " failed logons (N2-N4, N6, N8, N9) left *lplhSession "
                "as it was");
}

// H1 -------------------------------------------------------------------------------------------
RowResult NeverZeroNeverReissued(const Target& target) {
  Probe p(target);
  // MustLogon checks every handle: not 0, never issued before. Keep a few live while cycling
  // through more logons than there are slots, twice over.
  std::vector<LHANDLE> live;
  const uint64_t rounds = 2 * uint64_t{p.capacity()} + 16;
  for (uint64_t i = 0; i < rounds; ++i) {
    live.push_back(p.MustLogon(i % 3 == 0 ? 0 : kNew));
    if (live.size() > 8) {
      p.MustLogoff(SUCCESS_SUCCESS, live.front());
      live.erase(live.begin());
    }
  }
  for (LHANDLE h : live) p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed(std::to_string(rounds) + " handles, none 0, none issued twice");
}

// H4 -------------------------------------------------------------------------------------------
// A second copy of the library file loads as a second, independent provider.
RowResult ProvidersAreIndependent(const Target& target) {
  if (target.one_instance) {
    return {Verdict::kNotObservable,
            "told --one-instance: the library forwards to one provider per process, so a second "
            "copy is not a second provider"};
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path copy =
      fs::temp_directory_path(ec) / ("smapi-conform-" + std::to_string(std::random_device{}()) +
                                     "-" + fs::path(target.library).filename().string());
  if (!fs::copy_file(target.library, copy, fs::copy_options::overwrite_existing, ec)) {
    return {Verdict::kNotObservable,
            "could not copy the library for a second instance: " + ec.message()};
  }
  std::string error;
  std::unique_ptr<host::ProviderLibrary> second =
      host::ProviderLibrary::Open(copy.string(), &error);
  fs::remove(copy, ec);
  if (!second) return {Verdict::kNotObservable, "a second instance did not load: " + error};
  Target other = target;
  other.logon = second->logon();
  other.logoff = second->logoff();
  Probe a(target);
  Probe b(other);
  const LHANDLE ha = a.MustLogon(0);
  const LHANDLE hb = b.MustLogon(0);
  if (ha == hb) a.Fail("both instances issued " + Hex(ha) + " as their first handle");
  const ULONG a_in_b = b.Logoff(ha);
  if (a_in_b != MAPI_E_INVALID_SESSION) {
    a.Fail("instance B: MAPILogoff(A's live handle) = " + ResultText(a_in_b) +
           ", want MAPI_E_INVALID_SESSION");
  }
  const ULONG b_in_a = a.Logoff(hb);
  if (b_in_a != MAPI_E_INVALID_SESSION) {
    a.Fail("instance A: MAPILogoff(B's live handle) = " + ResultText(b_in_a) +
           ", want MAPI_E_INVALID_SESSION");
  }
  a.MustLogoff(SUCCESS_SUCCESS, ha);
  b.MustLogoff(SUCCESS_SUCCESS, hb);
  return Passed("two loaded copies issued different first handles, each invalid in the other");
}

// H5 -------------------------------------------------------------------------------------------
RowResult EveryLogonGetsItsOwnHandle(const Target& target) {
  Probe p(target);
  std::vector<LHANDLE> handles;  // MustLogon fails on any handle issued twice.
  for (int i = 0; i < 3; ++i) handles.push_back(p.MustLogon(0));
  for (int i = 0; i < 3; ++i) handles.push_back(p.MustLogon(kNull, kNull, 0));
  for (LHANDLE h : handles) p.MustLogoff(SUCCESS_SUCCESS, h);
  return Passed("six logons onto the shared session, six different handles");
}

constexpr char kUiHost[] =
    "needs a scripted UI host: through the C ABI the provider shows no dialog the runner could "
    "answer";

constexpr char kTeardown[] =
    "needs calls racing the library's own static destruction at exit or dlclose(), whose order "
    "against the caller's is the loader's, and freed memory that no result shows";

}  // namespace

const char* VerdictText(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kCrashed:
      return "crashed";
    case Verdict::kHung:
      return "hung";
    case Verdict::kNotObservable:
      return "not observable";
  }
  return "?";
}

const std::vector<Row>& ContractRows() {
  static const std::vector<Row> rows = {
      {"F1", "MAPILogoff with flFlags != 0", "MAPI_E_FAILURE, nothing changes", NonZeroFlagsFail,
       nullptr},
      {"F2", "MAPILogoff with ulReserved != 0", "MAPI_E_FAILURE, nothing changes",
       NonZeroReservedFails, nullptr},
      {"F3a", "MAPILogoff(0)", "MAPI_E_INVALID_SESSION", ZeroHandleIsInvalid, nullptr},
      {"F3b", "MAPILogoff of a handle never issued", "MAPI_E_INVALID_SESSION",
       NeverIssuedHandleIsInvalid, nullptr},
      {"F3c", "MAPILogoff of a handle already logged off", "MAPI_E_INVALID_SESSION",
       DoubleLogoffIsInvalid, nullptr},
      {"F3d", "MAPILogoff of a stale handle whose slot was reused",
       "MAPI_E_INVALID_SESSION; the slot's new session stays live",
       StaleHandleAfterSlotReuseIsInvalid, nullptr},
      {"F3e", "MAPILogoff of a live handle with one bit flipped", "MAPI_E_INVALID_SESSION",
       EveryBitFlipIsInvalid, nullptr},
      {"F3f", "MAPILogoff of a live handle cut to 32 bits or with its halves swapped",
       "MAPI_E_INVALID_SESSION", TruncatedHandleIsInvalid, nullptr},
      {"F4", "MAPILogoff when ending the session cannot allocate",
       "MAPI_E_INSUFFICIENT_MEMORY, the session stays live", nullptr,
       "needs an allocation to fail inside the provider, which the C ABI cannot arrange"},
      {"F5", "MAPILogoff of a live handle", "SUCCESS_SUCCESS; the handle is invalid forever",
       SuccessInvalidatesHandleForever, nullptr},
      {"F6", "MAPILogoff with any ulUIParam", "the same result as without it",
       WindowParamNeverChangesResult, nullptr},
      {"F7", "MAPILogoff of one handle onto the shared session",
       "SUCCESS_SUCCESS; the session ends with its last handle", SharedSessionEndsWithLastHandle,
       nullptr},
      {"F8", "two threads log off the same handle at once",
       "exactly one SUCCESS_SUCCESS, one MAPI_E_INVALID_SESSION", nullptr,
       "needs a race: one deterministic call sequence cannot make two logoffs overlap"},
      {"N1", "MAPILogon with lplhSession NULL", "MAPI_E_FAILURE", NullOutPointerFails, nullptr},
      {"N2", "MAPILogon with ulReserved != 0", "MAPI_E_FAILURE", NonZeroReservedLogonFails,
       nullptr},
      {"N3", "MAPILogon with a flag bit outside the four known ones", "MAPI_E_FAILURE",
       UnknownFlagBitsFail, nullptr},
      {"N4", "MAPILogon with MAPI_LOGON_UI | MAPI_PASSWORD_UI", "MAPI_E_FAILURE",
       LogonUiWithPasswordUiFails, nullptr},
      {"N5", "NULL profile, no MAPI_NEW_SESSION, a shared session exists",
       "a new handle onto the shared session", NullProfileJoinsSharedSession, nullptr},
      {"N6", "NULL profile, no MAPI_NEW_SESSION or MAPI_LOGON_UI, no shared session",
       "MAPI_E_LOGIN_FAILURE", NullProfileWithoutSharedSessionFails, nullptr},
      {"N7", "NULL profile with MAPI_NEW_SESSION", "a new session on the default profile",
       NullProfileNewSessionUsesDefaultProfile, nullptr},
      {"N8", "unknown profile or wrong password, no UI flag", "MAPI_E_LOGIN_FAILURE",
       BadCredentialsWithoutUiFail, nullptr},
      {"N9", "MAPI_PASSWORD_UI with an unknown profile", "MAPI_E_LOGIN_FAILURE",
       PasswordUiCannotFixUnknownProfile, nullptr},
      {"N10", "bad credentials, a UI flag, the UI host cancels", "MAPI_E_USER_ABORT", nullptr,
       kUiHost},
      {"N11", "bad credentials, a UI flag, the host answers good credentials",
       "success on the answered profile", nullptr, kUiHost},
      {"N12", "bad credentials, a UI flag, the host answers bad credentials",
       "MAPI_E_LOGIN_FAILURE", nullptr, kUiHost},
      {"N13", "bad credentials, a UI flag, no dialog can be shown", "MAPI_E_LOGIN_FAILURE", nullptr,
       "needs to know that the provider is headless: from outside, a dialog that never returns "
       "cannot be told from one that cannot be shown"},
      {"N14", "good credentials, a shared session for the same profile", "a new handle onto it",
       SameProfileJoinsSharedSession, nullptr},
      {"N15", "good credentials, a shared session for another profile", "MAPI_E_LOGIN_FAILURE",
       nullptr, "needs a second profile with known credentials; the runner is told of one"},
      {"N16", "good credentials, no MAPI_NEW_SESSION, no shared session",
       "a new session, which becomes the shared one", FirstLogonCreatesSharedSession, nullptr},
      {"N17", "good credentials with MAPI_NEW_SESSION", "a new private session",
       NewSessionIsPrivate, nullptr},
      {"N18", "every handle slot is live (--capacity, default 4096)", "MAPI_E_TOO_MANY_SESSIONS",
       FullTableIsTooManySessions, nullptr},
      {"N19", "MAPILogon when an allocation fails", "MAPI_E_INSUFFICIENT_MEMORY, no state change",
       nullptr, "needs an allocation to fail inside the provider, which the C ABI cannot arrange"},
      {"N20", "MAPI_FORCE_DOWNLOAD", "accepted, no effect", ForceDownloadIsAcceptedAndIgnored,
       nullptr},
      {"N21", "the UI host receives ulUIParam unchanged", "the same window value", nullptr,
       kUiHost},
      {"N22", "any failed MAPILogon", "*lplhSession untouched", FailureNeverWritesHandle, nullptr},
      {"N23", "the UI host throws an exception", "MAPI_E_FAILURE, no state change", nullptr,
       kUiHost},
      {"H1", "handles", "64-bit, never 0, never issued twice", NeverZeroNeverReissued, nullptr},
      {"H2", "a reused slot", "a new generation; old handles stay invalid", nullptr,
       "slots and generations are inside the opaque handle; what they promise outside is F3d "
       "and H1"},
      {"H3", "a slot that issued max_generation handles", "retired, not wrapped", nullptr,
       "needs 2^32 - 1 logons on one slot at the contract's max_generation"},
      {"H4", "two providers", "a live handle of one is invalid in the other",
       ProvidersAreIndependent, nullptr},
      {"H5", "every logon, even onto the shared session", "its own handle",
       EveryLogonGetsItsOwnHandle, nullptr},
      {"H6", "passwords", "compared in constant time, wiped when released", nullptr,
       "timing and freed memory are not results of a call"},
      {"H7", "lookups", "no lock, never a freed session", nullptr,
       "needs a race and the provider's internals"},
      {"H8", "exports", "only MAPILogon and MAPILogoff, loadable by name", nullptr,
       "the runner needs both exports to run at all (exit 2 without them); what else a file "
       "exports is checked by tests/exported_symbols.sh, not through calls"},
      {"P1", "a call after the process-wide provider's teardown began",
       "MAPI_E_FAILURE, no handle written", nullptr, kTeardown},
      {"P2", "a call inside the provider when its teardown begins",
       "finishes normally; the teardown waits", nullptr, kTeardown},
      {"P3", "the teardown", "ends every session, wipes every password", nullptr, kTeardown},
  };
  return rows;
}

const Row* FindRow(const std::string& id) {
  for (const Row& row : ContractRows()) {
    if (id == row.id) return &row;
  }
  return nullptr;
}

}  // namespace smapi::conform
