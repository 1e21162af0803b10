// One test per MAPILogoff row of docs/contract.md.
#include <gtest/gtest.h>
#include <smapi/provider.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "failing_resource.h"
#include "test_support.h"

namespace smapi {
namespace {

using testing::FailingResource;
using testing::NewSession;
using testing::SameStats;
using testing::Seeded;

// F1
TEST(LogoffContract, NonZeroFlagsFail) {
  Provider provider(Seeded());
  const LHANDLE live = NewSession(provider);
  ASSERT_NE(live, 0u);
  const ProviderStats before = provider.Stats();
  for (int bit = 0; bit < 32; ++bit) {
    const FLAGS flags = FLAGS{1} << bit;
    EXPECT_EQ(provider.Logoff(live, 0, flags, 0), ULONG{MAPI_E_FAILURE}) << "bit " << bit;
    // The flags rule comes before the handle rule, so even a bad handle gets MAPI_E_FAILURE.
    EXPECT_EQ(provider.Logoff(0, 0, flags, 0), ULONG{MAPI_E_FAILURE});
  }
  EXPECT_EQ(provider.Logoff(live, 0, 0xffffffffu, 0), ULONG{MAPI_E_FAILURE});
  EXPECT_TRUE(provider.Lookup(live).has_value());
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  EXPECT_EQ(provider.Logoff(live, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
}

// F2
TEST(LogoffContract, NonZeroReservedFails) {
  Provider provider(Seeded());
  const LHANDLE live = NewSession(provider);
  const ProviderStats before = provider.Stats();
  for (int bit = 0; bit < 32; ++bit) {
    const ULONG reserved = ULONG{1} << bit;
    EXPECT_EQ(provider.Logoff(live, 0, 0, reserved), ULONG{MAPI_E_FAILURE}) << "bit " << bit;
    EXPECT_EQ(provider.Logoff(0, 0, 0, reserved), ULONG{MAPI_E_FAILURE});
  }
  EXPECT_TRUE(provider.Lookup(live).has_value());
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  EXPECT_EQ(provider.Logoff(live, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
}

// F3a
TEST(LogoffContract, ZeroHandleIsInvalid) {
  Provider provider(Seeded(4));
  EXPECT_EQ(provider.Logoff(0, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
  // Slot 0 used and freed: it holds 0 again, which still must not match handle 0.
  const LHANDLE first = NewSession(provider);
  const LHANDLE second = NewSession(provider);
  ASSERT_EQ(provider.Logoff(first, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  const ProviderStats before = provider.Stats();
  EXPECT_EQ(provider.Logoff(lhSessionNull, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
  EXPECT_FALSE(provider.Lookup(0).has_value());
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  EXPECT_TRUE(provider.Lookup(second).has_value());
}

// F3b
TEST(LogoffContract, NeverIssuedHandleIsInvalid) {
  Provider provider(Seeded(16, 1));
  Provider other(Seeded(16, 2));
  std::vector<LHANDLE> live;
  for (int i = 0; i < 8; ++i) live.push_back(NewSession(provider));
  const LHANDLE foreign = NewSession(other);
  const ProviderStats before = provider.Stats();
  EXPECT_EQ(provider.Logoff(foreign, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
  for (LHANDLE guess : {LHANDLE{1}, LHANDLE{2}, LHANDLE{0xffffffffu}, ~LHANDLE{0},
                        LHANDLE{0x8000000000000000ULL}, LHANDLE{0x0000000100000000ULL}}) {
    EXPECT_EQ(provider.Logoff(guess, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION}) << guess;
  }
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  for (LHANDLE handle : live) EXPECT_TRUE(provider.Lookup(handle).has_value());
}

// F3c
TEST(LogoffContract, DoubleLogoffIsInvalid) {
  Provider provider(Seeded());
  const LHANDLE handle = NewSession(provider);
  const LHANDLE bystander = NewSession(provider);
  ASSERT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  const ProviderStats before = provider.Stats();
  EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  EXPECT_TRUE(provider.Lookup(bystander).has_value());
}

// F3d
TEST(LogoffContract, StaleHandleAfterSlotReuseIsInvalid) {
  Provider provider(Seeded(1));  // One slot: the next logon must reuse it.
  const LHANDLE stale = NewSession(provider);
  ASSERT_EQ(provider.Logoff(stale, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  const LHANDLE current = NewSession(provider);
  ASSERT_NE(current, 0u);
  ASSERT_NE(current, stale);
  const ProviderStats before = provider.Stats();
  EXPECT_EQ(provider.Logoff(stale, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
  EXPECT_FALSE(provider.Lookup(stale).has_value());
  EXPECT_TRUE(provider.Lookup(current).has_value());
  EXPECT_TRUE(SameStats(provider.Stats(), before));
}

// F3e
TEST(LogoffContract, EveryBitFlipIsInvalid) {
  Provider provider(Seeded(8));
  std::vector<LHANDLE> live;
  for (int i = 0; i < 8; ++i) live.push_back(NewSession(provider));
  const ProviderStats before = provider.Stats();
  for (LHANDLE handle : live) {
    for (int bit = 0; bit < 64; ++bit) {
      const LHANDLE flipped = handle ^ (LHANDLE{1} << bit);
      EXPECT_EQ(provider.Logoff(flipped, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION}) << "bit " << bit;
    }
  }
  EXPECT_TRUE(SameStats(provider.Stats(), before));
}

// F3f
TEST(LogoffContract, TruncatedHandleIsInvalid) {
  Provider provider(Seeded());
  const LHANDLE handle = NewSession(provider);
  const ProviderStats before = provider.Stats();
  const LHANDLE low = handle & 0xffffffffu;
  const LHANDLE high = handle >> 32;
  const LHANDLE swapped = (handle << 32) | (handle >> 32);
  for (LHANDLE cut : {low, high, swapped, LHANDLE{static_cast<uint32_t>(handle)}}) {
    if (cut == handle) continue;  // Cannot happen for a well-mixed handle; guards the test.
    EXPECT_EQ(provider.Logoff(cut, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
  }
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
}

// F4
TEST(LogoffContract, OutOfMemoryKeepsSessionLive) {
  FailingResource memory;
  ProviderOptions options = Seeded();
  options.memory = &memory;
  Provider provider(options);
  const LHANDLE handle = NewSession(provider);
  const auto view = provider.Lookup(handle);
  ASSERT_TRUE(view.has_value());
  const ProviderStats before = provider.Stats();
  memory.FailAll();
  EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{MAPI_E_INSUFFICIENT_MEMORY});
  EXPECT_GT(memory.failures(), 0u);  // The code came from a real failed allocation.
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  const auto still = provider.Lookup(handle);
  ASSERT_TRUE(still.has_value());
  EXPECT_EQ(still->session_id, view->session_id);
  EXPECT_EQ(provider.CheckInvariants(), nullptr);
  memory.Disarm();
  EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_FALSE(provider.Lookup(handle).has_value());
}

// F5
TEST(LogoffContract, SuccessInvalidatesHandleForever) {
  ProviderOptions options = Seeded(2);
  options.max_generation = 64;
  Provider provider(options);
  const LHANDLE handle = NewSession(provider);
  ASSERT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_FALSE(provider.Lookup(handle).has_value());
  // Churn both slots through every generation they have: the old handle never comes back.
  for (int i = 0; i < 200; ++i) {
    const LHANDLE next = NewSession(provider);
    if (next == 0) break;  // Every slot retired.
    EXPECT_NE(next, handle);
    EXPECT_FALSE(provider.Lookup(handle).has_value());
    EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
    ASSERT_EQ(provider.Logoff(next, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  }
  EXPECT_EQ(provider.Stats().retired_slots, 2u);
}

// F6
TEST(LogoffContract, WindowParamNeverChangesResult) {
  const ULONG_PTR windows[] = {0, 1, 0x12345678, ~ULONG_PTR{0}};
  for (ULONG_PTR window : windows) {
    Provider provider(Seeded(4));
    const LHANDLE live = NewSession(provider);
    const LHANDLE gone = NewSession(provider);
    ASSERT_EQ(provider.Logoff(gone, window, 0, 0), ULONG{SUCCESS_SUCCESS});
    EXPECT_EQ(provider.Logoff(live, window, 1, 0), ULONG{MAPI_E_FAILURE});
    EXPECT_EQ(provider.Logoff(live, window, 0, 1), ULONG{MAPI_E_FAILURE});
    EXPECT_EQ(provider.Logoff(0, window, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
    EXPECT_EQ(provider.Logoff(gone, window, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
    EXPECT_EQ(provider.Logoff(live, window, 0, 0), ULONG{SUCCESS_SUCCESS});
  }
}

// F7
TEST(LogoffContract, SharedSessionEndsWithLastHandle) {
  Provider provider(Seeded());
  LHANDLE first = 0, second = 0, third = 0;
  ASSERT_EQ(provider.Logon(0, "default", "", 0, 0, &first), ULONG{SUCCESS_SUCCESS});
  ASSERT_EQ(provider.Logon(0, nullptr, nullptr, 0, 0, &second), ULONG{SUCCESS_SUCCESS});
  ASSERT_EQ(provider.Logon(0, nullptr, nullptr, 0, 0, &third), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(provider.Stats().shared_handles, 3u);
  EXPECT_EQ(provider.Stats().live_sessions, 1u);
  ASSERT_EQ(provider.Logoff(second, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(provider.HasSharedSession());
  EXPECT_TRUE(provider.Lookup(first).has_value());
  EXPECT_TRUE(provider.Lookup(third).has_value());
  EXPECT_EQ(provider.Logoff(second, 0, 0, 0), ULONG{MAPI_E_INVALID_SESSION});
  ASSERT_EQ(provider.Logoff(first, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(provider.HasSharedSession());
  ASSERT_EQ(provider.Logoff(third, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_FALSE(provider.HasSharedSession());
  EXPECT_EQ(provider.Stats().live_sessions, 0u);
  LHANDLE again = 0;
  EXPECT_EQ(provider.Logon(0, nullptr, nullptr, 0, 0, &again), ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(provider.CheckInvariants(), nullptr);
}

// F8
TEST(LogoffContract, ConcurrentDoubleLogoffHasOneWinner) {
  Provider provider(Seeded(8));
  for (int round = 0; round < 2000; ++round) {
    const LHANDLE handle = NewSession(provider);
    ASSERT_NE(handle, 0u);
    std::atomic<int> go{0};
    ULONG results[2];
    auto racer = [&](int i) {
      go.fetch_add(1);
      while (go.load() < 2) {
      }
      results[i] = provider.Logoff(handle, 0, 0, 0);
    };
    std::thread a(racer, 0), b(racer, 1);
    a.join();
    b.join();
    const int wins = (results[0] == SUCCESS_SUCCESS) + (results[1] == SUCCESS_SUCCESS);
    const int invalid =
        (results[0] == MAPI_E_INVALID_SESSION) + (results[1] == MAPI_E_INVALID_SESSION);
    ASSERT_EQ(wins, 1) << "round " << round;
    ASSERT_EQ(invalid, 1) << "round " << round;
  }
  EXPECT_EQ(provider.Stats().live_handles, 0u);
}

}  // namespace
}  // namespace smapi
