// logon_logoff: a full logon and logoff pair, with `sessions` other sessions live in the table.
// For smapi that is Provider::Logon (argument checks, profile and constant-time password check, a
// Session allocated, a slot issued) and Provider::Logoff (the checks, the slot released, the
// Session wiped and freed); the baselines do only their table's insert and erase.
#include <benchmark/benchmark.h>

#include <string>

#include "fixture.h"
#include "implementations.h"
#include "registration.h"

namespace smapi::bench {
namespace {

template <class Impl>
void LogonLogoff(benchmark::State& state, uint32_t sessions) {
  Impl& impl = *GetFixture<Impl>(sessions).impl;
  for (auto _ : state) {
    const LHANDLE handle = impl.Logon();
    benchmark::DoNotOptimize(handle);
    if (handle == 0 || !impl.Logoff(handle)) {
      state.SkipWithError("logon or logoff failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

void RegisterLogonLogoffBenchmarks(std::string_view impl, uint32_t sessions, int max_threads) {
  ForEachImplementation([&]<class Impl>() {
    if (Impl::kName != impl) return;
    const std::string name =
        "logon_logoff/" + std::string(Impl::kName) + "/" + std::to_string(sessions);
    benchmark::RegisterBenchmark(name.c_str(), [sessions](benchmark::State& state) {
      LogonLogoff<Impl>(state, sessions);
    })->ThreadRange(1, max_threads);
  });
}

}  // namespace smapi::bench
