// The lookup hot path: turning an LHANDLE into a session, which every session call starts with.
//
// Each benchmark thread walks one of the fixture's handle sets in its fixed random order, starting
// at its own offset, and resolves one handle per iteration. lookup_hit_churn does the same over the
// live handles while one extra thread, outside Google Benchmark's accounting, logs sessions on and
// off without pause; the time reported is the readers'.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"
#include "implementations.h"
#include "registration.h"

namespace smapi::bench {
namespace {

template <class Impl>
void ResolveAll(benchmark::State& state, const Impl& impl, const std::vector<LHANDLE>& handles) {
  const LHANDLE* const data = handles.data();
  const size_t n = handles.size();
  size_t i = n * static_cast<size_t>(state.thread_index()) / static_cast<size_t>(state.threads());
  for (auto _ : state) {
    benchmark::DoNotOptimize(impl.Lookup(data[i]));
    if (++i == n) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

template <class Impl>
void Lookup(benchmark::State& state, uint32_t sessions, std::vector<LHANDLE> HandleSets::*set) {
  Fixture<Impl>& fixture = GetFixture<Impl>(sessions);
  ResolveAll(state, *fixture.impl, fixture.handles.*set);
}

// Logs a session on and off, again and again, until told to stop. Each logon takes a spare slot
// (in smapi, the one that has waited longest in the reuse queue), so the writes wander over slots
// that share cache lines with the ones the readers resolve.
template <class Impl>
class Churn {
 public:
  explicit Churn(Impl& impl) : thread_([this, &impl] { Run(impl); }) {
    while (!running_.load(std::memory_order_acquire)) std::this_thread::yield();
  }
  Churn(const Churn&) = delete;
  Churn& operator=(const Churn&) = delete;

  // Stops and joins the thread. Returns logon/logoff pairs per second, or -1 if a call failed.
  double Stop() {
    stop_.store(true, std::memory_order_relaxed);
    thread_.join();
    return failed_ ? -1 : static_cast<double>(pairs_) / seconds_;
  }

 private:
  void Run(Impl& impl) {
    const auto start = std::chrono::steady_clock::now();
    running_.store(true, std::memory_order_release);
    uint64_t pairs = 0;
    while (!stop_.load(std::memory_order_relaxed)) {
      const LHANDLE handle = impl.Logon();
      if (handle == 0 || !impl.Logoff(handle)) {
        failed_ = true;
        break;
      }
      ++pairs;
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    pairs_ = pairs;
    seconds_ = took.count();
  }

  std::atomic<bool> running_{false};
  std::atomic<bool> stop_{false};
  // Written by the churn thread before it exits, read after join().
  uint64_t pairs_ = 0;
  double seconds_ = 0;
  bool failed_ = false;
  std::thread thread_;  // Last: starts once everything above is constructed.
};

template <class Impl>
void LookupHitChurn(benchmark::State& state, uint32_t sessions) {
  Fixture<Impl>& fixture = GetFixture<Impl>(sessions);
  // Thread 0 starts the writer before it reaches the loop, and Google Benchmark holds every
  // thread at a barrier on entering and on leaving the loop, so the writer runs through the
  // whole measured region of every reader.
  std::unique_ptr<Churn<Impl>> churn;
  if (state.thread_index() == 0) churn = std::make_unique<Churn<Impl>>(*fixture.impl);
  ResolveAll(state, *fixture.impl, fixture.handles.hit);
  if (churn != nullptr) {
    const double rate = churn->Stop();
    if (rate < 0) {
      state.SkipWithError("the churn thread's logon or logoff failed");
    } else {
      state.counters["churn_pairs_per_s"] = rate;
    }
  }
}

template <class Impl>
void Register(uint32_t sessions, int max_threads) {
  const auto name = [&](const char* operation) {
    return std::string(operation) + "/" + std::string(Impl::kName) + "/" + std::to_string(sessions);
  };
  const auto lookup = [&](const char* operation, std::vector<LHANDLE> HandleSets::*set) {
    benchmark::RegisterBenchmark(name(operation).c_str(), [sessions, set](benchmark::State& state) {
      Lookup<Impl>(state, sessions, set);
    })->ThreadRange(1, max_threads);
  };
  lookup("lookup_hit", &HandleSets::hit);
  lookup("lookup_miss", &HandleSets::miss);
  lookup("lookup_stale", &HandleSets::stale);
  lookup("lookup_forged", &HandleSets::forged);
  benchmark::RegisterBenchmark(name("lookup_hit_churn").c_str(), [sessions](
                                                                     benchmark::State& state) {
    LookupHitChurn<Impl>(state, sessions);
  })->ThreadRange(1, max_threads);
}

}  // namespace

void RegisterLookupBenchmarks(std::string_view impl, uint32_t sessions, int max_threads) {
  ForEachImplementation([&]<class Impl>() {
    if (Impl::kName == impl) Register<Impl>(sessions, max_threads);
  });
}

}  // namespace smapi::bench
