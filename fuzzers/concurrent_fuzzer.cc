// 2 to 4 threads run operation lists from the input against one provider, released together so
// that they race for the same handles; the threads are joined before the input ends.
//
// Whatever the interleaving, these hold and are checked: no handle is issued twice; each handle is
// logged off successfully at most once, and exactly once when anyone tried (F8); a handle a thread
// saw ended never comes back; a lookup that finds a handle reports that handle's own session
// (never a freed or reused slot's, H7); MAPI_E_TOO_MANY_SESSIONS only once the handles issued can
// have filled the table (N18); a join fails only with no shared session, never while the thread
// holds a handle onto it (N5/N6); and afterwards the table agrees with the successful operations:
// live handles, sessions, the shared session's handles, free and retired slots, invariants, no
// leak.
//
// Input (zeros past the end):
//   u8 config: bits 0-1 spare slots beyond the pre-created handles (4 * ((b + 1) % 4), so 4 for a
//      zero), bits 2-3 max_generation, bits 4-7 seed
//   u8 threads: bits 0-1 the thread count (2 + (b + 1) % 3, so 3 for a zero), bits 2-4 more
//      rounds (kRounds + 4 * n): a seed meant to catch a race on every replay asks for many; bit 5
//      serial: the threads' lists run one after another on the fuzzing thread, in thread order, so
//      the same checks judge one fixed interleaving and a finding reproduces from the input alone
//      (ci/mutants.sh replays only the serial seeds)
//   u8 pre-created handles: count (bits 0-2, from {128,1,2,4,8,16,32,256}); bits 3-4 which of them
//      are handles onto the shared session (none, all, every 2nd, every 3rd)
//   then 2-byte operations (op, arg), dealt round-robin to the threads, at most 16 each. A thread
//   with none does, by its number mod 3: a lockstep logoff sweep; two logons and a lookup sweep; a
//   lockstep logoff sweep. So the empty input races two logoffs for every handle at the same moment
//   while a third thread logs on as the sweeps begin, with slots to spare, and then reads each
//   handle as it ends.
// Each input runs its rounds, each time on a fresh provider.
// Operations (op % 8): 0 log off every pre-created handle from arg on, or with arg >= 128 from the
//   first, meeting the other threads that do so at each handle (lockstep); 1 look each pre-created
//   handle up again and again until it is gone (at most 256 * (arg % 4 + 1) times), so that the
//   reader sits on the handle a logoff sweep is ending; 2 log off pre-created handle arg; 3 new
//   private session; 4 join the shared session; 5 log off own handle arg; 6 log off pre-created
//   handle arg with bad flags (arg odd) or reserved; 7 log on to the shared session of "default"
//   (creating it if need be).
#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "support/describe.h"
#include "support/failing_resource.h"
#include "support/fuzz_input.h"
#include "support/harness.h"

