// SMAPI_FUZZ_SKIP: the checks it names are let through once they fail, and no others; ci/mutants.sh
// rests on it to show what fires behind a check. Each test runs in a process of its own (ctest),
// and the variable is read once, at the first failed check.
#include "support/fuzz_check.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace {

using smapi::fuzz::CheckSkipped;

TEST(FuzzCheckSkip, LetsThroughExactlyTheNamedChecks) {
  ASSERT_EQ(setenv("SMAPI_FUZZ_SKIP", "fuzzers/a_fuzzer.cc:10,fuzzers/support/harness.cc:158", 1),
            0);
  EXPECT_TRUE(CheckSkipped("/home/u/smapi/fuzzers/support/harness.cc", 158));
  EXPECT_TRUE(CheckSkipped("fuzzers/a_fuzzer.cc", 10));
  EXPECT_FALSE(CheckSkipped("/home/u/smapi/fuzzers/support/harness.cc", 157));
  EXPECT_FALSE(CheckSkipped("/home/u/smapi/fuzzers/support/harness.cc", 1580));
  EXPECT_FALSE(CheckSkipped("/home/u/smapi/fuzzers/b_fuzzer.cc", 10));
  // The name must end at a folder boundary: "myfuzzers/..." is another file.
  EXPECT_FALSE(CheckSkipped("/home/u/myfuzzers/a_fuzzer.cc", 10));
}

TEST(FuzzCheckSkip, NothingSkippedWithoutTheVariable) {
  ASSERT_EQ(unsetenv("SMAPI_FUZZ_SKIP"), 0);
  EXPECT_FALSE(CheckSkipped("fuzzers/a_fuzzer.cc", 10));
}

TEST(FuzzCheckSkipDeathTest, AFailedCheckNotNamedAborts) {
  ASSERT_EQ(setenv("SMAPI_FUZZ_SKIP", "fuzzers/a_fuzzer.cc:10", 1), 0);
  EXPECT_DEATH(SMAPI_FUZZ_CHECK(1 + 1 == 3, "arithmetic"), "==smapi fuzz check failed==");
}

}  // namespace
