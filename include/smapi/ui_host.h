// The seam through which the provider would show a logon dialog.
#ifndef SMAPI_UI_HOST_H_
#define SMAPI_UI_HOST_H_

#include <smapi/mapi.h>

#include <string_view>

namespace smapi {

// What the provider asks for.
struct LogonPrompt {
  ULONG_PTR parent_window;   // ulUIParam exactly as the caller passed it; 0 = application modal.
  bool password_only;        // MAPI_PASSWORD_UI: the profile is fixed, only ask for the password.
  std::string_view profile;  // The profile the caller named (or the default profile); may be empty.
};

enum class PromptResult {
  kAnswered,     // The user entered credentials.
  kCancelled,    // The user dismissed the dialog: MAPI_E_USER_ABORT.
  kUnavailable,  // No dialog can be shown (headless): MAPI_E_LOGIN_FAILURE.
};

// The user's answer. The views must stay valid until the next call on the same host.
struct LogonAnswer {
  std::string_view profile;  // Ignored when the prompt was password_only.
  std::string_view password;
};

class UiHost {
 public:
  virtual ~UiHost() = default;
  // Called without any provider lock held, so a host may block on a real dialog.
  virtual PromptResult PromptLogon(const LogonPrompt& prompt, LogonAnswer& answer) = 0;
};

// The default: a library on a server has no screen, so every dialog is unavailable.
class HeadlessUiHost final : public UiHost {
 public:
  PromptResult PromptLogon(const LogonPrompt&, LogonAnswer&) override {
    return PromptResult::kUnavailable;
  }
};

}  // namespace smapi

#endif  // SMAPI_UI_HOST_H_