namespace {

using smapi::Provider;
using smapi::fuzz::ResultName;

constexpr size_t kMaxOpsPerThread = 16;
constexpr uint32_t kPreCounts[8] = {128, 1, 2, 4, 8, 16, 32, 256};
constexpr int kRounds = 2;
constexpr int kMeetSpins = 2048;
constexpr uint32_t kMaxGenerations[4] = {UINT32_MAX, 2, 1, 3};
constexpr LHANDLE kUntouched = 0x5e5e5e5e5e5e5e5eULL;

// Slots beyond the pre-created handles: 4 for a zero byte, so that the empty input has room to log
// on.
uint32_t SpareSlots(uint8_t config) { return 4 * ((config + 1u) & 3); }

struct Owned {
  LHANDLE handle;
  uint64_t session_id;
  bool shared;  // Onto the shared session.
  bool ended;
};

struct Worker {
  std::vector<std::pair<uint8_t, uint8_t>> ops;
  std::vector<Owned> own;
  std::vector<uint8_t> wins;       // Per pre-created handle: this thread's successful logoffs.
  std::vector<uint8_t> attempted;  // Per pre-created handle: a valid logoff was tried.
  std::vector<uint8_t> seen_dead;  // Per pre-created handle: this thread saw it ended.
};

struct Shared {
  Provider* provider;
  uint32_t capacity;
  uint32_t max_generation;
  // Logons the threads have begun: with the pre-created handles, a bound on the slots that can be
  // live or retired, so MAPI_E_TOO_MANY_SESSIONS is allowed only once it reaches the capacity.
  mutable std::atomic<size_t> logons_started{0};
  // Successful logoffs so far: with no generation limit, each one freed a slot for good.
  mutable std::atomic<size_t> logoffs_done{0};
  std::vector<LHANDLE> pre;         // Pre-created handles...
  std::vector<uint64_t> pre_id;     // ...their sessions...
  std::vector<uint8_t> pre_shared;  // ...and whether they are onto the shared session.
  // Lockstep sweeps: how many threads take part, and how many have reached each handle.
  uint32_t lockstep_threads = 0;
  std::unique_ptr<std::atomic<uint32_t>[]> arrived;
};

// Waits, briefly, until every lockstep thread has reached handle i, so that they all log it off
// at the same moment. Only a spin: when the others are not running (a busy machine), waiting
// longer would only burn the time slice, so the thread goes on alone. Uninstrumented, so that a
// spin costs a load, not a call into the engine's comparison hooks.
SMAPI_FUZZ_UNGUIDED void MeetAt(const Shared& s, size_t i) {
  s.arrived[i].fetch_add(1, std::memory_order_acq_rel);
  for (int spins = 0; spins < kMeetSpins; ++spins) {
    if (s.arrived[i].load(std::memory_order_acquire) >= s.lockstep_threads) return;
  }
}

void LogoffPre(const Shared& s, Worker& w, size_t i) {
  w.attempted[i] = 1;
  const ULONG result = s.provider->Logoff(s.pre[i], 0, 0, 0);
  SMAPI_FUZZ_CHECK(result == SUCCESS_SUCCESS || result == MAPI_E_INVALID_SESSION,
                   "MAPILogoff of a pre-created handle returned %s", ResultName(result));
  SMAPI_FUZZ_CHECK(!(w.seen_dead[i] && result == SUCCESS_SUCCESS),
                   "F8/F3c: handle %#" PRIxPTR " was logged off again after this thread saw it end",
                   s.pre[i]);
  if (result == SUCCESS_SUCCESS) {
    ++w.wins[i];
    s.logoffs_done.fetch_add(1, std::memory_order_relaxed);
  }
  w.seen_dead[i] = 1;
  SMAPI_FUZZ_CHECK(!s.provider->Lookup(s.pre[i]).has_value(),
                   "F5: handle %#" PRIxPTR " still looks up after MAPILogoff returned %s", s.pre[i],
                   ResultName(result));
}

// Returns whether the handle still looked up.
bool LookupPre(const Shared& s, Worker& w, size_t i) {
  const std::optional<smapi::SessionView> view = s.provider->Lookup(s.pre[i]);
  if (!view.has_value()) {
    w.seen_dead[i] = 1;
    return false;
  }
  SMAPI_FUZZ_CHECK(!w.seen_dead[i], "H7: handle %#" PRIxPTR " looks up again after it ended",
                   s.pre[i]);
  SMAPI_FUZZ_CHECK(view->session_id == s.pre_id[i],
                   "H7: a lookup of handle %#" PRIxPTR " saw session %" PRIu64
                   ", its own is %" PRIu64 " (a freed or reused slot's payload)",
                   s.pre[i], view->session_id, s.pre_id[i]);
  return true;
}

// Whether this thread holds a live handle onto the shared session. Only the owner logs off its own
// handles, so while it does, the shared session exists whatever the other threads do.
bool HoldsShared(const Worker& w) {
  return std::any_of(w.own.begin(), w.own.end(),
                     [](const Owned& owned) { return owned.shared && !owned.ended; });
}

void LogonOwn(const Shared& s, Worker& w, const char* profile, FLAGS flags, bool shared) {
  LHANDLE handle = kUntouched;
  s.logons_started.fetch_add(1, std::memory_order_relaxed);
  const size_t freed_before = s.logoffs_done.load(std::memory_order_relaxed);
  const ULONG result =
      s.provider->Logon(0, profile, profile != nullptr ? "" : nullptr, flags, 0, &handle);
  if (result != SUCCESS_SUCCESS) {
    SMAPI_FUZZ_CHECK(handle == kUntouched, "N22: a failed logon wrote *lplhSession");
    if (result == MAPI_E_TOO_MANY_SESSIONS) {
      // N18: every slot live or retired. Each such slot issued a handle, pre-created or from
      // another logon begun by now (this one holds none); with no generation limit nothing
      // retires, and every logoff that succeeded before this call began took one out for good.
      size_t in_use_at_most = s.pre.size() + s.logons_started.load(std::memory_order_relaxed) - 1;
      if (s.max_generation == UINT32_MAX) in_use_at_most -= freed_before;
      SMAPI_FUZZ_CHECK(in_use_at_most >= s.capacity,
                       "N18: MAPILogon returned MAPI_E_TOO_MANY_SESSIONS, yet at most %zu of %u "
                       "slots can be in use",
                       in_use_at_most, s.capacity);
      return;
    }
    // N6: only a join (NULL profile, no flags) can fail for want of a shared session, and not
    // while this thread holds a handle onto it.
    SMAPI_FUZZ_CHECK(profile == nullptr && result == MAPI_E_LOGIN_FAILURE,
                     "MAPILogon(%s) returned %s", profile == nullptr ? "NULL" : profile,
                     ResultName(result));
    SMAPI_FUZZ_CHECK(!HoldsShared(w),
                     "N5: a join returned MAPI_E_LOGIN_FAILURE while this thread holds a live "
                     "handle onto the shared session");
    return;
  }
  SMAPI_FUZZ_CHECK(handle != 0, "H1: MAPILogon issued handle 0");
  // Nobody else knows this handle yet, so it must still be live.
  const std::optional<smapi::SessionView> view = s.provider->Lookup(handle);
  SMAPI_FUZZ_CHECK(view.has_value(), "a handle just issued to this thread does not look up");
  w.own.push_back(Owned{handle, view->session_id, shared, false});
}

void LogoffOwn(const Shared& s, Worker& w, uint8_t arg) {
  if (w.own.empty()) return;
  Owned& owned = w.own[arg % w.own.size()];
  const ULONG result = s.provider->Logoff(owned.handle, 0, 0, 0);
  const ULONG expected = owned.ended ? MAPI_E_INVALID_SESSION : SUCCESS_SUCCESS;
  SMAPI_FUZZ_CHECK(result == expected,
                   "MAPILogoff of this thread's own handle returned %s, expected %s",
                   ResultName(result), ResultName(expected));
  if (result == SUCCESS_SUCCESS) s.logoffs_done.fetch_add(1, std::memory_order_relaxed);
  owned.ended = true;
  SMAPI_FUZZ_CHECK(!s.provider->Lookup(owned.handle).has_value(),
                   "F5: an ended handle still looks up");
}

// Spins, then yields, until the start: threads that start within a few instructions of each
// other race hardest.
SMAPI_FUZZ_UNGUIDED void AwaitStart(const std::atomic<bool>& go) {
  for (int spins = 0; !go.load(std::memory_order_acquire); ++spins) {
    if (spins > 4096) std::this_thread::yield();
  }
}

void Run(const Shared& s, Worker& w, const std::atomic<bool>& go) {
  AwaitStart(go);
  const size_t n = s.pre.size();
  for (const auto& [op, arg] : w.ops) {
    switch (op & 7) {
      case 0:
        if (arg & 0x80) {  // In lockstep with the other lockstep threads, from the first handle.
          for (size_t k = 0; k < n; ++k) {
            MeetAt(s, k);
            LogoffPre(s, w, k);
          }
        } else {
          for (size_t k = 0; k < n; ++k) LogoffPre(s, w, (arg + k) % n);
        }
        break;
      case 1: {
        const int tries = 256 * (arg % 4 + 1);
        for (size_t k = 0; k < n; ++k) {
          for (int t = 0; t < tries && LookupPre(s, w, k); ++t) {
          }
        }
        break;
      }
      case 2:
        LogoffPre(s, w, arg % n);
        break;
      case 3:
        LogonOwn(s, w, "default", MAPI_NEW_SESSION, false);
        break;
      case 4:
        LogonOwn(s, w, nullptr, 0, true);
        break;
      case 5:
        LogoffOwn(s, w, arg);
        break;
      case 6: {
        const ULONG result =
            s.provider->Logoff(s.pre[arg % n], 0, (arg & 1) ? MAPI_DIALOG : 0, (arg & 1) ? 0 : 1);
        SMAPI_FUZZ_CHECK(result == MAPI_E_FAILURE,
                         "F1/F2: MAPILogoff with bad flags or reserved returned %s",
                         ResultName(result));
        break;
      }
      default:
        LogonOwn(s, w, "default", 0, true);
        break;
    }
  }
}

// One round: a fresh provider with the pre-created handles, the threads released together, then
// the checks. Inputs run a few rounds, because a race that one round misses the next may hit.
void RunRound(uint8_t config, uint32_t pre_count, uint32_t shared_every, bool serial,
              const std::vector<std::vector<std::pair<uint8_t, uint8_t>>>& ops) {
  const size_t thread_count = ops.size();
  smapi::testing::FailingResource memory;
  smapi::ProviderOptions options;
  options.capacity = pre_count + SpareSlots(config);
  options.max_generation = kMaxGenerations[(config >> 2) & 3];
  options.seed = 0xc0c0000000000001ULL + (config >> 4);
  options.memory = &memory;
  auto provider = std::make_unique<Provider>(options);

  Shared s;
  s.provider = provider.get();
  s.capacity = options.capacity;
  s.max_generation = options.max_generation;
  for (const auto& list : ops) {
    const bool lockstep = std::any_of(list.begin(), list.end(), [](const auto& op) {
      return (op.first & 7) == 0 && (op.second & 0x80) != 0;
    });
    if (lockstep && !serial) ++s.lockstep_threads;  // Serial: nobody to meet.
  }
  s.arrived = std::make_unique<std::atomic<uint32_t>[]>(pre_count);
  for (uint32_t i = 0; i < pre_count; ++i) {
    const bool shared = shared_every != 0 && i % shared_every == 0;
    LHANDLE handle = 0;
    // The first shared logon creates the shared session on "default"; later ones join it.
    const ULONG result =
        provider->Logon(0, "default", "", shared ? 0 : MAPI_NEW_SESSION, 0, &handle);
    SMAPI_FUZZ_CHECK(result == SUCCESS_SUCCESS, "setting up: MAPILogon returned %s",
                     ResultName(result));
    s.pre.push_back(handle);
    s.pre_id.push_back(provider->Lookup(handle)->session_id);
    s.pre_shared.push_back(shared);
  }

  std::vector<Worker> workers(thread_count);
  for (size_t t = 0; t < thread_count; ++t) {
    Worker& w = workers[t];
    w.ops = ops[t];
    w.wins.assign(pre_count, 0);
    w.attempted.assign(pre_count, 0);
    w.seen_dead.assign(pre_count, 0);
  }

  std::atomic<bool> go{serial};
  if (serial) {
    for (Worker& w : workers) Run(s, w, go);
  } else {
    std::vector<std::thread> threads;
    for (Worker& w : workers) threads.emplace_back(Run, std::cref(s), std::ref(w), std::cref(go));
    go.store(true, std::memory_order_release);
    for (std::thread& t : threads) t.join();
  }

  // No handle issued twice (H1), none 0.
  std::vector<LHANDLE> issued = s.pre;
  for (const Worker& w : workers) {
    for (const Owned& owned : w.own) issued.push_back(owned.handle);
  }
  std::sort(issued.begin(), issued.end());
  SMAPI_FUZZ_CHECK(std::adjacent_find(issued.begin(), issued.end()) == issued.end(),
                   "H1: a handle was issued twice");

  // F8: at most one winner per handle, and exactly one when anyone tried. Then the table must
  // agree with the winners: the survivors look up with their own session, the rest do not.
  size_t live = 0;
  std::vector<uint64_t> live_sessions;
  std::optional<uint64_t> shared_id;
  size_t shared_handles = 0;
  auto count_live = [&](uint64_t id, bool shared) {
    ++live;
    live_sessions.push_back(id);
    if (!shared) return;
    SMAPI_FUZZ_CHECK(!shared_id.has_value() || *shared_id == id,
                     "two live handles onto the shared session report different sessions");
    shared_id = id;
    ++shared_handles;
  };
  for (uint32_t i = 0; i < pre_count; ++i) {
    int wins = 0;
    bool attempted = false;
    for (const Worker& w : workers) {
      wins += w.wins[i];
      attempted = attempted || w.attempted[i];
    }
    SMAPI_FUZZ_CHECK(wins <= 1, "F8: %d logoffs of handle %#" PRIxPTR " all succeeded", wins,
                     s.pre[i]);
    SMAPI_FUZZ_CHECK(wins == 1 || !attempted,
                     "F8: handle %#" PRIxPTR " was logged off, but no logoff succeeded", s.pre[i]);
    const std::optional<smapi::SessionView> view = provider->Lookup(s.pre[i]);
    SMAPI_FUZZ_CHECK(view.has_value() == (wins == 0),
                     "handle %#" PRIxPTR " is %s after %d successful logoffs", s.pre[i],
                     view.has_value() ? "live" : "dead", wins);
    if (wins != 0) continue;
    SMAPI_FUZZ_CHECK(view->session_id == s.pre_id[i], "a surviving handle changed session");
    count_live(s.pre_id[i], s.pre_shared[i]);
  }
  for (const Worker& w : workers) {
    for (const Owned& owned : w.own) {
      const std::optional<smapi::SessionView> view = provider->Lookup(owned.handle);
      SMAPI_FUZZ_CHECK(view.has_value() == !owned.ended, "a thread's own handle is %s",
                       view.has_value() ? "live after its logoff" : "gone without a logoff");
      if (owned.ended) continue;
      SMAPI_FUZZ_CHECK(view->session_id == owned.session_id, "a live handle changed session");
      count_live(owned.session_id, owned.shared);
    }
  }
  std::sort(live_sessions.begin(), live_sessions.end());
  const size_t sessions = static_cast<size_t>(
      std::unique(live_sessions.begin(), live_sessions.end()) - live_sessions.begin());

  const char* broken = provider->CheckInvariants();
  SMAPI_FUZZ_CHECK(broken == nullptr, "CheckInvariants: %s", broken);
  const smapi::ProviderStats stats = provider->Stats();
  SMAPI_FUZZ_CHECK(stats.live_handles == live && stats.live_sessions == sessions &&
                       stats.shared_handles == shared_handles,
                   "Stats() live_handles/live_sessions/shared_handles = %zu/%zu/%zu; the "
                   "successful operations say %zu/%zu/%zu",
                   stats.live_handles, stats.live_sessions, stats.shared_handles, live, sessions,
                   shared_handles);
  SMAPI_FUZZ_CHECK(provider->HasSharedSession() == (shared_handles != 0),
                   "HasSharedSession() disagrees with the live shared handles");

  // Every slot is live, free or retired (H3). Slots retire only on release, each after issuing
  // max_generation handles; with one generation every release retires, with no limit none does.
  size_t releases = 0;
  for (uint32_t i = 0; i < pre_count; ++i) {
    for (const Worker& w : workers) releases += w.wins[i];
  }
  for (const Worker& w : workers) {
    for (const Owned& owned : w.own) releases += owned.ended ? 1 : 0;
  }
  const size_t retired = stats.retired_slots;
  SMAPI_FUZZ_CHECK(stats.free_slots + retired + stats.live_handles == options.capacity,
                   "Stats() free_slots %zu + retired_slots %zu + live_handles %zu != capacity %u",
                   stats.free_slots, retired, stats.live_handles, options.capacity);
  const bool retired_ok =
      options.max_generation == UINT32_MAX ? retired == 0
      : options.max_generation == 1
          ? retired == releases
          : retired <= releases && retired * options.max_generation <= issued.size();
  SMAPI_FUZZ_CHECK(retired_ok,
                   "Stats() retired_slots %zu after %zu releases of %zu handles issued, "
                   "max_generation %u",
                   retired, releases, issued.size(), options.max_generation);

  provider.reset();
  smapi::fuzz::CheckNoLeak(memory, 0, "after the provider was destroyed");
}

void Describe(uint8_t config, size_t thread_count, int rounds, bool serial, uint8_t pre_byte,
              const std::vector<std::vector<std::pair<uint8_t, uint8_t>>>& ops) {
  static constexpr const char* kShared[4] = {"none", "all", "every2", "every3"};
  static constexpr const char* kOps[8] = {"sweep-logoff",  "sweep-lookup", "logoff-one",
                                          "logon-private", "join",         "logoff-own",
                                          "bad-logoff",    "logon-shared"};
  smapi::fuzz::DescribedOp("concurrent")
      .Num("threads", thread_count)
      .Num("rounds", static_cast<uint64_t>(rounds))
      .Num("serial", serial ? 1 : 0)
      .Num("pre", kPreCounts[pre_byte & 7])
      .Word("shared", kShared[(pre_byte >> 3) & 3])
      .Num("spare_slots", SpareSlots(config))
      .Num("max_generation", kMaxGenerations[(config >> 2) & 3])
      .Hex("seed", 0xc0c0000000000001ULL + (config >> 4));
  for (size_t t = 0; t < ops.size(); ++t) {
    for (const auto& [op, arg] : ops[t]) {
      smapi::fuzz::DescribedOp("op").Num("thread", t).Word("op", kOps[op & 7]).Hex("arg", arg);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  smapi::fuzz::InputReader in(data, size);
  const uint8_t config = in.U8();
  const uint8_t threads_byte = in.U8();
  const size_t thread_count = 2 + ((threads_byte & 3) + 1) % 3;
  const int rounds = kRounds + 4 * ((threads_byte >> 2) & 7);
  const bool serial = (threads_byte & 0x20) != 0;
  const uint8_t pre_byte = in.U8();
  std::vector<std::vector<std::pair<uint8_t, uint8_t>>> ops(thread_count);
  for (size_t k = 0; k < kMaxOpsPerThread * thread_count && in.remaining() >= 2; ++k) {
    const uint8_t op = in.U8();
    ops[k % thread_count].emplace_back(op, in.U8());
  }
  for (size_t t = 0; t < thread_count; ++t) {
    if (!ops[t].empty()) continue;
    if (t % 3 == 1) {
      ops[t] = {{3, 0}, {3, 0}, {1, 0}};
    } else {
      ops[t] = {{0, 0x80}};
    }
  }
  if (smapi::fuzz::Describing()) {
    Describe(config, thread_count, rounds, serial, pre_byte, ops);
    return 0;
  }
  for (int round = 0; round < rounds; ++round) {
    RunRound(config, kPreCounts[pre_byte & 7], (pre_byte >> 3) & 3, serial, ops);
  }
  return 0;
}
