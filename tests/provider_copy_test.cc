// Provider's copy constructor: the copy is the source's state, behaves as the source would call for
// call, owns its own memory, and a copy that runs out of memory keeps nothing.
#include <gtest/gtest.h>
#include <smapi/provider.h>

#include <atomic>
#include <memory>
#include <memory_resource>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "failing_resource.h"
#include "test_support.h"

namespace smapi {
namespace {

using testing::FailingResource;
using testing::NewSession;
using testing::SameStats;
using testing::ScriptedUiHost;
using testing::Seeded;

constexpr char kLongPassword[] = "a-password-longer-than-any-short-string";

// Everything a copy must carry: live private sessions, a shared session with several handles, a
// logged-off handle whose slot waits in the reuse queue, a retired slot, and a second profile
// whose password is long enough to live in a block of its own.
struct History {
  std::vector<LHANDLE> live;
  std::vector<LHANDLE> dead;
};

History MakeHistory(Provider& provider) {
  History history;
  EXPECT_EQ(provider.AddProfile("second", kLongPassword), ULONG{SUCCESS_SUCCESS});
  for (int generation = 1; generation <= 2; ++generation) {  // Slot 0 retires after two.
    const LHANDLE handle = NewSession(provider);
    EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
    history.dead.push_back(handle);
  }
  LHANDLE handle = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(provider.Logon(0, "second", kLongPassword, 0, 0, &handle), ULONG{SUCCESS_SUCCESS});
    history.live.push_back(handle);
  }
  EXPECT_EQ(provider.Logon(0, "second", kLongPassword, MAPI_NEW_SESSION, 0, &handle),
            ULONG{SUCCESS_SUCCESS});
  history.live.push_back(handle);
  history.live.push_back(NewSession(provider));
  EXPECT_EQ(provider.Logoff(history.live[1], 0, 0, 0), ULONG{SUCCESS_SUCCESS});  // Queued.
  history.dead.push_back(history.live[1]);
  history.live.erase(history.live.begin() + 1);
  return history;
}

ProviderOptions HistoryOptions() {
  ProviderOptions options = Seeded(8);
  options.max_generation = 2;
  return options;
}

TEST(ProviderCopy, HoldsTheSourcesState) {
  Provider source(HistoryOptions());
  const History history = MakeHistory(source);
  Provider copy(source, nullptr);
  EXPECT_EQ(copy.Fingerprint(), source.Fingerprint());
  EXPECT_TRUE(SameStats(copy.Stats(), source.Stats()));
  EXPECT_EQ(copy.Stats().retired_slots, 1u);
  EXPECT_EQ(copy.Stats().free_slots, 8u - 1 - 4);  // The queued slot is free again.
  EXPECT_TRUE(copy.HasSharedSession());
  EXPECT_EQ(copy.CheckInvariants(), nullptr);
  for (const LHANDLE handle : history.live) {
    const auto want = source.Lookup(handle);
    const auto got = copy.Lookup(handle);
    ASSERT_TRUE(want.has_value());
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->session_id, want->session_id);
  }
  for (const LHANDLE handle : history.dead) EXPECT_FALSE(copy.Lookup(handle).has_value());
}

// What a run of later calls gave: every result and every handle issued.
struct CallsResult {
  std::vector<ULONG> results;
  std::vector<LHANDLE> issued;
};

CallsResult LaterCalls(Provider& provider, const History& history) {
  CallsResult run;
  for (const LHANDLE handle : history.live) run.results.push_back(provider.Logoff(handle, 0, 0, 0));
  for (int i = 0; i < 8; ++i) {
    LHANDLE handle = 0;
    const FLAGS flags = i % 2 == 0 ? MAPI_NEW_SESSION : 0;
    run.results.push_back(provider.Logon(0, nullptr, nullptr, flags, 0, &handle));
    run.issued.push_back(handle);
  }
  return run;
}

// The same calls on both give the same results and the same handles: the handle key, the tag
// generator and the reuse queue came across.
TEST(ProviderCopy, AnswersLaterCallsAsTheSourceDoes) {
  Provider source(HistoryOptions());
  const History history = MakeHistory(source);
  Provider copy(source, nullptr);
  const CallsResult want = LaterCalls(source, history);
  const CallsResult got = LaterCalls(copy, history);
  EXPECT_EQ(got.results, want.results);
  EXPECT_EQ(got.issued, want.issued);
  EXPECT_NE(want.issued[0], 0u);  // The calls did issue handles.
  EXPECT_EQ(copy.Fingerprint(), source.Fingerprint());
}

