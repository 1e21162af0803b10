// Small helpers shared by the unit tests.
#ifndef SMAPI_TESTS_TEST_SUPPORT_H_
#define SMAPI_TESTS_TEST_SUPPORT_H_

#include <smapi/provider.h>
#include <smapi/ui_host.h>

#include <string>
#include <vector>

namespace smapi::testing {

// A UI host that answers every prompt the same scripted way and remembers what it was asked.
class ScriptedUiHost final : public UiHost {
 public:
  struct Asked {
    ULONG_PTR parent_window;
    bool password_only;
    std::string profile;
  };

  PromptResult result = PromptResult::kCancelled;
  std::string profile;
  std::string password;
  std::vector<Asked> asked;

  PromptResult PromptLogon(const LogonPrompt& prompt, LogonAnswer& answer) override {
    asked.push_back({prompt.parent_window, prompt.password_only, std::string(prompt.profile)});
    answer.profile = profile;
    answer.password = password;
    return result;
  }
};

// Field-by-field equality, so a test can say "nothing changed".
inline bool SameStats(const ProviderStats& a, const ProviderStats& b) {
  return a.live_handles == b.live_handles && a.live_sessions == b.live_sessions &&
         a.shared_handles == b.shared_handles && a.free_slots == b.free_slots &&
         a.retired_slots == b.retired_slots;
}

inline ProviderOptions Seeded(uint32_t capacity = 64, uint64_t seed = 0x5eed) {
  ProviderOptions options;
  options.capacity = capacity;
  options.seed = seed;
  return options;
}

// Logs on to a new private session on the default profile; the handle, or 0 on failure.
inline LHANDLE NewSession(Provider& provider) {
  LHANDLE handle = 0;
  if (provider.Logon(0, nullptr, nullptr, MAPI_NEW_SESSION, 0, &handle) != SUCCESS_SUCCESS) {
    return 0;
  }
  return handle;
}

}  // namespace smapi::testing

#endif  // SMAPI_TESTS_TEST_SUPPORT_H_
