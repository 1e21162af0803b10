// The named profiles a logon can authenticate against.
#ifndef SMAPI_PROFILE_STORE_H_
#define SMAPI_PROFILE_STORE_H_

#include <list>
#include <memory_resource>
#include <string>
#include <string_view>

#include "state_hash.h"

namespace smapi::internal {

class ProfileStore {
 public:
  explicit ProfileStore(std::pmr::memory_resource* memory) : profiles_(memory) {}
  // Every profile of `source`, in order, allocated from `memory`. May throw std::bad_alloc, having
  // wiped and freed what it copied.
  ProfileStore(const ProfileStore& source, std::pmr::memory_resource* memory);
  ~ProfileStore();
  ProfileStore(const ProfileStore&) = delete;
  ProfileStore& operator=(const ProfileStore&) = delete;

  // Adds the profile or replaces its password. May throw std::bad_alloc, with nothing changed.
  void Put(std::string_view name, std::string_view password);
  bool Remove(std::string_view name);
  bool Contains(std::string_view name) const { return FindProfile(name) != nullptr; }
  // True when the profile exists and the password matches, compared in constant time.
  bool Verify(std::string_view name, std::string_view password) const;
  // Adds every profile, in order, to *hash.
  void Fingerprint(StateHash* hash) const;

 private:
  struct Profile {
    Profile(std::string_view name, std::string_view password, std::pmr::memory_resource* memory)
        : name(name, memory), password(password, memory) {}
    std::pmr::string name;
    std::pmr::string password;
  };
  const Profile* FindProfile(std::string_view name) const;
  static void Wipe(Profile& profile);

  // A node list, so that a password is never copied by a container growing under it.
  std::pmr::list<Profile> profiles_;
};

}  // namespace smapi::internal

#endif  // SMAPI_PROFILE_STORE_H_
