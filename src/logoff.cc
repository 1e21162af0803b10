// MAPILogoff: the checks run in the documented order, and nothing changes until all have passed.
#include <new>

#include "provider_state.h"
#include "schedule_point.h"

namespace smapi {

ULONG Provider::Logoff(LHANDLE session, ULONG_PTR /*ui_param*/, FLAGS flags,
                       ULONG reserved) noexcept {
  // ulUIParam only parents a dialog, and logoff shows none, so it cannot affect the result.
  if (flags != 0) return MAPI_E_FAILURE;
  if (reserved != 0) return MAPI_E_FAILURE;
  State& s = *state_;
  internal::MutexLock lock(s.mu);
  uint64_t session_id = 0;
  const uint32_t index = s.table.Find(session, &session_id);
  if (index == internal::SessionTable::kNoSlot) return MAPI_E_INVALID_SESSION;
  try {
    s.table.ReserveRelease();
  } catch (const std::bad_alloc&) {
    return MAPI_E_INSUFFICIENT_MEMORY;  // The session is untouched and can be logged off later.
  }
  SMAPI_SCHEDULE_POINT("logoff: between the check and the act");
  internal::Session* owner = s.table.Release(index);
  if (--owner->handles == 0) s.EndSession(owner);
  return SUCCESS_SUCCESS;
}

}  // namespace smapi
