#include "secret.h"

#include <string.h>

namespace smapi::internal {

bool ConstantTimeEquals(std::string_view stored, std::string_view attempt) noexcept {
  // Somewhere to read from when the stored secret is empty; only its byte 0 is ever read then.
  static constexpr char kNothing[1] = {0};
  const char* secret = stored.empty() ? kNothing : stored.data();
  size_t diff = stored.size() ^ attempt.size();
  for (size_t i = 0; i < attempt.size(); ++i) {
    // All ones while i lies inside the stored secret, else zero. Past its end the attempt is
    // compared against 0 and byte 0 is read instead, with a mask rather than a branch, so that
    // the loop runs the attempt's length whatever the stored secret's.
    const size_t inside = size_t{0} - static_cast<size_t>(i < stored.size());
    const unsigned char x =
        static_cast<unsigned char>(secret[i & inside]) & static_cast<unsigned char>(inside);
    diff |= static_cast<size_t>(x ^ static_cast<unsigned char>(attempt[i]));
    // Keeps the optimiser from turning the accumulation into an early exit.
    asm volatile("" : "+r"(diff));
  }
  return diff == 0;
}

void SecureWipe(void* p, size_t n) noexcept {
  if (n != 0) explicit_bzero(p, n);
}

}  // namespace smapi::internal
