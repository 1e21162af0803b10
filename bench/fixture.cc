#include "fixture.h"

#include <chrono>
#include <cstdlib>
#include <list>
#include <mutex>
#include <string>

namespace smapi::bench {
namespace {

struct Entry {
  std::string impl;
  uint32_t sessions;
  std::shared_ptr<void> fixture;
};

}  // namespace

void* CachedFixture(std::string_view impl, uint32_t sessions,
                    const std::function<std::shared_ptr<void>()>& build) {
  static std::mutex mu;
  static std::list<Entry> entries;  // Most recently used first.
  std::lock_guard lock(mu);
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->impl == impl && it->sessions == sessions) {
      entries.splice(entries.begin(), entries, it);
      return it->fixture.get();
    }
  }
  uint64_t held = sessions;
  for (const Entry& entry : entries) held += entry.sessions;
  while (held > kCacheBudget && !entries.empty()) {
    held -= entries.back().sessions;
    entries.pop_back();
  }
  const auto start = std::chrono::steady_clock::now();
  entries.push_front(Entry{std::string(impl), sessions, build()});
  if (std::getenv("SMAPI_BENCH_VERBOSE") != nullptr) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    std::fprintf(stderr, "built %s/%u in %.3f s\n", std::string(impl).c_str(), sessions,
                 took.count());
  }
  return entries.front().fixture.get();
}

}  // namespace smapi::bench
