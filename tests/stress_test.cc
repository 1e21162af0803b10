// Many threads, one provider: logons, logoffs (often of the same handle at once) and lookups.
// Built into its own binary so the tsan preset runs it under ThreadSanitizer.
#include <gtest/gtest.h>
#include <smapi/provider.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "handle_codec.h"

namespace smapi {
namespace {

constexpr int kThreads = 4;
constexpr int kOpsPerThread = 30000;  // 120,000 operations in all.
constexpr size_t kBoardSize = 32;     // Few, so that threads often race for the same handle.

struct ThreadLog {
  std::vector<std::pair<LHANDLE, uint64_t>> issued;    // Handle and its session id.
  std::vector<LHANDLE> won;                            // Handles this thread logged off.
  std::vector<std::pair<LHANDLE, uint64_t>> observed;  // What lookups returned.
};

TEST(Stress, ConcurrentMixedOperations) {
  ProviderOptions options;
  options.capacity = 128;
  options.max_generation = 1u << 20;
  options.seed = 7;
  Provider provider(options);
  std::vector<std::atomic<LHANDLE>> board(kBoardSize);
  std::vector<ThreadLog> logs(kThreads);
  std::atomic<int> failures{0};

  auto try_logoff = [&](LHANDLE handle, ThreadLog& log) {
    const ULONG result = provider.Logoff(handle, 0, 0, 0);
    if (result == SUCCESS_SUCCESS) {
      log.won.push_back(handle);
      if (provider.Lookup(handle).has_value()) failures.fetch_add(1);  // Dead for good.
    } else if (result != MAPI_E_INVALID_SESSION) {
      failures.fetch_add(1);
    }
  };

  auto worker = [&](int id) {
    ThreadLog& log = logs[id];
    internal::SplitMix64 rng(1000 + id);
    for (int op = 0; op < kOpsPerThread; ++op) {
      const uint64_t r = rng.Next();
      std::atomic<LHANDLE>& cell = board[(r >> 8) % kBoardSize];
      switch (r % 10) {
        case 0:
        case 1:
        case 2: {
          LHANDLE handle = 0;
          const bool join = (r >> 40) & 1;
          const ULONG result = join
                                   ? provider.Logon(0, nullptr, nullptr, 0, 0, &handle)
                                   : provider.Logon(0, "default", "", MAPI_NEW_SESSION, 0, &handle);
          if (result == SUCCESS_SUCCESS) {
            const auto view = provider.Lookup(handle);
            if (!view) {
              failures.fetch_add(1);
              break;
            }
            log.issued.emplace_back(handle, view->session_id);
            const LHANDLE displaced = cell.exchange(handle);
            if (displaced != 0) try_logoff(displaced, log);
          } else if (result != MAPI_E_TOO_MANY_SESSIONS &&
                     !(join && result == MAPI_E_LOGIN_FAILURE)) {
            failures.fetch_add(1);
          }
          break;
        }
        case 3: {  // Creates the shared session if there is none.
          LHANDLE handle = 0;
          if (provider.Logon(0, "default", "", 0, 0, &handle) == SUCCESS_SUCCESS) {
            log.issued.emplace_back(handle, provider.Lookup(handle)->session_id);
            const LHANDLE displaced = cell.exchange(handle);
            if (displaced != 0) try_logoff(displaced, log);
          }
          break;
        }
        case 4:
        case 5:
        case 6: {
          // A plain load, not an exchange: other threads may log off the same handle now.
          const LHANDLE handle = cell.load();
          if (handle != 0) try_logoff(handle, log);
          break;
        }
        default: {
          const LHANDLE handle = cell.load();
          if (handle == 0) break;
          if (const auto view = provider.Lookup(handle)) {
            log.observed.emplace_back(handle, view->session_id);
          }
          break;
        }
      }
    }
  };

  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(worker, i);
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  std::unordered_map<LHANDLE, uint64_t> issued;
  size_t operations = 0;
  for (const ThreadLog& log : logs) {
    for (const auto& [handle, session_id] : log.issued) {
      EXPECT_TRUE(issued.emplace(handle, session_id).second) << "handle issued twice: " << handle;
    }
  }
  std::unordered_set<LHANDLE> won;
  for (const ThreadLog& log : logs) {
    for (LHANDLE handle : log.won) {
      EXPECT_TRUE(issued.count(handle)) << "logged off a handle never issued";
      EXPECT_TRUE(won.insert(handle).second) << "two logoffs of one handle both won: " << handle;
    }
    for (const auto& [handle, session_id] : log.observed) {
      EXPECT_EQ(issued.at(handle), session_id) << "a lookup saw another session's payload";
    }
    operations += log.issued.size() + log.won.size() + log.observed.size();
  }
  // Whatever is still live gets its one winning logoff now.
  for (const auto& [handle, session_id] : issued) {
    if (won.count(handle)) {
      EXPECT_FALSE(provider.Lookup(handle).has_value());
      continue;
    }
    EXPECT_EQ(provider.Logoff(handle, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  }
  EXPECT_EQ(provider.Stats().live_handles, 0u);
  EXPECT_EQ(provider.Stats().live_sessions, 0u);
  EXPECT_EQ(provider.CheckInvariants(), nullptr);
  EXPECT_GT(issued.size(), 1000u);  // The run really did churn.
  EXPECT_GT(operations, 10000u);
}

}  // namespace
}  // namespace smapi
