// The process-wide provider's teardown (docs/contract.md, P1-P3) raced by a thread still calling:
// the teardown the C ABI runs at exit, on a provider of its own per input so that it can run again.
//
// The main thread makes its first calls, begins the teardown, and makes the rest, which must all
// return MAPI_E_FAILURE. A second thread calls throughout: until the teardown begins every result
// is one the contract allows for its own handles; a MAPI_E_FAILURE is allowed only once the
// teardown has begun, and after one, nothing else. A failed logon writes no handle. Afterwards the
// provider is gone, every block it allocated came back (the sessions still open included), and no
// block came back holding alice's password (H6, the memory resource checks it).
//
// Input (zeros past the end):
//   u8 setup: bit 0 alice (password "secret-password") logs on before the threads start; bits 1-3
//      how many of the main thread's operations come before the teardown
//   then 1-byte operations, dealt alternately to the main thread and the worker, at most 16 each:
//      bits 0-1: 0 new private session on "default", 1 join the shared session (NULL profile),
//      2 log off own handle (bits 2-7: even a live one, odd one it logged off), 3 log on to the
//      shared session of "default"
#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

#include "closing_provider.h"
#include "support/contract_model.h"
#include "support/describe.h"
#include "support/failing_resource.h"
#include "support/fuzz_check.h"
#include "support/fuzz_input.h"

