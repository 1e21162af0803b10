// A provider that can be torn down while calls may still arrive.
//
// The process-wide provider behind MAPILogon and MAPILogoff is destroyed at exit, while another
// static destructor, or a thread still running, may call in. Once TearDown() has begun, every call
// returns MAPI_E_FAILURE without touching the provider; TearDown() waits for the calls already
// inside to leave, then destroys the provider, which ends every session and wipes every password.
#ifndef SMAPI_CLOSING_PROVIDER_H_
#define SMAPI_CLOSING_PROVIDER_H_

#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <atomic>
#include <cstdint>
#include <optional>

namespace smapi::internal {

class ClosingProvider {
 public:
  explicit ClosingProvider(const ProviderOptions& options = {}) { provider_.emplace(options); }
  ~ClosingProvider() { TearDown(); }
  ClosingProvider(const ClosingProvider&) = delete;
  ClosingProvider& operator=(const ClosingProvider&) = delete;

  ULONG Logon(ULONG_PTR ui_param, const char* profile, const char* password, FLAGS flags,
              ULONG reserved, LHANDLE* session) noexcept;
  ULONG Logoff(LHANDLE session, ULONG_PTR ui_param, FLAGS flags, ULONG reserved) noexcept;

  // Idempotent. Safe against concurrent calls from any thread, but not from inside a call (the UI
  // host): that would wait for itself.
  void TearDown() noexcept;

  // Says that the process is ending with its other threads already gone (smapi32.dll's DllMain):
  // a TearDown() from then on closes without waiting for calls those threads left unfinished,
  // and leaves the provider to the system rather than free state they may have held.
  // coverage: exempt begin (only smapi32.dll's DllMain calls it, on Windows)
  static void MarkProcessEnding() noexcept {
    process_ending_.store(true, std::memory_order_release);
  }
  // coverage: exempt end

  // The provider until TearDown() begins; for callers that know it has not.
  Provider& provider() { return *provider_; }

 private:
  // Counts the caller in; false (and counted out again) once TearDown() has begun.
  bool Enter() noexcept;
  void Leave() noexcept { in_flight_.fetch_sub(1, std::memory_order_release); }

  static inline std::atomic<bool> process_ending_{false};
  std::atomic<bool> closed_{false};
  std::atomic<uint32_t> in_flight_{0};
  std::optional<Provider> provider_;
};

}  // namespace smapi::internal

#endif  // SMAPI_CLOSING_PROVIDER_H_
