// Construction, profiles, observers and the session life cycle shared by logon and logoff.
#include <smapi/provider.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <memory_resource>
#include <new>
#include <random>
#include <vector>

#include "default_provider_hook.h"
#include "provider_state.h"
#include "schedule_point.h"
#include "secret.h"
#include "state_hash.h"

namespace smapi {
namespace {

uint64_t SeedOrRandom(uint64_t seed) {
  if (seed != 0) return seed;
  std::random_device device;
  return (uint64_t{device()} << 32) ^ device() ^ 1;
}

std::pmr::memory_resource* ResourceOrDefault(std::pmr::memory_resource* memory) {
  return memory != nullptr ? memory : std::pmr::get_default_resource();
}

}  // namespace

Provider::State::State(const ProviderOptions& options)
    : memory(ResourceOrDefault(options.memory)),
      ui(options.ui != nullptr ? options.ui : &headless),
      table(options.capacity, options.max_generation, SeedOrRandom(options.seed), memory),
      profiles(memory) {
  profiles.Put(kDefaultProfileName, "");
}

Provider::State::State(const State& source, std::pmr::memory_resource* memory_in, UiHost* ui_in)
    : memory(ResourceOrDefault(memory_in)),
      ui(ui_in != nullptr ? ui_in : &headless),
      table(source.table, memory),
      profiles(source.profiles, memory) {
  try {
    for (uint32_t i = 0; i < table.used(); ++i) {
      const internal::Session* from = source.table.SessionAt(i);
      if (from == nullptr) continue;
      // A private session has one handle; the shared one is copied once, for its first.
      internal::Session* to = from == source.shared ? shared : nullptr;
      if (to == nullptr) {
        to =
            std::pmr::polymorphic_allocator<internal::Session>(memory)
                .new_object<internal::Session>(from->shared, from->profile, from->password, memory);
        to->id = from->id;
        to->handles = from->handles;
        ++live_sessions;
        if (from == source.shared) shared = to;
      }
      table.Adopt(i, to);
    }
  } catch (const std::bad_alloc&) {
    // The destructor will not run: end, wiped, the sessions copied so far.
    for (uint32_t i = 0; i < table.used(); ++i) {
      internal::Session* session = table.SessionAt(i);
      if (session != nullptr && session != shared) EndSession(session);
    }
    if (shared != nullptr) EndSession(shared);
    throw;
  }
}

Provider::State::~State() {
  // Ends what clients left open, wiping each session's password. Only used slots can hold one, and
  // a provider that fuzz targets rebuild per input has used few of its thousands.
  for (uint32_t i = 0; i < table.used(); ++i) {
    if (table.HandleAt(i) == 0) continue;
    internal::Session* session = table.SessionAt(i);
    if (--session->handles == 0) EndSession(session);
  }
}

ULONG Provider::State::Attach(internal::Session* session, LHANDLE* out) {
  if (!table.HasFreeSlot()) return MAPI_E_TOO_MANY_SESSIONS;
  *out = table.Issue(session);
  ++session->handles;
  return SUCCESS_SUCCESS;
}

ULONG Provider::State::Open(std::string_view profile, std::string_view password, bool new_session,
                            LHANDLE* out) {
  if (!new_session && shared != nullptr) {
    // The shared session belongs to one profile; a logon naming another cannot join it.
    if (shared->profile != profile) return MAPI_E_LOGIN_FAILURE;
    return Attach(shared, out);
  }
  if (!table.HasFreeSlot()) return MAPI_E_TOO_MANY_SESSIONS;
  std::pmr::polymorphic_allocator<internal::Session> alloc(memory);
  // The only allocation on the logon path; if it throws, nothing has changed yet.
  internal::Session* session =
      alloc.new_object<internal::Session>(!new_session, profile, password, memory);
  ++live_sessions;
  if (!new_session) shared = session;
  return Attach(session, out);
}

void Provider::State::EndSession(internal::Session* session) {
  if (session == shared) shared = nullptr;
  --live_sessions;
  internal::SecureWipe(session->password.data(), session->password.size());
  SMAPI_SCHEDULE_POINT("end session: free it");
  std::pmr::polymorphic_allocator<internal::Session>(memory).delete_object(session);
}

Provider::Provider(const ProviderOptions& options)
    : state_(std::pmr::polymorphic_allocator<State>(ResourceOrDefault(options.memory))
                 .new_object<State>(options)),
      lookup_(state_->table.lookup()) {}

Provider::Provider(const Provider& source, std::pmr::memory_resource* memory, UiHost* ui)
    : state_([&] {
        internal::MutexLock lock(source.state_->mu);
        return std::pmr::polymorphic_allocator<State>(ResourceOrDefault(memory))
            .new_object<State>(*source.state_, memory, ui);
      }()),
      lookup_(state_->table.lookup()) {}

void Provider::StateDeleter::operator()(State* state) const noexcept {
  std::pmr::polymorphic_allocator<State>(state->memory).delete_object(state);
}

Provider::~Provider() = default;

ULONG Provider::AddProfile(std::string_view name, std::string_view password) noexcept {
  if (name.empty()) return MAPI_E_FAILURE;
  internal::MutexLock lock(state_->mu);
  try {
    state_->profiles.Put(name, password);
  } catch (const std::bad_alloc&) {
    return MAPI_E_INSUFFICIENT_MEMORY;
  }
  return SUCCESS_SUCCESS;
}

bool Provider::RemoveProfile(std::string_view name) noexcept {
  internal::MutexLock lock(state_->mu);
  return state_->profiles.Remove(name);
}

ProviderStats Provider::Stats() const {
  internal::MutexLock lock(state_->mu);
  return ProviderStats{state_->table.live(), state_->live_sessions,
                       state_->shared != nullptr ? state_->shared->handles : 0,
                       state_->table.free_slots(), state_->table.retired()};
}

bool Provider::HasSharedSession() const {
  internal::MutexLock lock(state_->mu);
  return state_->shared != nullptr;
}

// As for the table's: a failure return runs only on a broken provider, so the coverage gate leaves
// each one that has a line of its own out.
const char* Provider::CheckInvariants() const {
  internal::MutexLock lock(state_->mu);
  if (const char* broken = state_->table.CheckInvariants()) return broken;
  // One entry per live handle, sorted so that each session's handles form one run. The stack
  // buffer keeps small tables (every fuzzer's) off the heap: fuzzers call this after every step.
  std::array<std::byte, 2048> buffer;
  std::pmr::monotonic_buffer_resource arena(buffer.data(), buffer.size());
  std::pmr::vector<const internal::Session*> owners(&arena);
  owners.reserve(state_->table.live());
  // The table's own check has shown that slots past used() hold nothing.
  for (uint32_t i = 0; i < state_->table.used(); ++i) {
    const LHANDLE handle = state_->table.HandleAt(i);
    if (handle == 0) continue;
    const internal::Session* session = state_->table.SessionAt(i);
    owners.push_back(session);
    uint64_t session_id = 0;
    if (state_->table.Find(handle, &session_id) != i || session_id != session->id) {
      // coverage: exempt begin
      return "a handle's snapshot does not name its session";
    }  // coverage: exempt end
    if (session->shared != (session == state_->shared)) {
      // coverage: exempt begin
      return "a handle points at a shared session that is not the provider's";
    }  // coverage: exempt end
  }
  std::sort(owners.begin(), owners.end(), std::less<>());
  size_t sessions = 0;
  bool shared_seen = false;
  for (auto run = owners.begin(); run != owners.end();) {
    const auto next = std::upper_bound(run, owners.end(), *run, std::less<>());
    if ((*run)->handles != static_cast<uint32_t>(next - run)) {
      // coverage: exempt begin
      return "a session's handle count disagrees with the table";
    }  // coverage: exempt end
    shared_seen |= *run == state_->shared;
    ++sessions;
    run = next;
  }
  if (sessions != state_->live_sessions) return "the session count disagrees with the table";
  if (state_->shared != nullptr && !shared_seen) {
    // coverage: exempt begin
    return "the shared session outlived its last handle";
  }  // coverage: exempt end
  return nullptr;
}

uint64_t Provider::Fingerprint() const {
  internal::MutexLock lock(state_->mu);
  internal::StateHash hash;
  state_->table.Fingerprint(&hash);
  hash.Add(state_->live_sessions);
  hash.Add(state_->shared != nullptr ? state_->shared->id : 0);
  state_->profiles.Fingerprint(&hash);
  return hash.value();
}

void internal::RenewDefaultProvider(uint64_t seed) noexcept {
  // The new object transparently replaces the old one ([basic.life]/8 as of C++20: same storage,
  // same type, and the old one is neither a complete const object nor a potentially-overlapping
  // subobject), so references that clients and the exit-time destructor hold stay valid. C++20
  // dropped the older rule against const and reference members, which Provider::lookup_ would
  // have broken.
  ProviderOptions options;
  options.seed = seed;
  Provider& provider = DefaultProvider();
  provider.~Provider();
  new (&provider) Provider(options);
}

}  // namespace smapi
