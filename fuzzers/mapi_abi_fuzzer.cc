// MAPILogon and MAPILogoff through the exported C symbols and the process-wide provider, as a mail
// client calls them: the path every other target bypasses by making its own Provider.
//
// Input (fuzz_input.h; zeros past the end): up to kMaxOps operations, each a u8 opcode then
//   even, logon:  u8 profile kind (0 NULL, 1 "default", 2 u8 length + bytes, 3 "Default"),
//                 u8 password kind (0 NULL, 1 "", 2 u8 length + bytes), u32 flFlags,
//                 u32 ulReserved, u8 (bit 0: lplhSession NULL), u64 ulUIParam
//   odd, logoff:  u8 base (0 a live handle, 1 a logged-off one, 2 zero, 3 a raw u64), u8 which,
//                 u64 xor mask, u32 flFlags, u32 ulReserved, u64 ulUIParam
// The process-wide provider is headless and holds only the default profile with an empty
// password, so the contract alone says what each call returns. Every input logs off every handle
// it got, which leaves the provider with no sessions, as the next input expects.
#include <smapi/mapi.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "support/fuzz_check.h"
#include "support/fuzz_input.h"

namespace {

using smapi::fuzz::InputReader;
using smapi::fuzz::ResultName;

constexpr size_t kMaxOps = 32;
constexpr LHANDLE kUntouched = 0x0123456789abcdefULL;
constexpr FLAGS kAllowed =
    MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_PASSWORD_UI | MAPI_FORCE_DOWNLOAD;

struct Live {
  LHANDLE handle;
  bool shared;
};

struct Client {
  std::vector<Live> live;
  std::vector<LHANDLE> dead;
  size_t shared_handles = 0;

  bool IsLive(LHANDLE handle, size_t* at) const {
    for (size_t i = 0; i < live.size(); ++i) {
      if (live[i].handle == handle) {
        *at = i;
        return true;
      }
    }
    return false;
  }
};

// A C string argument: NULL, or the bytes up to the first NUL, as the callee will see them.
struct CString {
  bool null = true;
  std::string text;
  char* get() { return null ? nullptr : text.data(); }
  std::string seen() const { return null ? std::string() : std::string(text.c_str()); }
};

CString ReadString(InputReader& in, bool password) {
  CString s;
  const uint8_t kind = in.U8() % (password ? 3 : 4);
  if (kind == 0) return s;
  s.null = false;
  if (kind == 1) s.text = password ? "" : "default";
  if (kind == 2) s.text = std::string(in.Bytes(in.U8()));
  if (kind == 3) s.text = "Default";  // Profile names are case-sensitive.
  return s;
}

void DoLogon(InputReader& in, Client& client) {
  CString profile = ReadString(in, false);
  CString password = ReadString(in, true);
  const FLAGS flags = in.U32();
  const ULONG reserved = in.U32();
  const bool null_out = in.U8() & 1;
  const ULONG_PTR window = in.U64();

  // What the contract says, for a headless provider holding only "default" with no password.
  ULONG want = MAPI_E_FAILURE;
  bool join = false;
  const bool new_session = flags & MAPI_NEW_SESSION;
  if (null_out || reserved != 0 || (flags & ~kAllowed) != 0 ||
      ((flags & MAPI_LOGON_UI) && (flags & MAPI_PASSWORD_UI))) {
    want = MAPI_E_FAILURE;
  } else if (profile.null && !new_session && client.shared_handles > 0) {
    want = SUCCESS_SUCCESS;
    join = true;
  } else if (profile.null && !new_session && !(flags & MAPI_LOGON_UI)) {
    want = MAPI_E_LOGIN_FAILURE;
  } else if ((profile.null || profile.seen() == "default") && password.seen().empty()) {
    want = SUCCESS_SUCCESS;
    join = !new_session && client.shared_handles > 0;
  } else {
    want = MAPI_E_LOGIN_FAILURE;  // Bad credentials; any dialog is unavailable.
  }

  LHANDLE handle = kUntouched;
  const ULONG got = MAPILogon(window, profile.get(), password.get(), flags, reserved,
                              null_out ? nullptr : &handle);
  SMAPI_FUZZ_CHECK(got == want, "MAPILogon(flags %#x, reserved %#x) = %s, contract says %s", flags,
                   reserved, ResultName(got), ResultName(want));
  if (got != SUCCESS_SUCCESS) {
    SMAPI_FUZZ_CHECK(handle == kUntouched, "a failed MAPILogon wrote *lplhSession");
    return;
  }
  SMAPI_FUZZ_CHECK(handle != 0 && handle != kUntouched, "MAPILogon issued handle %#llx",
                   static_cast<unsigned long long>(handle));
  size_t at;
  SMAPI_FUZZ_CHECK(!client.IsLive(handle, &at), "MAPILogon reissued a live handle");
  SMAPI_FUZZ_CHECK(std::find(client.dead.begin(), client.dead.end(), handle) == client.dead.end(),
                   "MAPILogon reissued a logged-off handle");
  const bool shared = join || !new_session;
  client.live.push_back({handle, shared});
  if (shared) ++client.shared_handles;
}

void DoLogoff(InputReader& in, Client& client) {
  const uint8_t base = in.U8() % 4;
  const uint8_t which = in.U8();
  LHANDLE handle = 0;
  if (base == 0 && !client.live.empty()) handle = client.live[which % client.live.size()].handle;
  if (base == 1 && !client.dead.empty()) handle = client.dead[which % client.dead.size()];
  const uint64_t mask = in.U64();
  if (base == 3)
    handle = mask;
  else
    handle ^= mask;
  const FLAGS flags = in.U32();
  const ULONG reserved = in.U32();
  const ULONG_PTR window = in.U64();

  size_t at = 0;
  const bool live = client.IsLive(handle, &at);
  const ULONG want = flags != 0      ? MAPI_E_FAILURE
                     : reserved != 0 ? MAPI_E_FAILURE
                     : live          ? SUCCESS_SUCCESS
                                     : MAPI_E_INVALID_SESSION;
  const ULONG got = MAPILogoff(handle, window, flags, reserved);
  SMAPI_FUZZ_CHECK(got == want,
                   "MAPILogoff(%#llx, window %#llx, flags %#x, reserved %#x) = %s, "
                   "contract says %s",
                   static_cast<unsigned long long>(handle), static_cast<unsigned long long>(window),
                   flags, reserved, ResultName(got), ResultName(want));
  if (got != SUCCESS_SUCCESS) return;
  if (client.live[at].shared) --client.shared_handles;
  client.live.erase(client.live.begin() + at);
  client.dead.push_back(handle);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  InputReader in(data, size);
  Client client;
  for (size_t op = 0; op < kMaxOps && !in.done(); ++op) {
    if (in.U8() % 2 == 0) {
      DoLogon(in, client);
    } else {
      DoLogoff(in, client);
    }
  }
  // Hand the process-wide provider back empty: the next input must find no shared session.
  for (const Live& live : client.live) {
    const ULONG got = MAPILogoff(live.handle, 0, 0, 0);
    SMAPI_FUZZ_CHECK(got == SUCCESS_SUCCESS, "logging off a live handle at the end: %s",
                     ResultName(got));
  }
  LHANDLE handle = kUntouched;
  const ULONG got = MAPILogon(0, nullptr, nullptr, 0, 0, &handle);
  SMAPI_FUZZ_CHECK(got == MAPI_E_LOGIN_FAILURE && handle == kUntouched,
                   "the shared session outlived its last handle: %s", ResultName(got));
  return 0;
}
