#include "secret.h"

#include <string.h>
#ifdef _WIN32
#include <windows.h>  // SecureZeroMemory: MinGW's C library has no explicit_bzero.
#endif

#include <algorithm>

namespace smapi::internal {

bool ConstantTimeEquals(std::string_view a, std::string_view b) noexcept {
  const size_t n = std::max(a.size(), b.size());
  size_t diff = a.size() ^ b.size();
  for (size_t i = 0; i < n; ++i) {
    // Reading past the shorter string compares against 0 instead of stopping early.
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<size_t>(x ^ y);
    // Keeps the optimiser from turning the accumulation into an early exit.
    asm volatile("" : "+r"(diff));
  }
  return diff == 0;
}

void SecureWipe(void* p, size_t n) noexcept {
#ifdef _WIN32
  if (n != 0) SecureZeroMemory(p, n);
#else
  if (n != 0) explicit_bzero(p, n);
#endif
}

}  // namespace smapi::internal