TEST(ProviderCopy, IsIndependentOfItsSource) {
  auto source = std::make_unique<Provider>(HistoryOptions());
  const History history = MakeHistory(*source);
  Provider copy(*source, nullptr);
  const uint64_t copied = copy.Fingerprint();
  ASSERT_EQ(source->Logoff(history.live[0], 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(copy.Lookup(history.live[0]).has_value());
  EXPECT_EQ(copy.Fingerprint(), copied);
  ASSERT_EQ(copy.Logoff(history.live[1], 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(source->Lookup(history.live[1]).has_value());
  source.reset();  // The copy keeps working without it.
  EXPECT_TRUE(copy.Lookup(history.live[0]).has_value());
  EXPECT_EQ(copy.Logoff(history.live[0], 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(copy.CheckInvariants(), nullptr);
}

// Every block the copy takes comes from the memory it was given, and goes back to it, wiped (the
// failing resource aborts on a watched password given back).
TEST(ProviderCopy, AllocatesFromItsOwnMemory) {
  FailingResource source_memory;
  ProviderOptions options = HistoryOptions();
  options.memory = &source_memory;
  Provider source(options);
  MakeHistory(source);
  const size_t source_blocks = source_memory.outstanding_blocks();
  FailingResource memory;
  memory.WatchSecret(kLongPassword);
  memory.AllowPlain("second");
  {
    Provider copy(source, &memory);
    EXPECT_EQ(memory.outstanding_blocks(), source_blocks);
    EXPECT_EQ(source_memory.outstanding_blocks(), source_blocks);
  }
  EXPECT_EQ(memory.outstanding_blocks(), 0u);
}

// A failed copy throws and keeps nothing, whichever allocation fails, and leaves the source as it
// was. The passwords it had copied are wiped before their blocks go back.
TEST(ProviderCopy, OutOfMemoryKeepsNothing) {
  Provider source(HistoryOptions());
  const History history = MakeHistory(source);
  const uint64_t before = source.Fingerprint();
  FailingResource memory;
  memory.WatchSecret(kLongPassword);
  memory.AllowPlain("second");
  { Provider counted(source, &memory); }
  const uint64_t allocations = memory.allocations();
  ASSERT_GE(allocations, 5u);  // The state, the table, the queue, a profile, the sessions.
  for (uint64_t n = 1; n <= allocations; ++n) {
    SCOPED_TRACE("allocation " + std::to_string(n) + " fails");
    memory.FailNth(n);
    EXPECT_THROW(Provider copy(source, &memory), std::bad_alloc);
    EXPECT_EQ(memory.failures(), 1u);
    EXPECT_EQ(memory.outstanding_blocks(), 0u);
  }
  memory.Disarm();
  EXPECT_EQ(source.Fingerprint(), before);
  EXPECT_TRUE(source.Lookup(history.live[0]).has_value());
}

TEST(ProviderCopy, PromptsThroughItsOwnUiHost) {
  ScriptedUiHost source_ui;
  ProviderOptions options = Seeded();
  options.ui = &source_ui;
  Provider source(options);
  ScriptedUiHost ui;
  ui.result = PromptResult::kAnswered;
  ui.profile = "default";
  Provider copy(source, nullptr, &ui);
  LHANDLE handle = 0;
  EXPECT_EQ(copy.Logon(0, "nobody", nullptr, MAPI_LOGON_UI | MAPI_NEW_SESSION, 0, &handle),
            ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(ui.asked.size(), 1u);
  EXPECT_TRUE(source_ui.asked.empty());
}

// The copy takes the source's writer lock: copies made while another thread logs on and off are
// each a consistent state (and TSan sees no race).
TEST(ProviderCopy, CopiesWhileAnotherThreadWrites) {
  Provider source(Seeded(16));
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    while (!stop.load(std::memory_order_relaxed)) {
      const LHANDLE handle = NewSession(source);
      if (handle != 0) source.Logoff(handle, 0, 0, 0);
    }
  });
  for (int i = 0; i < 200; ++i) {
    Provider copy(source, nullptr);
    ASSERT_EQ(copy.CheckInvariants(), nullptr);
    ASSERT_LE(copy.Stats().live_handles, 1u);
  }
  stop.store(true, std::memory_order_relaxed);
  writer.join();
}

}  // namespace
}  // namespace smapi
