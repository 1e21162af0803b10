// What a Provider owns, shared by the files that implement its calls.
#ifndef SMAPI_PROVIDER_STATE_H_
#define SMAPI_PROVIDER_STATE_H_

#include <smapi/provider.h>
#include <smapi/ui_host.h>

#include <cstdint>
#include <memory_resource>
#include <string_view>

#include "mutex.h"
#include "profile_store.h"
#include "session.h"
#include "session_table.h"
#include "thread_annotations.h"

namespace smapi {

struct Provider::State {
  explicit State(const ProviderOptions& options);
  // A copy of `source` allocating from `memory` and prompting through `ui` (either null: the
  // defaults). May throw std::bad_alloc, having freed, and wiped, all it copied.
  State(const State& source, std::pmr::memory_resource* memory, UiHost* ui)
      SMAPI_REQUIRES(source.mu);
  ~State();

  // Writer-side helpers; the caller holds mu.
  ULONG Attach(internal::Session* session, LHANDLE* out) SMAPI_REQUIRES(mu);
  ULONG Open(std::string_view profile, std::string_view password, bool new_session, LHANDLE* out)
      SMAPI_REQUIRES(mu);
  void EndSession(internal::Session* session) SMAPI_REQUIRES(mu);

  // Asks the UI host, never with mu held: a host may block on a real dialog for as long as the
  // user takes, and must not stall every other logon and logoff meanwhile. SUCCESS_SUCCESS when it
  // answered, else the result MAPILogon returns: MAPI_E_USER_ABORT (N10), MAPI_E_LOGIN_FAILURE
  // (N13) or, when the host threw, MAPI_E_FAILURE (N23).
  ULONG Prompt(const LogonPrompt& prompt, LogonAnswer& answer) SMAPI_EXCLUDES(mu);

  std::pmr::memory_resource* const memory;
  HeadlessUiHost headless;
  UiHost* const ui;

  // Serialises writers (logon, logoff, profiles). Lookups never take it.
  mutable internal::Mutex mu;
  internal::SessionTable table SMAPI_GUARDED_BY(mu);
  internal::ProfileStore profiles SMAPI_GUARDED_BY(mu);
  internal::Session* shared SMAPI_GUARDED_BY(mu) = nullptr;
  size_t live_sessions SMAPI_GUARDED_BY(mu) = 0;
};

}  // namespace smapi

#endif  // SMAPI_PROVIDER_STATE_H_
