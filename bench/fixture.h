// The state a benchmark runs against: an implementation holding `sessions` live sessions, and the
// handles each lookup benchmark resolves, built once per (implementation, size) and shared by every
// operation and thread count that needs it.
#ifndef SMAPI_BENCH_FIXTURE_H_
#define SMAPI_BENCH_FIXTURE_H_

#include <smapi/mapi.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "handle_codec.h"

namespace smapi::bench {

// The handles each lookup operation resolves, `sessions` of each, in a fixed random order.
struct HandleSets {
  std::vector<LHANDLE> hit;    // Live handles.
  std::vector<LHANDLE> miss;   // Random 64-bit values no implementation ever issued.
  std::vector<LHANDLE> stale;  // Logged off; smapi has since reissued their slots to live sessions.
  std::vector<LHANDLE> forged;  // A live handle with one random bit flipped.
};

[[noreturn]] inline void FixtureFailed(std::string_view impl, uint32_t sessions, const char* what) {
  std::fprintf(stderr, "fixture %.*s/%u: %s\n", static_cast<int>(impl.size()), impl.data(),
               sessions, what);
  std::abort();
}

// A Fisher-Yates shuffle driven by a fixed seed: the same order on every run and every machine.
inline void Shuffle(std::vector<LHANDLE>& handles, uint64_t seed) {
  internal::SplitMix64 rng(seed);
  for (size_t i = handles.size(); i > 1; --i) {
    std::swap(handles[i - 1], handles[rng.Next() % i]);
  }
}

// Free slots kept beside the live sessions: the churn thread and the logon_logoff threads log on
// into these. Spread evenly through the table (see Fixture), so churn writes land among the slots
// the readers read, as they would in a real provider.
inline uint32_t SpareSlots(uint32_t sessions) {
  const uint32_t threads = std::max(1u, std::thread::hardware_concurrency());
  return std::max(sessions / 64, 2 * threads + 16);
}

template <class Impl>
struct Fixture {
  explicit Fixture(uint32_t sessions);

  uint32_t sessions;
  std::unique_ptr<Impl> impl;
  HandleSets handles;
};

// Builds the table in three rounds, the same calls for every implementation:
//   1. log on sessions + spare handles (in smapi, slots 0, 1, 2, ... in order);
//   2. log all of them off, in the same order (smapi queues the slots for reuse in that order);
//   3. log on as many again (smapi reissues every slot, one generation up), then log off the
//      `spare` handles spread evenly through the table.
// Round 1's handles are then stale, and in smapi each one points at a slot that is live again.
template <class Impl>
Fixture<Impl>::Fixture(uint32_t sessions_in)
    : sessions(sessions_in), impl(std::make_unique<Impl>(sessions_in + SpareSlots(sessions_in))) {
  const uint32_t spare = SpareSlots(sessions);
  const uint32_t total = sessions + spare;
  const auto fail = [&](const char* what) { FixtureFailed(Impl::kName, sessions, what); };

  std::vector<LHANDLE> first(total);
  for (LHANDLE& handle : first) {
    if ((handle = impl->Logon()) == 0) fail("logon failed in round 1");
  }
  for (const LHANDLE handle : first) {
    if (!impl->Logoff(handle)) fail("logoff failed in round 2");
  }
  std::vector<LHANDLE> second(total);
  for (LHANDLE& handle : second) {
    if ((handle = impl->Logon()) == 0) fail("logon failed in round 3");
  }
  std::vector<bool> is_spare(total, false);
  for (uint32_t j = 0; j < spare; ++j) {
    const size_t position = size_t{j} * total / spare;
    is_spare[position] = true;
    if (!impl->Logoff(second[position])) fail("logoff of a spare failed in round 3");
  }

  HandleSets& h = handles;
  h.hit.reserve(sessions);
  h.stale.reserve(sessions);
  for (uint32_t i = 0; i < total; ++i) {
    if (is_spare[i]) continue;
    h.hit.push_back(second[i]);
    h.stale.push_back(first[i]);
  }
  Shuffle(h.hit, 0x1111);
  Shuffle(h.stale, 0x2222);
  internal::SplitMix64 rng(0x3333);
  h.miss.resize(sessions);
  for (LHANDLE& handle : h.miss) {
    while ((handle = rng.Next()) == 0) {
    }
  }
  h.forged.resize(sessions);
  for (uint32_t i = 0; i < sessions; ++i) {
    h.forged[i] = h.hit[i] ^ (uint64_t{1} << (rng.Next() & 63));
  }

  // What each set means is checked, not assumed.
  for (const LHANDLE handle : h.hit) {
    if (impl->Lookup(handle) == 0) fail("a live handle does not resolve");
  }
  if constexpr (Impl::kValidates) {
    for (const auto* set : {&h.miss, &h.stale, &h.forged}) {
      for (const LHANDLE handle : *set) {
        if (impl->Lookup(handle) != 0) fail("an invalid handle resolves to a session");
      }
    }
  }
}

// The process-wide cache behind GetFixture. Holds at most about kCacheBudget sessions' worth of
// fixtures, dropping the least recently used. That is room for all eighteen (about 6.8M sessions,
// 0.6 GB), because ci/bench.sh's full run interleaves the repetitions of every benchmark at random
// and would otherwise rebuild fixtures over and over.
inline constexpr uint64_t kCacheBudget = 8'000'000;
void* CachedFixture(std::string_view impl, uint32_t sessions,
                    const std::function<std::shared_ptr<void>()>& build);

// The fixture for (Impl, sessions), built on first use. Thread-safe: the threads of one benchmark
// all ask for the same one, and the first builds it while the others wait.
template <class Impl>
Fixture<Impl>& GetFixture(uint32_t sessions) {
  return *static_cast<Fixture<Impl>*>(CachedFixture(Impl::kName, sessions, [sessions] {
    return std::static_pointer_cast<void>(std::make_shared<Fixture<Impl>>(sessions));
  }));
}

}  // namespace smapi::bench

#endif  // SMAPI_BENCH_FIXTURE_H_