namespace {

using smapi::fuzz::ResultName;

constexpr size_t kMaxOpsPerThread = 16;
constexpr uint32_t kCapacity = 8;
constexpr LHANDLE kUntouched = 0x5e5e5e5e5e5e5e5eULL;
constexpr const char kSecret[] = "secret-password";

struct Race {
  smapi::internal::ClosingProvider* provider;
  std::atomic<bool> teardown_begun{false};
  std::atomic<uint32_t> logons_begun{0};  // With alice's, a bound on the slots in use (N18).
  uint32_t preexisting = 0;
};

struct Caller {
  const char* who = "";
  std::vector<uint8_t> ops;
  std::vector<LHANDLE> live;
  std::vector<LHANDLE> ended;
  bool saw_failure = false;
};

// MAPI_E_FAILURE is the teardown's answer; after the first, every answer must be it.
void CheckClosed(const Race& race, Caller& c, ULONG result, const char* call) {
  if (result == MAPI_E_FAILURE) {
    SMAPI_FUZZ_CHECK(race.teardown_begun.load(),
                     "P1: %s on the %s thread returned MAPI_E_FAILURE before the teardown began",
                     call, c.who);
    c.saw_failure = true;
    return;
  }
  SMAPI_FUZZ_CHECK(!c.saw_failure,
                   "P1: %s on the %s thread returned %s after an earlier call saw the provider "
                   "torn down",
                   call, c.who, ResultName(result));
}

void Logon(Race& race, Caller& c, const char* profile, FLAGS flags) {
  LHANDLE handle = kUntouched;
  race.logons_begun.fetch_add(1);
  const ULONG result =
      race.provider->Logon(0, profile, profile != nullptr ? "" : nullptr, flags, 0, &handle);
  CheckClosed(race, c, result, "MAPILogon");
  if (result != SUCCESS_SUCCESS) {
    SMAPI_FUZZ_CHECK(handle == kUntouched, "N22: MAPILogon returned %s but wrote the handle",
                     ResultName(result));
    const bool full = race.preexisting + race.logons_begun.load() >= kCapacity;
    SMAPI_FUZZ_CHECK(result == MAPI_E_FAILURE || (result == MAPI_E_TOO_MANY_SESSIONS && full) ||
                         (result == MAPI_E_LOGIN_FAILURE && profile == nullptr),
                     "MAPILogon(%s) on the %s thread returned %s", profile ? profile : "NULL",
                     c.who, ResultName(result));
    return;
  }
  SMAPI_FUZZ_CHECK(handle != 0, "H1: MAPILogon issued handle 0");
  c.live.push_back(handle);
}

// Even `which`: one of the caller's live handles; odd: one it logged off.
void Logoff(Race& race, Caller& c, uint8_t which) {
  const bool was_live = which % 2 == 0;
  std::vector<LHANDLE>& from = was_live ? c.live : c.ended;
  if (from.empty()) return;
  const size_t at = (which / 2) % from.size();
  const LHANDLE handle = from[at];
  const ULONG result = race.provider->Logoff(handle, 0, 0, 0);
  CheckClosed(race, c, result, "MAPILogoff");
  if (result == MAPI_E_FAILURE) return;
  const ULONG expected = was_live ? SUCCESS_SUCCESS : MAPI_E_INVALID_SESSION;
  SMAPI_FUZZ_CHECK(result == expected, "MAPILogoff of a handle the %s thread %s returned %s", c.who,
                   was_live ? "holds" : "logged off", ResultName(result));
  if (!was_live) return;
  c.ended.push_back(handle);
  c.live.erase(c.live.begin() + static_cast<std::ptrdiff_t>(at));
}

void Run(Race& race, Caller& c, size_t from, size_t to) {
  for (size_t k = from; k < to && k < c.ops.size(); ++k) {
    const uint8_t op = c.ops[k];
    switch (op & 3) {
      case 0:
        Logon(race, c, "default", MAPI_NEW_SESSION);
        break;
      case 1:
        Logon(race, c, nullptr, 0);
        break;
      case 2:
        Logoff(race, c, op >> 2);
        break;
      default:
        Logon(race, c, "default", 0);
        break;
    }
  }
}

SMAPI_FUZZ_UNGUIDED void AwaitStart(const std::atomic<bool>& go) {
  for (int spins = 0; !go.load(std::memory_order_acquire); ++spins) {
    if (spins > 4096) std::this_thread::yield();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  smapi::fuzz::InputReader in(data, size);
  const uint8_t setup = in.U8();
  Caller main_caller;
  main_caller.who = "main";
  Caller worker;
  worker.who = "worker";
  for (size_t k = 0; k < 2 * kMaxOpsPerThread && !in.done(); ++k) {
    (k % 2 == 0 ? main_caller : worker).ops.push_back(in.U8());
  }

  const size_t before = (setup >> 1) & 7;
  if (smapi::fuzz::Describing()) {
    smapi::fuzz::DescribedOp("teardown").Num("alice", setup & 1).Num("before", before);
    for (const Caller* c : {&main_caller, &worker}) {
      for (const uint8_t op : c->ops) {
        static constexpr const char* kOps[4] = {"private", "join", "logoff", "shared"};
        smapi::fuzz::DescribedOp line("op");
        line.Word("thread", c->who).Word("op", kOps[op & 3]);
        if ((op & 3) == 2) line.Num("which", op >> 2);
      }
    }
    return 0;
  }
  smapi::testing::FailingResource memory;
  memory.AllowPlain(smapi::fuzz::kContractDefaultProfile);
  memory.AllowPlain("alice");
  memory.WatchSecret(kSecret);  // P3/H6: the teardown must wipe it.
  {
    smapi::ProviderOptions options;
    options.capacity = kCapacity;
    options.seed = 0x7ea2000000000001ULL;
    options.memory = &memory;
    smapi::internal::ClosingProvider provider(options);
    Race race;
    race.provider = &provider;
    SMAPI_FUZZ_CHECK(provider.provider().AddProfile("alice", kSecret) == SUCCESS_SUCCESS,
                     "setting up: AddProfile");
    if (setup & 1) {
      LHANDLE handle = 0;
      SMAPI_FUZZ_CHECK(
          provider.Logon(0, "alice", kSecret, MAPI_NEW_SESSION, 0, &handle) == SUCCESS_SUCCESS,
          "setting up: alice's logon");
      race.preexisting = 1;  // Left open: the teardown must end it.
    }

    std::atomic<bool> go{false};
    std::thread thread([&] {
      AwaitStart(go);
      Run(race, worker, 0, worker.ops.size());
    });
    go.store(true, std::memory_order_release);
    Run(race, main_caller, 0, before);
    race.teardown_begun.store(true);
    provider.TearDown();
    // Everything from here on meets a torn-down provider: only MAPI_E_FAILURE will do.
    main_caller.saw_failure = true;
    Run(race, main_caller, before, main_caller.ops.size());
    thread.join();
    SMAPI_FUZZ_CHECK(memory.outstanding_blocks() == 0,
                     "P3: %zu blocks still allocated after the teardown: it did not end every "
                     "session",
                     memory.outstanding_blocks());
  }
  return 0;
}
