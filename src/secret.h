// Handling of passwords: comparison that does not leak where two secrets differ, and wiping.
#ifndef SMAPI_SECRET_H_
#define SMAPI_SECRET_H_

#include <cstddef>
#include <string_view>

namespace smapi::internal {

// True when the stored secret and the caller's attempt are equal. Its running time depends only
// on the attempt's length, which the caller knows already: never on the stored secret's contents,
// its length, or where the first difference lies.
bool ConstantTimeEquals(std::string_view stored, std::string_view attempt) noexcept;

// Overwrites n bytes at p with zeros in a way the compiler may not elide.
void SecureWipe(void* p, size_t n) noexcept;

}  // namespace smapi::internal

#endif  // SMAPI_SECRET_H_
