// Handle properties: opaque, never zero, never reissued, retired rather than wrapped.
#include <gtest/gtest.h>
#include <smapi/provider.h>

#include <unordered_set>
#include <vector>

#include "handle_codec.h"
#include "test_support.h"

namespace smapi {
namespace {

using testing::NewSession;
using testing::Seeded;

// H1
TEST(Handles, NeverZeroNeverReissued) {
  ProviderOptions options = Seeded(4);
  options.max_generation = 5000;
  Provider provider(options);
  std::unordered_set<LHANDLE> seen;
  std::vector<LHANDLE> live;
  for (int i = 0; i < 40000; ++i) {
    const LHANDLE handle = NewSession(provider);
    if (handle == 0) {
      if (live.empty()) break;  // All four slots retired.
      ASSERT_EQ(provider.Logoff(live.front(), 0, 0, 0), ULONG{SUCCESS_SUCCESS});
      live.erase(live.begin());
      continue;
    }
    EXPECT_TRUE(seen.insert(handle).second) << "handle issued twice at step " << i;
    live.push_back(handle);
    if (live.size() == 4 || i % 3 == 0) {
      ASSERT_EQ(provider.Logoff(live.front(), 0, 0, 0), ULONG{SUCCESS_SUCCESS});
      live.erase(live.begin());
    }
  }
  EXPECT_EQ(seen.count(0), 0u);
  EXPECT_EQ(seen.size(), 4u * 5000u);  // Every generation of every slot, each exactly once.
}

// H2
TEST(Handles, ReusedSlotGetsNewGeneration) {
  Provider provider(Seeded(1));
  std::vector<LHANDLE> old;
  for (int i = 0; i < 50; ++i) {
    const LHANDLE handle = NewSession(provider);
    ASSERT_NE(handle, 0u);
    for (LHANDLE stale : old) EXPECT_FALSE(provider.Lookup(stale).has_value());
    ASSERT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
    old.push_back(handle);
  }
  EXPECT_EQ(provider.CheckInvariants(), nullptr);
}

// H3
TEST(Handles, SpentSlotIsRetiredNotWrapped) {
  ProviderOptions options = Seeded(2);
  options.max_generation = 3;
  Provider provider(options);
  std::unordered_set<LHANDLE> seen;
  int issued = 0;
  for (;;) {
    const LHANDLE handle = NewSession(provider);
    if (handle == 0) break;
    ++issued;
    EXPECT_TRUE(seen.insert(handle).second);
    ASSERT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  }
  EXPECT_EQ(issued, 2 * 3);
  EXPECT_EQ(provider.Stats().retired_slots, 2u);
  EXPECT_EQ(provider.Stats().free_slots, 0u);
  LHANDLE handle = 0;
  EXPECT_EQ(provider.Logon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &handle),
            ULONG{MAPI_E_TOO_MANY_SESSIONS});
  EXPECT_EQ(provider.CheckInvariants(), nullptr);
}

// H4
TEST(Handles, ProvidersAreIndependent) {
  Provider a(Seeded(16, 11));
  Provider b(Seeded(16, 12));
  std::vector<LHANDLE> from_a, from_b;
  for (int i = 0; i < 16; ++i) {
    from_a.push_back(NewSession(a));
    from_b.push_back(NewSession(b));
  }
  for (int i = 0; i < 16; ++i) {
    EXPECT_FALSE(b.Lookup(from_a[i]).has_value());
    EXPECT_FALSE(a.Lookup(from_b[i]).has_value());
    EXPECT_NE(from_a[i], from_b[i]);
  }
  // Consecutive handles of one provider are not consecutive numbers.
  for (int i = 2; i < 16; ++i) EXPECT_NE(from_a[i] - from_a[i - 1], from_a[1] - from_a[0]);
}

TEST(HandleCodec, RoundTripsAndDecodesZeroToSlotZero) {
  const internal::HandleCodec codec(0x123456789abcdefULL);
  for (uint64_t raw : {uint64_t{0}, uint64_t{1}, internal::PackRaw(5, 0x7f, 9), ~uint64_t{0},
                       internal::PackRaw(internal::kIndexMask, 0xff, 0xffffffffu)}) {
    EXPECT_EQ(codec.Decode(codec.Encode(raw)), raw);
  }
  EXPECT_EQ(codec.Decode(0), 0u);
}

}  // namespace
}  // namespace smapi
