#include "closing_provider.h"

#include <thread>

namespace smapi::internal {

bool ClosingProvider::Enter() noexcept {
  // Sequentially consistent on both sides (here and in TearDown): either this call sees closed_,
  // or TearDown sees this call in in_flight_ and waits for it.
  in_flight_.fetch_add(1, std::memory_order_seq_cst);
  if (!closed_.load(std::memory_order_seq_cst)) return true;
  Leave();
  return false;
}

ULONG ClosingProvider::Logon(ULONG_PTR ui_param, const char* profile, const char* password,
                             FLAGS flags, ULONG reserved, LHANDLE* session) noexcept {
  if (!Enter()) return MAPI_E_FAILURE;
  const ULONG result = provider_->Logon(ui_param, profile, password, flags, reserved, session);
  Leave();
  return result;
}

ULONG ClosingProvider::Logoff(LHANDLE session, ULONG_PTR ui_param, FLAGS flags,
                              ULONG reserved) noexcept {
  if (!Enter()) return MAPI_E_FAILURE;
  const ULONG result = provider_->Logoff(session, ui_param, flags, reserved);
  Leave();
  return result;
}

void ClosingProvider::TearDown() noexcept {
  if (closed_.exchange(true, std::memory_order_seq_cst)) return;
  if (process_ending_.load(std::memory_order_acquire)) return;
  // Calls are short (the process-wide provider is headless), so a yield loop is enough.
  while (in_flight_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
  provider_.reset();
}

}  // namespace smapi::internal
