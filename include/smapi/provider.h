// The C++ face of the reference session provider.
//
// A Provider owns everything a MAPILogon/MAPILogoff pair touches: the session table, the profile
// store, the memory resource and the UI host. Providers are independent of one another, so tests
// and fuzzers make their own; the C ABI in <smapi/mapi.h> uses DefaultProvider().
#ifndef SMAPI_PROVIDER_H_
#define SMAPI_PROVIDER_H_

#include <smapi/detail/session_lookup.h>
#include <smapi/mapi.h>
#include <smapi/ui_host.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <optional>
#include <string_view>

namespace smapi {

// The profile MAPILogon uses when the caller names none. Fresh providers hold it with an empty
// password, so a client can log on with no set-up at all.
inline constexpr std::string_view kDefaultProfileName = "default";

// The largest capacity a handle's slot index can address.
inline constexpr uint32_t kMaxCapacity = uint32_t{1} << 24;

// The flags MAPILogon accepts.
inline constexpr FLAGS kLogonFlags =
    MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_PASSWORD_UI | MAPI_FORCE_DOWNLOAD;

struct ProviderOptions {
  // Handle slots: the number of handles that can be live at once. At most kMaxCapacity.
  uint32_t capacity = 4096;
  // A slot is retired for good once it has issued this many generations (never wrapped).
  // Tests and fuzzers lower it to reach retirement quickly.
  uint32_t max_generation = UINT32_MAX;
  // Keys the handle permutation and draws the per-handle tags. 0 = seeded from std::random_device;
  // fuzzers pass a fixed seed to stay deterministic.
  uint64_t seed = 0;
  // Every allocation the provider makes goes here: its own state when it is built, then the logon,
  // logoff and profile paths. null = the default resource. Not owned; must outlive the provider.
  std::pmr::memory_resource* memory = nullptr;
  // Shows logon dialogs. null = HeadlessUiHost. Not owned; must outlive the provider.
  UiHost* ui = nullptr;
};

// What a lookup yields: a copy, still meaningful after the session ends.
struct SessionView {
  // Unique per session and never reused by this provider; every handle onto the shared session has
  // the same id, and never 0. Derived from the handle that opened the session under a secret mask,
  // so it gives away no handle.
  uint64_t session_id;
};

struct ProviderStats {
  size_t live_handles;    // Handles that MAPILogoff would accept.
  size_t live_sessions;   // Sessions; the shared one counts once however many handles it has.
  size_t shared_handles;  // Handles onto the shared session (0 when there is none).
  size_t free_slots;      // Slots that can still issue a handle.
  size_t retired_slots;   // Slots that used up max_generation and will never issue again.
};

class Provider {
 public:
  // Throws std::bad_alloc when the memory resource cannot supply the state and the table.
  explicit Provider(const ProviderOptions& options = {});
  // A copy of `source` as it is now: the same handles live, the same sessions and profiles, and
  // the same handles issued next, so that the two answer every later call alike. Its memory comes
  // from `memory` and its dialogs go to `ui` (null: the defaults, as in ProviderOptions). For
  // harnesses that start many runs from one state without replaying the calls that made it. Takes
  // source's writer lock. Throws std::bad_alloc, having kept nothing, when memory runs out.
  Provider(const Provider& source, std::pmr::memory_resource* memory, UiHost* ui = nullptr);
  ~Provider();
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;

  // The two Simple MAPI calls; docs/contract.md says what each returns when.
  ULONG Logon(ULONG_PTR ui_param, const char* profile, const char* password, FLAGS flags,
              ULONG reserved, LHANDLE* session) noexcept;
  ULONG Logoff(LHANDLE session, ULONG_PTR ui_param, FLAGS flags, ULONG reserved) noexcept;

  // The hot path every session call starts with: no lock and no shared write, safe against a
  // concurrent Logoff. Empty for any handle Logoff would reject as MAPI_E_INVALID_SESSION. Inline,
  // so that a caller reaches the slot with nothing in between.
  std::optional<SessionView> Lookup(LHANDLE session) const noexcept {
    SessionView view;
    if (!Lookup(session, &view)) return std::nullopt;
    return view;
  }
  // The same lookup for hot loops: fills *view and returns true, or returns false. Cheaper than the
  // optional, which g++ returns through memory.
  bool Lookup(LHANDLE session, SessionView* view) const noexcept {
    return lookup_.Find(session, &view->session_id) != internal::SessionLookup::kNoSlot;
  }

  // Adds a profile, or replaces its password. SUCCESS_SUCCESS, MAPI_E_FAILURE for an empty name,
  // or MAPI_E_INSUFFICIENT_MEMORY with nothing changed.
  ULONG AddProfile(std::string_view name, std::string_view password) noexcept;
  // Removes a profile and wipes its password. Sessions already open on it stay open.
  bool RemoveProfile(std::string_view name) noexcept;

  ProviderStats Stats() const;
  bool HasSharedSession() const;
  // Checks every internal invariant of the table and sessions. Returns null when they hold, else a
  // description of the first one broken. For tests and fuzzers; takes the writer lock.
  const char* CheckInvariants() const;
  // A hash of everything a call can change: every used slot's handle and generation, the reuse
  // queue in order, the counters, the handle tag generator, the sessions and the profiles. Equal
  // before and after a call that changed nothing. For tests and fuzzers; takes the writer lock.
  uint64_t Fingerprint() const;

 private:
  struct State;
  // Gives the state back to the memory resource it came from.
  struct StateDeleter {
    void operator()(State* state) const noexcept;
  };
  std::unique_ptr<State, StateDeleter> state_;
  // A copy of the table's read half (pointers to its slots, its decoder): what Lookup touches.
  const internal::SessionLookup lookup_;
};

// The process-wide provider behind MAPILogon and MAPILogoff. Valid until static destruction tears
// it down; from then on MAPILogon and MAPILogoff return MAPI_E_FAILURE, but this reference dangles.
Provider& DefaultProvider();

}  // namespace smapi

#endif  // SMAPI_PROVIDER_H_
