// Password comparison and wiping.
#include "secret.h"

#include <gtest/gtest.h>

#include <string>

namespace smapi::internal {
namespace {

TEST(Secret, ConstantTimeEqualsIsExactEquality) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("secret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(ConstantTimeEquals("secret", "Secret"));
  // Prefixes either way round: the classic bug of comparing only the shorter length.
  EXPECT_FALSE(ConstantTimeEquals("secret", "secre"));
  EXPECT_FALSE(ConstantTimeEquals("secre", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals("x", ""));
  // A NUL byte is data, not a terminator, and is not equal to a missing byte.
  EXPECT_FALSE(ConstantTimeEquals(std::string_view("ab\0", 3), "ab"));
  EXPECT_TRUE(ConstantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  const std::string long_a(5000, 'a');
  std::string long_b = long_a;
  long_b[4999] = 'b';
  EXPECT_FALSE(ConstantTimeEquals(long_a, long_b));
  EXPECT_TRUE(ConstantTimeEquals(long_a, std::string(5000, 'a')));
}

TEST(Secret, SecureWipeZeroes) {
  char buffer[] = "hunter2";
  SecureWipe(buffer, sizeof buffer);
  for (char c : buffer) EXPECT_EQ(c, 0);
  SecureWipe(nullptr, 0);  // Nothing to do, and no crash.
}

}  // namespace
}  // namespace smapi::internal
