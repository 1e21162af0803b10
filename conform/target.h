// What the runner knows about the provider under test, and the calls it makes on it.
#ifndef SMAPI_CONFORM_TARGET_H_
#define SMAPI_CONFORM_TARGET_H_

#include <smapi/mapi.h>

#include <cstdint>
#include <string>

namespace smapi::conform {

struct Target {
  std::string library;  // The path it was loaded from.
  LPMAPILOGON logon = nullptr;
  LPMAPILOGOFF logoff = nullptr;
  // A profile the provider knows, and its password. The contract's fresh provider holds
  // "default" with the empty password.
  std::string profile = "default";
  std::string password;
  // Live handles it can hold at once: the contract's default.
  uint32_t capacity = 4096;
  // The library forwards to one provider per process (a mapi32.dll stub): a loaded copy of the
  // file reaches the same provider, so H4 cannot be seen.
  bool one_instance = false;
};

// "SUCCESS_SUCCESS", "MAPI_E_INVALID_SESSION", ..., or the number for a code outside mapi.h.
std::string ResultText(ULONG result);

}  // namespace smapi::conform

#endif  // SMAPI_CONFORM_TARGET_H_
