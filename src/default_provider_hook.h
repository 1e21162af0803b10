// For fuzz targets that drive the process-wide provider through MAPILogon and MAPILogoff: a way to
// give every input the same provider. The static library reaches it; libsmapi.so keeps it hidden,
// like everything but the two Simple MAPI symbols (tests/exported_symbols.sh checks the exports).
#ifndef SMAPI_DEFAULT_PROVIDER_HOOK_H_
#define SMAPI_DEFAULT_PROVIDER_HOOK_H_

#include <cstdint>

namespace smapi::internal {

// Rebuilds DefaultProvider() in place, with the default options but `seed` (not 0): whatever the
// last one held (sessions, slot generations, the reuse order, the tag stream and with it the
// session ids) is gone, and the same seed always gives the same provider. Ends open sessions as
// destruction does. Nothing may use the provider meanwhile. Terminates if memory runs out, rather
// than leave no provider behind.
void RenewDefaultProvider(uint64_t seed) noexcept;

}  // namespace smapi::internal

#endif  // SMAPI_DEFAULT_PROVIDER_HOOK_H_
