// A std::pmr::memory_resource that fails chosen allocations, for tests and fuzzers.
//
// Give it to a Provider through ProviderOptions::memory, arm a schedule, and every allocation the
// provider makes is counted; the scheduled ones throw std::bad_alloc as a real exhausted resource
// would. It also tracks what is outstanding, so a caller can assert that nothing leaked, and checks
// every block given back for the passwords it was told to watch (contract row H6): a provider must
// wipe a password before the memory that held it goes back. Only this resource checks, not the
// arena under it: the arena also serves the fuzzers' model, which keeps passwords by design.
#ifndef SMAPI_FUZZERS_SUPPORT_FAILING_RESOURCE_H_
#define SMAPI_FUZZERS_SUPPORT_FAILING_RESOURCE_H_

#include <string.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory_resource>
#include <new>
#include <string>
#include <string_view>
#include <vector>

namespace smapi::testing {

// Oracle code, not the provider's: UBSan's vptr check, a hashed type lookup on every member access
// of a polymorphic object, made up over a third of an allocation's cost here.
#if defined(__clang__)
#pragma clang attribute push(__attribute__((no_sanitize("vptr"))), apply_to = function)
#endif

class FailingResource final : public std::pmr::memory_resource {
 public:
  // Who allocates: any thread, or one thread at a time (a target that keeps its worlds). The
  // counters are atomic either way; only with kAnyThread are their updates locked
  // read-modify-writes, which a resource used by one thread need not pay for.
  enum class Callers { kAnyThread, kOneThread };

  explicit FailingResource(std::pmr::memory_resource* upstream = std::pmr::new_delete_resource(),
                           Callers callers = Callers::kAnyThread)
      : upstream_(upstream), one_thread_(callers == Callers::kOneThread) {}

  // Counting restarts at the next allocation, which is number 1.
  // Fails allocation number n only (0 = none).
  void FailNth(uint64_t n) { Arm(n, 0); }
  // Fails allocation number n and every one after it (0 = none).
  void FailFrom(uint64_t n) { Arm(0, n); }
  void FailAll() { Arm(0, 1); }
  void Disarm() { Arm(0, 0); }

  // H6: from now on, a block given back that still holds `password` aborts. Watched only when it
  // is kMinWatched bytes or more of printable ASCII without spaces: bytes such as 0xff or 0x00
  // turn up in the provider's numbers (UINT32_MAX, small counts), and its random words (the handle
  // key, the session id mask) hold short printable runs. logon_fuzzer found one: the password
  // "]qeZ" is 4 bytes of a provider's id mask, which no wipe could remove. A whole printable word
  // comes out of 8 random bytes about once in 3,000.
  // Register before the provider may store it, and not while other threads allocate.
  void WatchSecret(std::string_view password) {
    if (password.size() < kMinWatched) return;
    for (const char c : password) {
      if (c <= ' ' || c > '~') return;
    }
    secrets_.emplace_back(password);
  }
  // Text the provider may keep in the clear (a profile name): a password inside it is not watched.
  void AllowPlain(std::string_view text) { plain_.emplace_back(text); }
  // What is registered now; ForgetSecrets(mark) drops what was registered after it, for a caller
  // whose call failed and so stored nothing.
  struct SecretMark {
    size_t secrets;
    size_t plain;
  };
  SecretMark secret_mark() const { return SecretMark{secrets_.size(), plain_.size()}; }
  void ForgetSecrets(SecretMark mark) {
    if (mark.secrets < secrets_.size()) secrets_.resize(mark.secrets);
    if (mark.plain < plain_.size()) plain_.resize(mark.plain);
  }
  static constexpr size_t kMinWatched = 8;

  // Back to a new resource's state, for an owner that serves provider after provider: the lists
  // keep their capacity, so a restart allocates nothing (a new resource per rebuilt provider cost
  // a heap block, with ASan's stack trace, and its free). Only once every block came back.
  void Restart() {
    if (outstanding_blocks() != 0) {
      std::fprintf(stderr, "FailingResource: Restart() with %zu blocks still in use\n",
                   outstanding_blocks());
      std::abort();
    }
    Disarm();
    secrets_.clear();
    plain_.clear();
  }

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

