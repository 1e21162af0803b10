// A std::pmr::memory_resource that fails chosen allocations, for tests and fuzzers.
//
// Give it to a Provider through ProviderOptions::memory, arm a schedule, and every allocation the
// provider makes is counted; the scheduled ones throw std::bad_alloc as a real exhausted resource
// would. It also tracks what is outstanding, so a caller can assert that nothing leaked.
#ifndef SMAPI_FUZZERS_SUPPORT_FAILING_RESOURCE_H_
#define SMAPI_FUZZERS_SUPPORT_FAILING_RESOURCE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory_resource>
#include <new>

namespace smapi::testing {

class FailingResource final : public std::pmr::memory_resource {
 public:
  explicit FailingResource(std::pmr::memory_resource* upstream = std::pmr::new_delete_resource())
      : upstream_(upstream) {}

  // Counting restarts at the next allocation, which is number 1.
  // Fails allocation number n only (0 = none).
  void FailNth(uint64_t n) { Arm(n, 0); }
  // Fails allocation number n and every one after it (0 = none).
  void FailFrom(uint64_t n) { Arm(0, n); }
  void FailAll() { Arm(0, 1); }
  void Disarm() { Arm(0, 0); }

  uint64_t allocations() const { return count_.load(std::memory_order_relaxed); }
  uint64_t failures() const { return failures_.load(std::memory_order_relaxed); }
  size_t outstanding_blocks() const { return blocks_.load(std::memory_order_relaxed); }
  size_t outstanding_bytes() const { return bytes_.load(std::memory_order_relaxed); }

 private:
  void Arm(uint64_t nth, uint64_t from) {
    count_.store(0, std::memory_order_relaxed);
    failures_.store(0, std::memory_order_relaxed);
    nth_ = nth;
    from_ = from;
  }

  void* do_allocate(size_t bytes, size_t alignment) override {
    const uint64_t n = count_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (n == nth_ || (from_ != 0 && n >= from_)) {
      failures_.fetch_add(1, std::memory_order_relaxed);
      throw std::bad_alloc();
    }
    void* p = upstream_->allocate(bytes, alignment);
    blocks_.fetch_add(1, std::memory_order_relaxed);
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
    return p;
  }

  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    blocks_.fetch_sub(1, std::memory_order_relaxed);
    bytes_.fetch_sub(bytes, std::memory_order_relaxed);
    upstream_->deallocate(p, bytes, alignment);
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  std::pmr::memory_resource* const upstream_;
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<size_t> blocks_{0};
  std::atomic<size_t> bytes_{0};
  uint64_t nth_ = 0;
  uint64_t from_ = 0;
};

}  // namespace smapi::testing

#endif  // SMAPI_FUZZERS_SUPPORT_FAILING_RESOURCE_H_
