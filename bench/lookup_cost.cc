// smapi_lookup_cost: resolves the live handles of one implementation's fixture in a loop, for
// measuring what one lookup costs under valgrind's cachegrind (bench/lookup_cost.sh), which counts
// instructions and simulates the caches deterministically, unlike timing on a shared machine.
//
//   smapi_lookup_cost IMPLEMENTATION SESSIONS LOOKUPS
//
// The lookups all happen in ResolveHits, kept out of line so that cachegrind charges them, and
// nothing else, to that one function.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "fixture.h"
#include "implementations.h"

namespace smapi::bench {
namespace {

// lookup_benchmark.cc's loop, with a count in place of Google Benchmark's state, so that what
// cachegrind counts per lookup is what the benchmark times (DoNotOptimize's memory clobber
// included: it makes every lookup reload the table's fields, in both).
template <class Impl>
[[gnu::noinline]] void ResolveHits(const Impl& impl, const std::vector<LHANDLE>& handles,
                                   uint64_t lookups) {
  const LHANDLE* const data = handles.data();
  const size_t n = handles.size();
  size_t i = 0;
  for (uint64_t k = lookups; k != 0; --k) {
    benchmark::DoNotOptimize(impl.Lookup(data[i]));
    if (++i == n) i = 0;
  }
}

}  // namespace
}  // namespace smapi::bench

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s IMPLEMENTATION SESSIONS LOOKUPS\n", argv[0]);
    return 2;
  }
  const std::string_view name = argv[1];
  const auto sessions = static_cast<uint32_t>(std::strtoul(argv[2], nullptr, 10));
  const uint64_t lookups = std::strtoull(argv[3], nullptr, 10);
  bool found = false;
  smapi::bench::ForEachImplementation([&]<class Impl>() {
    if (Impl::kName != name) return;
    found = true;
    const smapi::bench::Fixture<Impl> fixture(sessions);
    smapi::bench::ResolveHits(*fixture.impl, fixture.handles.hit, lookups);
    std::printf("%s/%u: %llu lookups\n", argv[1], sessions,
                static_cast<unsigned long long>(lookups));
  });
  if (!found) std::fprintf(stderr, "no implementation named %s\n", argv[1]);
  return found ? 0 : 2;
}
