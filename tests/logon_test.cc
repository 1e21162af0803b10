// One test per MAPILogon row of docs/contract.md.
#include <gtest/gtest.h>
#include <smapi/provider.h>

#include <new>
#include <set>
#include <stdexcept>
#include <string>

#include "failing_resource.h"
#include "test_support.h"

namespace smapi {
namespace {

using testing::FailingResource;
using testing::NewSession;
using testing::SameStats;
using testing::ScriptedUiHost;
using testing::Seeded;

constexpr LHANDLE kUntouched = 0xdeadbeefcafef00dULL;

// Calls Logon with an out-parameter primed to kUntouched.
struct Attempt {
  ULONG result;
  LHANDLE handle;
};
Attempt TryLogon(Provider& provider, const char* profile, const char* password, FLAGS flags,
                 ULONG reserved = 0, ULONG_PTR window = 0) {
  LHANDLE handle = kUntouched;
  const ULONG result = provider.Logon(window, profile, password, flags, reserved, &handle);
  return {result, handle};
}

// N1
TEST(LogonContract, NullOutPointerFails) {
  Provider provider(Seeded());
  const ProviderStats before = provider.Stats();
  EXPECT_EQ(provider.Logon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, nullptr),
            ULONG{MAPI_E_FAILURE});
  EXPECT_EQ(provider.Logon(0, "default", "", 0, 0, nullptr), ULONG{MAPI_E_FAILURE});
  EXPECT_TRUE(SameStats(provider.Stats(), before));
}

// N2
TEST(LogonContract, NonZeroReservedFails) {
  Provider provider(Seeded());
  for (int bit = 0; bit < 32; ++bit) {
    const Attempt a = TryLogon(provider, "default", "", MAPI_NEW_SESSION, ULONG{1} << bit);
    EXPECT_EQ(a.result, ULONG{MAPI_E_FAILURE});
    EXPECT_EQ(a.handle, kUntouched);
  }
  EXPECT_EQ(provider.Stats().live_handles, 0u);
}

// N3
TEST(LogonContract, UnknownFlagBitsFail) {
  Provider provider(Seeded());
  for (int bit = 0; bit < 32; ++bit) {
    const FLAGS flag = FLAGS{1} << bit;
    // The four N3 accepts, spelled from <smapi/mapi.h>, not from the provider's own mask.
    if (flag & (MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_PASSWORD_UI | MAPI_FORCE_DOWNLOAD))
      continue;
    const Attempt a = TryLogon(provider, "default", "", MAPI_NEW_SESSION | flag);
    EXPECT_EQ(a.result, ULONG{MAPI_E_FAILURE}) << "bit " << bit;
    EXPECT_EQ(a.handle, kUntouched);
  }
  EXPECT_EQ(TryLogon(provider, "default", "", MAPI_DIALOG).result, ULONG{MAPI_E_FAILURE});
  EXPECT_EQ(TryLogon(provider, "default", "", MAPI_EXTENDED).result, ULONG{MAPI_E_FAILURE});
  EXPECT_EQ(provider.Stats().live_handles, 0u);
}

// N4
TEST(LogonContract, LogonUiWithPasswordUiFails) {
  ScriptedUiHost ui;
  ProviderOptions options = Seeded();
  options.ui = &ui;
  Provider provider(options);
  const Attempt a = TryLogon(provider, "default", "", MAPI_LOGON_UI | MAPI_PASSWORD_UI);
  EXPECT_EQ(a.result, ULONG{MAPI_E_FAILURE});
  EXPECT_EQ(a.handle, kUntouched);
  EXPECT_TRUE(ui.asked.empty());
}

// N5
TEST(LogonContract, NullProfileJoinsSharedSession) {
  Provider provider(Seeded());
  const Attempt owner = TryLogon(provider, "default", nullptr, 0);
  ASSERT_EQ(owner.result, ULONG{SUCCESS_SUCCESS});
  const Attempt joiner = TryLogon(provider, nullptr, nullptr, 0);
  ASSERT_EQ(joiner.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_NE(joiner.handle, owner.handle);
  EXPECT_EQ(provider.Lookup(joiner.handle)->session_id, provider.Lookup(owner.handle)->session_id);
  // The password is not asked for: joining by NULL profile needs none.
  EXPECT_EQ(TryLogon(provider, nullptr, "anything", 0).result, ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(provider.Stats().live_sessions, 1u);
}

// N6
TEST(LogonContract, NullProfileWithoutSharedSessionFails) {
  Provider provider(Seeded());
  ASSERT_NE(NewSession(provider), 0u);  // A private session is not a shared one.
  const Attempt a = TryLogon(provider, nullptr, nullptr, 0);
  EXPECT_EQ(a.result, ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(a.handle, kUntouched);
  EXPECT_EQ(TryLogon(provider, nullptr, nullptr, MAPI_PASSWORD_UI).result,
            ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(provider.Stats().live_handles, 1u);
}

// N7
TEST(LogonContract, NullProfileNewSessionUsesDefaultProfile) {
  Provider provider(Seeded());
  const Attempt a = TryLogon(provider, nullptr, nullptr, MAPI_NEW_SESSION);
  ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(provider.Lookup(a.handle).has_value());
  EXPECT_FALSE(provider.HasSharedSession());
  // The default profile's password still counts.
  ASSERT_EQ(provider.AddProfile(kDefaultProfileName, "sesame"), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(TryLogon(provider, nullptr, nullptr, MAPI_NEW_SESSION).result,
            ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(TryLogon(provider, nullptr, "sesame", MAPI_NEW_SESSION).result, ULONG{SUCCESS_SUCCESS});
}

// N8
TEST(LogonContract, BadCredentialsWithoutUiFail) {
  Provider provider(Seeded());
  ASSERT_EQ(provider.AddProfile("alice", "correct horse"), ULONG{SUCCESS_SUCCESS});
  for (FLAGS flags : {FLAGS{0}, FLAGS{MAPI_NEW_SESSION}, FLAGS{MAPI_FORCE_DOWNLOAD}}) {
    for (const char* password : {"", "correct", "correct horse ", "Correct horse", "x"}) {
      const Attempt a = TryLogon(provider, "alice", password, flags);
      EXPECT_EQ(a.result, ULONG{MAPI_E_LOGIN_FAILURE}) << password;
      EXPECT_EQ(a.handle, kUntouched);
    }
    EXPECT_EQ(TryLogon(provider, "alice", nullptr, flags).result, ULONG{MAPI_E_LOGIN_FAILURE});
    EXPECT_EQ(TryLogon(provider, "bob", "", flags).result, ULONG{MAPI_E_LOGIN_FAILURE});
    EXPECT_EQ(TryLogon(provider, "", "", flags).result, ULONG{MAPI_E_LOGIN_FAILURE});
  }
  EXPECT_EQ(provider.Stats().live_handles, 0u);
  EXPECT_EQ(TryLogon(provider, "alice", "correct horse", 0).result, ULONG{SUCCESS_SUCCESS});
}

// N9
TEST(LogonContract, PasswordUiCannotFixUnknownProfile) {
  ScriptedUiHost ui;
  ui.result = PromptResult::kAnswered;
  ui.password = "";
  ProviderOptions options = Seeded();
  options.ui = &ui;
  Provider provider(options);
  EXPECT_EQ(TryLogon(provider, "nobody", "", MAPI_PASSWORD_UI).result, ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_TRUE(ui.asked.empty());
}

// N10
TEST(LogonContract, UiCancelIsUserAbort) {
  ScriptedUiHost ui;
  ui.result = PromptResult::kCancelled;
  ProviderOptions options = Seeded();
  options.ui = &ui;
  Provider provider(options);
  ASSERT_EQ(provider.AddProfile("alice", "pw"), ULONG{SUCCESS_SUCCESS});
  Attempt a = TryLogon(provider, "alice", "wrong", MAPI_LOGON_UI);
  EXPECT_EQ(a.result, ULONG{MAPI_E_USER_ABORT});
  EXPECT_EQ(a.handle, kUntouched);
  a = TryLogon(provider, "alice", "wrong", MAPI_PASSWORD_UI | MAPI_NEW_SESSION);
  EXPECT_EQ(a.result, ULONG{MAPI_E_USER_ABORT});
  EXPECT_EQ(TryLogon(provider, "nobody", "", MAPI_LOGON_UI).result, ULONG{MAPI_E_USER_ABORT});
  EXPECT_EQ(ui.asked.size(), 3u);
  EXPECT_EQ(provider.Stats().live_handles, 0u);
}

// N23
TEST(LogonContract, ThrowingUiHostIsFailure) {
  struct ThrowingUiHost final : UiHost {
    int calls = 0;
    bool bad_alloc = false;
    PromptResult PromptLogon(const LogonPrompt&, LogonAnswer&) override {
      ++calls;
      if (bad_alloc) throw std::bad_alloc();
      throw std::runtime_error("the dialog could not be created");
    }
  } ui;
  ProviderOptions options = Seeded();
  options.ui = &ui;
  Provider provider(options);
  ASSERT_EQ(provider.AddProfile("alice", "pw"), ULONG{SUCCESS_SUCCESS});
  const ProviderStats before = provider.Stats();
  Attempt a = TryLogon(provider, "alice", "wrong", MAPI_LOGON_UI);
  EXPECT_EQ(a.result, ULONG{MAPI_E_FAILURE});
  EXPECT_EQ(a.handle, kUntouched);
  a = TryLogon(provider, "alice", "wrong", MAPI_PASSWORD_UI | MAPI_NEW_SESSION);
  EXPECT_EQ(a.result, ULONG{MAPI_E_FAILURE});
  // Not the provider's memory that ran out, so not MAPI_E_INSUFFICIENT_MEMORY.
  ui.bad_alloc = true;
  a = TryLogon(provider, "nobody", "", MAPI_LOGON_UI);
  EXPECT_EQ(a.result, ULONG{MAPI_E_FAILURE});
  EXPECT_EQ(a.handle, kUntouched);
  EXPECT_EQ(ui.calls, 3);
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  // The provider is still usable.
  EXPECT_EQ(TryLogon(provider, "alice", "pw", MAPI_LOGON_UI).result, ULONG{SUCCESS_SUCCESS});
}

// N11
TEST(LogonContract, UiAnswerLogsOn) {
  ScriptedUiHost ui;
  ui.result = PromptResult::kAnswered;
  ProviderOptions options = Seeded();
  options.ui = &ui;
  Provider provider(options);
  ASSERT_EQ(provider.AddProfile("alice", "pw"), ULONG{SUCCESS_SUCCESS});
  ASSERT_EQ(provider.AddProfile("bob", "bpw"), ULONG{SUCCESS_SUCCESS});
  // MAPI_LOGON_UI: the dialog may choose another profile.
  ui.profile = "bob";
  ui.password = "bpw";
  Attempt a = TryLogon(provider, "alice", "wrong", MAPI_LOGON_UI | MAPI_NEW_SESSION);
  ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_FALSE(ui.asked.back().password_only);
  // MAPI_PASSWORD_UI: only the password is taken from the dialog; the profile stays alice.
  ui.profile = "bob";
  ui.password = "pw";
  a = TryLogon(provider, "alice", nullptr, MAPI_PASSWORD_UI | MAPI_NEW_SESSION);
  ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(ui.asked.back().password_only);
  EXPECT_EQ(ui.asked.back().profile, "alice");
  // Good credentials need no dialog at all.
  const size_t prompts = ui.asked.size();
  EXPECT_EQ(TryLogon(provider, "alice", "pw", MAPI_LOGON_UI | MAPI_NEW_SESSION).result,
            ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(ui.asked.size(), prompts);
}

// N12
TEST(LogonContract, UiWrongAnswerFails) {
  ScriptedUiHost ui;
  ui.result = PromptResult::kAnswered;
  ui.profile = "alice";
  ui.password = "still wrong";
  ProviderOptions options = Seeded();
  options.ui = &ui;
  Provider provider(options);
  ASSERT_EQ(provider.AddProfile("alice", "pw"), ULONG{SUCCESS_SUCCESS});
  const Attempt a = TryLogon(provider, "alice", "wrong", MAPI_LOGON_UI);
  EXPECT_EQ(a.result, ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(a.handle, kUntouched);
  EXPECT_EQ(ui.asked.size(), 1u);  // Asked once, no retry loop.
}

// N13
TEST(LogonContract, HeadlessUiIsLoginFailure) {
  Provider provider(Seeded());  // No host given: headless.
  ASSERT_EQ(provider.AddProfile("alice", "pw"), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(TryLogon(provider, "alice", "wrong", MAPI_LOGON_UI).result,
            ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(TryLogon(provider, "alice", "wrong", MAPI_PASSWORD_UI).result,
            ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(provider.Stats().live_handles, 0u);
}

// N14
TEST(LogonContract, SameProfileJoinsSharedSession) {
  Provider provider(Seeded());
  ASSERT_EQ(provider.AddProfile("alice", "pw"), ULONG{SUCCESS_SUCCESS});
  const Attempt first = TryLogon(provider, "alice", "pw", 0);
  const Attempt second = TryLogon(provider, "alice", "pw", MAPI_FORCE_DOWNLOAD);
  ASSERT_EQ(first.result, ULONG{SUCCESS_SUCCESS});
  ASSERT_EQ(second.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(provider.Lookup(first.handle)->session_id, provider.Lookup(second.handle)->session_id);
  EXPECT_EQ(provider.Stats().shared_handles, 2u);
  // Joining by name still needs the password.
  EXPECT_EQ(TryLogon(provider, "alice", "p", 0).result, ULONG{MAPI_E_LOGIN_FAILURE});
}

// N15
TEST(LogonContract, OtherProfileCannotJoinSharedSession) {
  Provider provider(Seeded());
  ASSERT_EQ(provider.AddProfile("alice", "pw"), ULONG{SUCCESS_SUCCESS});
  ASSERT_EQ(TryLogon(provider, "alice", "pw", 0).result, ULONG{SUCCESS_SUCCESS});
  const ProviderStats before = provider.Stats();
  const Attempt a = TryLogon(provider, "default", "", 0);
  EXPECT_EQ(a.result, ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_EQ(a.handle, kUntouched);
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  // With NEW_SESSION the other profile is fine.
  EXPECT_EQ(TryLogon(provider, "default", "", MAPI_NEW_SESSION).result, ULONG{SUCCESS_SUCCESS});
}

// N16
TEST(LogonContract, FirstLogonCreatesSharedSession) {
  Provider provider(Seeded());
  EXPECT_FALSE(provider.HasSharedSession());
  const Attempt a = TryLogon(provider, "default", "", 0);
  ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(provider.HasSharedSession());
  EXPECT_EQ(provider.Stats().shared_handles, 1u);
}

// N17
TEST(LogonContract, NewSessionIsPrivate) {
  Provider provider(Seeded());
  const Attempt a = TryLogon(provider, "default", "", MAPI_NEW_SESSION);
  const Attempt b = TryLogon(provider, "default", "", MAPI_NEW_SESSION);
  ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
  ASSERT_EQ(b.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_NE(provider.Lookup(a.handle)->session_id, provider.Lookup(b.handle)->session_id);
  EXPECT_FALSE(provider.HasSharedSession());
  EXPECT_EQ(TryLogon(provider, nullptr, nullptr, 0).result, ULONG{MAPI_E_LOGIN_FAILURE});
  // A shared session made later is separate from both.
  const Attempt shared = TryLogon(provider, "default", "", 0);
  EXPECT_NE(provider.Lookup(shared.handle)->session_id, provider.Lookup(a.handle)->session_id);
  EXPECT_EQ(provider.Stats().live_sessions, 3u);
}

// N18
TEST(LogonContract, FullTableIsTooManySessions) {
  Provider provider(Seeded(3));
  LHANDLE shared = 0;
  ASSERT_EQ(provider.Logon(0, "default", "", 0, 0, &shared), ULONG{SUCCESS_SUCCESS});
  ASSERT_NE(NewSession(provider), 0u);
  ASSERT_NE(NewSession(provider), 0u);
  const ProviderStats before = provider.Stats();
  EXPECT_EQ(before.free_slots, 0u);
  for (FLAGS flags : {FLAGS{0}, FLAGS{MAPI_NEW_SESSION}}) {
    const Attempt a = TryLogon(provider, "default", "", flags);
    EXPECT_EQ(a.result, ULONG{MAPI_E_TOO_MANY_SESSIONS});
    EXPECT_EQ(a.handle, kUntouched);
  }
  EXPECT_EQ(TryLogon(provider, nullptr, nullptr, 0).result, ULONG{MAPI_E_TOO_MANY_SESSIONS});
  // Credentials come first.
  EXPECT_EQ(TryLogon(provider, "nobody", "", MAPI_NEW_SESSION).result, ULONG{MAPI_E_LOGIN_FAILURE});
  EXPECT_TRUE(SameStats(provider.Stats(), before));
  ASSERT_EQ(provider.Logoff(shared, 0, 0, 0), ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(TryLogon(provider, "default", "", MAPI_NEW_SESSION).result, ULONG{SUCCESS_SUCCESS});
}

// N19
TEST(LogonContract, OutOfMemoryChangesNothing) {
  FailingResource memory;
  ProviderOptions options = Seeded();
  options.memory = &memory;
  Provider provider(options);
  // Long names and passwords, so that their copies need allocations of their own too.
  const std::string name(100, 'n');
  const std::string password(100, 'p');
  ASSERT_EQ(provider.AddProfile(name, password), ULONG{SUCCESS_SUCCESS});
  const ProviderStats before = provider.Stats();
  const size_t blocks = memory.outstanding_blocks();
  // Fail each allocation of the logon in turn until it has enough to succeed.
  int failures_seen = 0;
  for (uint64_t nth = 1;; ++nth) {
    memory.FailNth(nth);
    const Attempt a = TryLogon(provider, name.c_str(), password.c_str(), 0);
    if (memory.failures() == 0) {
      ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
      break;
    }
    ++failures_seen;
    EXPECT_EQ(a.result, ULONG{MAPI_E_INSUFFICIENT_MEMORY}) << "allocation " << nth;
    EXPECT_EQ(a.handle, kUntouched);
    EXPECT_TRUE(SameStats(provider.Stats(), before));
    EXPECT_FALSE(provider.HasSharedSession());
    EXPECT_EQ(memory.outstanding_blocks(), blocks);
    EXPECT_EQ(provider.CheckInvariants(), nullptr);
  }
  EXPECT_GE(failures_seen, 3);  // The session, its profile copy and its password copy.
}

// N20
TEST(LogonContract, ForceDownloadIsAcceptedAndIgnored) {
  Provider provider(Seeded());
  const Attempt a = TryLogon(provider, "default", "", MAPI_FORCE_DOWNLOAD);
  ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
  EXPECT_TRUE(provider.HasSharedSession());
  EXPECT_EQ(TryLogon(provider, nullptr, nullptr, MAPI_FORCE_DOWNLOAD).result,
            ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(TryLogon(provider, "default", "", MAPI_FORCE_DOWNLOAD | MAPI_NEW_SESSION).result,
            ULONG{SUCCESS_SUCCESS});
  EXPECT_EQ(TryLogon(provider, "nobody", "", MAPI_FORCE_DOWNLOAD).result,
            ULONG{MAPI_E_LOGIN_FAILURE});
}

// N21
TEST(LogonContract, UiHostReceivesWindowParamUnchanged) {
  ScriptedUiHost ui;
  ui.result = PromptResult::kCancelled;
  ProviderOptions options = Seeded();
  options.ui = &ui;
  Provider provider(options);
  const ULONG_PTR windows[] = {0, 1, 0x7fffffff, 0x100000000ULL, ~ULONG_PTR{0}};
  for (ULONG_PTR window : windows) {
    EXPECT_EQ(TryLogon(provider, "nobody", "", MAPI_LOGON_UI, 0, window).result,
              ULONG{MAPI_E_USER_ABORT});
    ASSERT_FALSE(ui.asked.empty());
    EXPECT_EQ(ui.asked.back().parent_window, window);
    EXPECT_EQ(ui.asked.back().profile, "nobody");
  }
}

// N22
TEST(LogonContract, FailureNeverWritesHandle) {
  ScriptedUiHost ui;
  ProviderOptions options = Seeded(1);
  options.ui = &ui;
  Provider provider(options);
  EXPECT_EQ(TryLogon(provider, "default", "", 0x4).handle, kUntouched);
  EXPECT_EQ(TryLogon(provider, "default", "", 0, 1).handle, kUntouched);
  EXPECT_EQ(TryLogon(provider, nullptr, nullptr, 0).handle, kUntouched);
  EXPECT_EQ(TryLogon(provider, "x", "", 0).handle, kUntouched);
  EXPECT_EQ(TryLogon(provider, "x", "", MAPI_LOGON_UI).handle, kUntouched);
  ASSERT_NE(NewSession(provider), 0u);
  EXPECT_EQ(TryLogon(provider, "default", "", MAPI_NEW_SESSION).handle, kUntouched);
}

// H5
TEST(LogonContract, EveryLogonGetsItsOwnHandle) {
  Provider provider(Seeded());
  std::set<LHANDLE> handles;
  for (int i = 0; i < 10; ++i) {
    const Attempt a = TryLogon(provider, i % 2 ? nullptr : "default", nullptr, 0);
    ASSERT_EQ(a.result, ULONG{SUCCESS_SUCCESS});
    EXPECT_TRUE(handles.insert(a.handle).second);
  }
  EXPECT_EQ(provider.Stats().shared_handles, 10u);
  EXPECT_EQ(provider.Stats().live_sessions, 1u);
}

}  // namespace
}  // namespace smapi
