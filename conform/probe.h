// Calls into a provider that throw Mismatch at the first result the contract does not allow, with
// the call written out, so that a row's check reads as the contract does.
#ifndef SMAPI_CONFORM_PROBE_H_
#define SMAPI_CONFORM_PROBE_H_

#include <smapi/mapi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "target.h"

namespace smapi::conform {

struct Mismatch {
  std::string observed;
};

// The value a failed logon must leave in *lplhSession (N22).
inline constexpr LHANDLE kUntouched = 0x0123456789abcdefULL;

// A NULL or text string argument.
using Text = std::optional<std::string>;
inline const Text kNull = std::nullopt;

class Probe {
 public:
  explicit Probe(const Target& target) : target_(target) {}

  const std::string& profile() const { return target_.profile; }
  const std::string& password() const { return target_.password; }
  uint32_t capacity() const { return target_.capacity; }

  // MAPILogon; `*out` starts as kUntouched, and with null_out lplhSession is NULL.
  ULONG Logon(const Text& profile, const Text& password, FLAGS flags, ULONG reserved = 0,
              LHANDLE* out = nullptr, ULONG_PTR window = 0, bool null_out = false);
  ULONG Logoff(LHANDLE handle, FLAGS flags = 0, ULONG reserved = 0, ULONG_PTR window = 0);

  // A logon that must succeed with a handle that is not 0 and was never issued before.
  LHANDLE MustLogon(const Text& profile, const Text& password, FLAGS flags);
  // The known credentials.
  LHANDLE MustLogon(FLAGS flags) { return MustLogon(profile(), password(), flags); }
  // A logon that must fail with `want`, leaving the handle untouched when check_untouched.
  void MustFailLogon(ULONG want, const Text& profile, const Text& password, FLAGS flags,
                     ULONG reserved = 0, ULONG_PTR window = 0, bool check_untouched = false);
  void MustLogoff(ULONG want, LHANDLE handle, FLAGS flags = 0, ULONG reserved = 0,
                  ULONG_PTR window = 0);
  // NULL profile, no flags: SUCCESS exactly when a shared session exists (N5, N6).
  bool SharedSessionExists();
  void MustHaveShared(bool want, const char* why);

  // "h1", "h2", ... for handles this probe got; hex otherwise.
  std::string Name(LHANDLE handle) const;
  [[noreturn]] void Fail(const std::string& observed) const { throw Mismatch{observed}; }

 private:
  const Target& target_;
  std::unordered_map<LHANDLE, size_t> issued_;  // Handle -> its number, from 1.
};

std::string Hex(uint64_t value);
std::string Describe(const Text& text);

}  // namespace smapi::conform

#endif  // SMAPI_CONFORM_PROBE_H_
