// A logged-on session: what one MAPILogon created and its handles share.
#ifndef SMAPI_SESSION_H_
#define SMAPI_SESSION_H_

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>

namespace smapi::internal {

struct Session {
  Session(bool shared, std::string_view profile, std::string_view password,
          std::pmr::memory_resource* memory)
      : shared(shared), profile(profile, memory), password(password, memory) {}

  uint64_t id = 0;       // Set by the table when it issues the session's first handle.
  bool shared;           // The provider's shared session, joined by logons without NEW_SESSION.
  uint32_t handles = 0;  // Live handles onto this session; it ends with the last one.
  std::pmr::string profile;
  // Kept for the message store a full provider would open; wiped when the session ends.
  std::pmr::string password;
};

}  // namespace smapi::internal

#endif  // SMAPI_SESSION_H_