  // Returns the value before. One thread: a load and a store, not a locked read-modify-write.
  template <typename T>
  [[gnu::always_inline]] T Add(std::atomic<T>& counter, T delta) {
    if (!one_thread_) return counter.fetch_add(delta, std::memory_order_relaxed);
    const T before = counter.load(std::memory_order_relaxed);
    counter.store(before + delta, std::memory_order_relaxed);
    return before;
  }

  void* do_allocate(size_t bytes, size_t alignment) override {
    const uint64_t n = Add<uint64_t>(count_, 1) + 1;
    if (n == nth_ || (from_ != 0 && n >= from_)) {
      Add<uint64_t>(failures_, 1);
      throw std::bad_alloc();
    }
    void* p = upstream_->allocate(bytes, alignment);
    // A fresh pattern, so that a block given back holds only what was written into it while it
    // was out: memory reused from an earlier owner (the arena's next provider, the model's old
    // strings) must not read as a password the provider left behind.
    Fill(p, bytes);
    Add<size_t>(blocks_, 1);
    Add<size_t>(bytes_, bytes);
    return p;
  }

  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    CheckWiped(p, bytes);
    Add<size_t>(blocks_, static_cast<size_t>(-1));
    Add<size_t>(bytes_, -bytes);
    upstream_->deallocate(p, bytes, alignment);
  }

  // Under ASan a memset is checked against the shadow, range by range, which is half the cost of
  // a small allocation; the block was just handed out, so the check can tell nothing. Word stores
  // in an unsanitized function, kept from becoming a memset call, are not checked.
#if defined(__clang__)
  __attribute__((no_sanitize("address", "undefined"), no_builtin("memset")))
#endif
  static void
  Fill(void* p, size_t bytes) {
    auto* out = static_cast<unsigned char*>(p);
    const uint64_t word = 0xbebebebebebebebeULL;
    size_t i = 0;
    for (; i + sizeof word <= bytes; i += sizeof word) std::memcpy(out + i, &word, sizeof word);
    for (; i < bytes; ++i) out[i] = 0xbe;
  }

  // A byte loop, not memcmp, string_view::find or memmem: libFuzzer hooks memcmp and keeps both
  // sides for its mutations, so searching a block given back would hand the engine the provider's
  // memory (its keys, its ids) to try as passwords. (And MinGW's C library has no memmem.)
  static bool Contains(std::string_view haystack, std::string_view needle) {
    for (size_t at = 0; at + needle.size() <= haystack.size(); ++at) {
      size_t k = 0;
      while (k < needle.size() && haystack[at + k] == needle[k]) ++k;
      if (k == needle.size()) return true;
    }
    return false;
  }

  bool IsPlain(const std::string& secret) const {
    for (const std::string& text : plain_) {
      if (Contains(text, secret)) return true;
    }
    return false;
  }

  void CheckWiped(const void* p, size_t bytes) const {
    for (const std::string& secret : secrets_) {
      const std::string_view block(static_cast<const char*>(p), bytes);
      if (!Contains(block, secret) || IsPlain(secret)) continue;
      // The fuzzers' failure format (support/fuzz_check.h), which this header cannot include.
      std::fprintf(stderr,
                   "\n==smapi fuzz check failed== %s:%d: password wiped before release\n  H6: a "
                   "block of %zu bytes given back still holds the password '%s' (%zu bytes)\n",
                   __FILE__, __LINE__, bytes, secret.c_str(), secret.size());
      std::abort();
    }
  }

  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }

  std::pmr::memory_resource* const upstream_;
  const bool one_thread_;
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<size_t> blocks_{0};
  std::atomic<size_t> bytes_{0};
  uint64_t nth_ = 0;
  uint64_t from_ = 0;
  std::vector<std::string> secrets_;
  std::vector<std::string> plain_;
};

#if defined(__clang__)
#pragma clang attribute pop
#endif

}  // namespace smapi::testing

#endif  // SMAPI_FUZZERS_SUPPORT_FAILING_RESOURCE_H_
