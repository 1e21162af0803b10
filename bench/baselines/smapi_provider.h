// `smapi`: the project's provider, driven through its public C++ API. Lookups go through
// Provider::Lookup, which resolves the handle with SessionTable::Find, the code MAPILogoff uses.
#ifndef SMAPI_BENCH_BASELINES_SMAPI_PROVIDER_H_
#define SMAPI_BENCH_BASELINES_SMAPI_PROVIDER_H_

#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace smapi::bench {

class SmapiProvider {
 public:
  static constexpr std::string_view kName = "smapi";
  static constexpr bool kValidates = true;

  explicit SmapiProvider(uint32_t capacity) : provider_(Options(capacity)) {}

  // A new session on the default profile (empty password), as a client with no set-up would open.
  LHANDLE Logon() {
    LHANDLE handle = 0;
    const ULONG rc = provider_.Logon(0, "default", "", MAPI_NEW_SESSION, 0, &handle);
    return rc == SUCCESS_SUCCESS ? handle : 0;
  }

  bool Logoff(LHANDLE handle) { return provider_.Logoff(handle, 0, 0, 0) == SUCCESS_SUCCESS; }

  // The session id, or 0 for a handle MAPILogoff would reject.
  uint64_t Lookup(LHANDLE handle) const {
    SessionView view;
    return provider_.Lookup(handle, &view) ? view.session_id : 0;
  }

 private:
  static ProviderOptions Options(uint32_t capacity) {
    ProviderOptions options;
    options.capacity = capacity;
    options.seed = 0x5eed5eed5eed5eedULL;  // Fixed: the same handles on every run.
    return options;
  }

  Provider provider_;
};

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_BASELINES_SMAPI_PROVIDER_H_
