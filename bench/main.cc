// smapi_bench: every benchmark of issue 4, named <operation>/<implementation>/<sessions>, plus
// Google Benchmark's own /threads:N, registered implementation by implementation and size by size.
// bench/fixture.h keeps every fixture, so each is built once in any order (ci/bench.sh's full run
// interleaves them).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <thread>
#include <vector>

#include "implementations.h"
#include "registration.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  const int max_threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const uint32_t sizes[] = {1024, 65536, 1048576};
  std::vector<std::string_view> implementations;
  smapi::bench::ForEachImplementation(
      [&]<class Impl>() { implementations.push_back(Impl::kName); });
  for (const std::string_view impl : implementations) {
    for (const uint32_t sessions : sizes) {
      smapi::bench::RegisterLookupBenchmarks(impl, sessions, max_threads);
      smapi::bench::RegisterLogonLogoffBenchmarks(impl, sessions, max_threads);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
