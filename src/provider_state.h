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

namespace smapi {

struct Provider::State {
  explicit State(const ProviderOptions& options);
  ~State();

  // Writer-side helpers; the caller holds mu.
  ULONG Attach(internal::Session* session, LHANDLE* out);
  ULONG Open(std::string_view profile, std::string_view password, bool new_session, LHANDLE* out);
  void EndSession(internal::Session* session);

  std::pmr::memory_resource* const memory;
  HeadlessUiHost headless;
  UiHost* const ui;

  // Serialises writers (logon, logoff, profiles). Lookups never take it.
  mutable internal::Mutex mu;
  internal::SessionTable table;
  internal::ProfileStore profiles;
  internal::Session* shared = nullptr;
  size_t live_sessions = 0;
};

}  // namespace smapi

#endif  // SMAPI_PROVIDER_STATE_H_
