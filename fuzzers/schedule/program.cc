#include "schedule/program.h"

#include <smapi/mapi.h>
#include <smapi/provider.h>

#include <cinttypes>
#include <cstdio>
#include <optional>

#include "support/contract_model.h"
#include "support/failing_resource.h"
#include "support/fuzz_check.h"
#include "support/harness.h"

namespace smapi::schedule {
namespace {

using fuzz::ResultName;

constexpr LHANDLE kUntouched = 0x5e5e5e5e5e5e5e5eULL;
constexpr size_t kMaxRecords = kMaxThreads * kMaxSteps;
constexpr const char* kOpNames[kOpKinds] = {"logoff", "lookup", "logon private", "join shared",
                                            "logon shared"};

// One operation as it ran. Times are events on the run's clock: calls and returns.
struct Record {
  Op op;
  uint8_t thread;
  uint64_t call = 0;
  uint64_t ret = 0;  // 0 while it runs.
  LHANDLE handle = 0;
  ULONG result = 0;
  bool found = false;    // Lookups.
  uint64_t session = 0;  // Lookups that found, logons that succeeded.
};

// A handle some operation can name: pre-created, or returned by a logon.
struct Issued {
  LHANDLE handle;
  uint64_t session;
  bool shared;
  uint64_t call;  // Its logon's; 0 for pre-created ones.
  uint64_t ret;
  uint64_t end_call = 0;  // Its successful logoff's; 0 when none.
  uint64_t end_ret = 0;
  int successes = 0;
};

struct World {
  const Program* program;
  Scheduler* scheduler;
  Provider* provider;
  uint64_t clock = 0;
  std::array<Record, kMaxRecords> records;
  size_t recorded = 0;
  std::array<Issued, kMaxPre + kMaxRecords> known;
  size_t known_count = 0;
};

World* reporting = nullptr;  // The run a finding describes.

void PrintHistory() {
  if (reporting == nullptr) return;
  const World& w = *reporting;
  std::fprintf(stderr,
               "program: %zu threads, %zu pre-created handles (shared mask %#x); history:\n",
               w.program->threads, w.program->pre, w.program->shared_mask);
  for (size_t k = 0; k < w.recorded; ++k) {
    const Record& r = w.records[k];
    std::fprintf(stderr, "  [%" PRIu64 ", %" PRIu64 "] thread %u %s %#" PRIxPTR " -> ", r.call,
                 r.ret, r.thread, kOpNames[static_cast<size_t>(r.op)], r.handle);
    if (r.op == Op::kLookup) {
      std::fprintf(stderr, r.found ? "session %" PRIu64 "\n" : "invalid\n", r.session);
    } else {
      std::fprintf(stderr, "%s (session %" PRIu64 ")\n", ResultName(r.result), r.session);
    }
  }
  w.scheduler->PrintSchedule();
}

#define SCHEDULE_CHECK(condition, ...)                                         \
  do {                                                                         \
    if (!(condition) && !::smapi::fuzz::CheckSkipped(__FILE__, __LINE__)) {    \
      PrintHistory();                                                          \
      ::smapi::fuzz::CheckFailed(__FILE__, __LINE__, #condition, __VA_ARGS__); \
    }                                                                          \
  } while (0)

// Whether the handle was certainly live at state time t (after event t, before event t + 1).
bool DefinitelyLive(const Issued& g, uint64_t t) {
  return g.ret <= t && (g.end_call == 0 || t < g.end_call);
}
// Whether, at some moment of the operation, no shared handle but `except` was certainly live.
bool SharedPossiblyAbsent(const World& w, const Record& r, const Issued* except) {
  for (uint64_t t = r.call; t < r.ret; ++t) {
    bool live = false;
    for (size_t k = 0; k < w.known_count && !live; ++k) {
      const Issued& g = w.known[k];
      live = &g != except && g.shared && DefinitelyLive(g, t);
    }
    if (!live) return true;
  }
  return false;
}
// Whether the handle was possibly live at some moment of the operation.
bool Overlaps(const Issued& g, const Record& r) {
  return g.call < r.ret && (g.end_ret == 0 || r.call < g.end_ret);
}

Issued* Find(World& w, LHANDLE handle) {
  for (size_t k = 0; k < w.known_count; ++k) {
    if (w.known[k].handle == handle) return &w.known[k];
  }
  return nullptr;
}

void RunStep(World& w, size_t thread, const Step& step) {
  Provider& provider = *w.provider;
  Record& r = w.records[w.recorded++];
  r.op = step.op;
  r.thread = static_cast<uint8_t>(thread);
  r.call = ++w.clock;
  const bool names_handle = step.op == Op::kLogoff || step.op == Op::kLookup;
  if (names_handle) r.handle = w.known[step.arg % w.known_count].handle;
  LHANDLE issued = kUntouched;
  switch (step.op) {
    case Op::kLogoff:
      r.result = provider.Logoff(r.handle, 0, 0, 0);
      break;
    case Op::kLookup: {
      SessionView view{};
      r.found = provider.Lookup(r.handle, &view);
      r.session = view.session_id;
      break;
    }
    case Op::kLogonPrivate:
      r.result = provider.Logon(0, "default", "", MAPI_NEW_SESSION, 0, &issued);
      break;
    case Op::kJoinShared:
      r.result = provider.Logon(0, nullptr, nullptr, 0, 0, &issued);
      break;
    case Op::kLogonShared:
      r.result = provider.Logon(0, "default", "", 0, 0, &issued);
      break;
  }
  r.ret = ++w.clock;

  Scheduler::NoPreemption quiet(*w.scheduler);
  if (!names_handle) {
    if (r.result != SUCCESS_SUCCESS) {
      SCHEDULE_CHECK(issued == kUntouched, "N22: a failed logon wrote *lplhSession");
    } else {
      SCHEDULE_CHECK(issued != 0 && Find(w, issued) == nullptr,
                     "H1: MAPILogon issued handle %#" PRIxPTR " twice (or 0)", issued);
      // Nobody else knows the handle yet, so it is live and names its new session.
      SessionView view{};
      SCHEDULE_CHECK(provider.Lookup(issued, &view), "a handle just issued does not look up");
      r.handle = issued;
      r.session = view.session_id;
      w.known[w.known_count++] =
          Issued{issued, view.session_id, step.op != Op::kLogonPrivate, r.call, r.ret};
    }
  }
  const char* broken = provider.CheckInvariants();
  SCHEDULE_CHECK(broken == nullptr, "CheckInvariants after an operation: %s", broken);
}

void Body(void* arg, size_t thread) {
  World& w = *static_cast<World*>(arg);
  for (size_t k = 0; k < w.program->steps[thread]; ++k)
    RunStep(w, thread, w.program->step[thread][k]);
}

void CheckLogoffs(World& w) {
  for (size_t k = 0; k < w.recorded; ++k) {
    const Record& r = w.records[k];
    if (r.op != Op::kLogoff) continue;
    SCHEDULE_CHECK(r.result == SUCCESS_SUCCESS || r.result == MAPI_E_INVALID_SESSION,
                   "MAPILogoff of a handle the program knows returned %s", ResultName(r.result));
    if (r.result != SUCCESS_SUCCESS) continue;
    Issued& g = *Find(w, r.handle);
    ++g.successes;
    g.end_call = r.call;
    g.end_ret = r.ret;
  }
  for (size_t k = 0; k < w.known_count; ++k) {
    SCHEDULE_CHECK(w.known[k].successes <= 1, "F8: %d logoffs of handle %#" PRIxPTR " succeeded",
                   w.known[k].successes, w.known[k].handle);
  }
  for (size_t k = 0; k < w.recorded; ++k) {
    const Record& r = w.records[k];
    if (r.op != Op::kLogoff || r.result == SUCCESS_SUCCESS) continue;
    const Issued& g = *Find(w, r.handle);
    SCHEDULE_CHECK(g.end_call != 0 && g.end_call < r.ret,
                   "F8: a logoff of live handle %#" PRIxPTR
                   " failed, and no logoff of it that began before it returned succeeded",
                   r.handle);
  }
}

void CheckLookups(World& w) {
  for (size_t k = 0; k < w.recorded; ++k) {
    const Record& r = w.records[k];
    if (r.op != Op::kLookup) continue;
    const Issued& g = *Find(w, r.handle);
    if (r.found) {
      SCHEDULE_CHECK(r.session == g.session,
                     "H7: a lookup of handle %#" PRIxPTR " returned session %" PRIu64
                     ", but the handle only ever named session %" PRIu64,
                     r.handle, r.session, g.session);
      SCHEDULE_CHECK(g.end_ret == 0 || r.call < g.end_ret,
                     "H7: a lookup of handle %#" PRIxPTR
                     " began after its logoff returned, and still found it",
                     r.handle);
    } else {
      SCHEDULE_CHECK(g.end_call != 0 && g.end_call < r.ret,
                     "a lookup of handle %#" PRIxPTR
                     " returned invalid while the handle was live throughout",
                     r.handle);
    }
  }
}

void CheckLogons(World& w) {
  for (size_t k = 0; k < w.recorded; ++k) {
    const Record& r = w.records[k];
    if (r.op == Op::kLogoff || r.op == Op::kLookup) continue;
    if (r.result != SUCCESS_SUCCESS) {
      SCHEDULE_CHECK(r.op == Op::kJoinShared && r.result == MAPI_E_LOGIN_FAILURE,
                     "MAPILogon (%s) returned %s with room in the table",
                     kOpNames[static_cast<size_t>(r.op)], ResultName(r.result));
      SCHEDULE_CHECK(SharedPossiblyAbsent(w, r, nullptr),
                     "N6: joining the shared session failed while it was live throughout");
      continue;
    }
    const Issued& g = *Find(w, r.handle);
    bool joined = false;
    bool ended_before = false;
    for (size_t j = 0; j < w.known_count; ++j) {
      const Issued& other = w.known[j];
      if (&other == &g || other.session != g.session) continue;
      SCHEDULE_CHECK(g.shared && other.shared,
                     "N5: a private session %" PRIu64 " has a second handle", g.session);
      if (Overlaps(other, r)) joined = true;
      if (other.call < r.ret && !Overlaps(other, r)) ended_before = true;
    }
    if (joined || !g.shared) continue;
    SCHEDULE_CHECK(!ended_before, "a logon returned session %" PRIu64 ", which had already ended",
                   g.session);
    SCHEDULE_CHECK(r.op == Op::kLogonShared,
                   "N16: joining the shared session opened a new session");
    SCHEDULE_CHECK(SharedPossiblyAbsent(w, r, &g),
                   "N16: a logon opened a second shared session while one was live throughout");
  }
}

void CheckFinalState(World& w, const Provider& provider) {
  size_t live = 0;
  size_t shared = 0;
  std::array<uint64_t, kMaxPre + kMaxRecords> sessions{};
  size_t session_count = 0;
  for (size_t k = 0; k < w.known_count; ++k) {
    const Issued& g = w.known[k];
    SessionView view{};
    const bool found = provider.Lookup(g.handle, &view);
    SCHEDULE_CHECK(found == (g.successes == 0),
                   "afterwards handle %#" PRIxPTR " is %s after %d successful logoffs", g.handle,
                   found ? "live" : "dead", g.successes);
    if (!found) continue;
    SCHEDULE_CHECK(view.session_id == g.session, "afterwards a live handle changed session");
    ++live;
    shared += g.shared;
    bool seen = false;
    for (size_t j = 0; j < session_count; ++j) seen |= sessions[j] == g.session;
    if (!seen) sessions[session_count++] = g.session;
  }
  const char* broken = provider.CheckInvariants();
  SCHEDULE_CHECK(broken == nullptr, "CheckInvariants afterwards: %s", broken);
  const ProviderStats stats = provider.Stats();
  SCHEDULE_CHECK(stats.live_handles == live && stats.live_sessions == session_count &&
                     stats.shared_handles == shared,
                 "Stats() live_handles/live_sessions/shared_handles = %zu/%zu/%zu; the "
                 "successful operations say %zu/%zu/%zu",
                 stats.live_handles, stats.live_sessions, stats.shared_handles, live, session_count,
                 shared);
}

}  // namespace

void RunProgram(const Program& program, Policy& policy, Scheduler& scheduler) {
  size_t logons = 0;
  for (size_t t = 0; t < program.threads; ++t) {
    for (size_t k = 0; k < program.steps[t]; ++k) {
      const Op op = program.step[t][k].op;
      logons += op != Op::kLogoff && op != Op::kLookup;
    }
  }
  testing::FailingResource memory;
  {
    ProviderOptions options;
    options.capacity = static_cast<uint32_t>(program.pre + logons);  // Logons never find it full.
    options.seed = 0x5c4ed01e5c4ed01eULL;
    options.memory = &memory;
    Provider provider(options);

    World w;
    w.program = &program;
    w.scheduler = &scheduler;
    w.provider = &provider;
    reporting = &w;
    for (size_t i = 0; i < program.pre; ++i) {
      const bool shared = (program.shared_mask >> i) & 1;
      LHANDLE handle = 0;
      const ULONG result =
          provider.Logon(0, "default", "", shared ? 0 : MAPI_NEW_SESSION, 0, &handle);
      SCHEDULE_CHECK(result == SUCCESS_SUCCESS, "setting up: MAPILogon returned %s",
                     ResultName(result));
      SessionView view{};
      provider.Lookup(handle, &view);
      w.known[w.known_count++] = Issued{handle, view.session_id, shared, 0, 0};
    }

    scheduler.Run(program.threads, &Body, &w, policy);

    CheckLogoffs(w);
    CheckLookups(w);
    CheckLogons(w);
    CheckFinalState(w, provider);
    reporting = nullptr;
  }
  fuzz::CheckNoLeak(memory, 0, "after the provider was destroyed");
}

}  // namespace smapi::schedule
