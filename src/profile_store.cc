#include "profile_store.h"

#include <new>

#include "secret.h"

namespace smapi::internal {

ProfileStore::ProfileStore(const ProfileStore& source, std::pmr::memory_resource* memory)
    : profiles_(memory) {
  try {
    for (const Profile& profile : source.profiles_) {
      profiles_.emplace_back(profile.name, profile.password, memory);
    }
  } catch (const std::bad_alloc&) {
    for (Profile& profile : profiles_) Wipe(profile);  // The destructor will not run.
    throw;
  }
}

ProfileStore::~ProfileStore() {
  for (Profile& profile : profiles_) Wipe(profile);
}

void ProfileStore::Wipe(Profile& profile) {
  SecureWipe(profile.password.data(), profile.password.size());
}

const ProfileStore::Profile* ProfileStore::FindProfile(std::string_view name) const {
  for (const Profile& profile : profiles_) {
    if (profile.name == name) return &profile;
  }
  return nullptr;
}

void ProfileStore::Put(std::string_view name, std::string_view password) {
  // Built in full before anything is replaced, so a failed allocation changes nothing.
  std::pmr::list<Profile> fresh(profiles_.get_allocator());
  fresh.emplace_back(name, password, profiles_.get_allocator().resource());
  Remove(name);
  profiles_.splice(profiles_.end(), fresh);
}

bool ProfileStore::Remove(std::string_view name) {
  for (auto it = profiles_.begin(); it != profiles_.end(); ++it) {
    if (it->name == name) {
      Wipe(*it);
      profiles_.erase(it);
      return true;
    }
  }
  return false;
}

bool ProfileStore::Verify(std::string_view name, std::string_view password) const {
  const Profile* profile = FindProfile(name);
  return profile != nullptr && ConstantTimeEquals(profile->password, password);
}

void ProfileStore::Fingerprint(StateHash* out) const {
  StateHash hash = *out;  // A local, so the running value stays in a register.
  hash.Add(profiles_.size());
  for (const Profile& profile : profiles_) {
    hash.Add(profile.name);
    hash.Add(profile.password);
  }
  *out = hash;
}

}  // namespace smapi::internal
