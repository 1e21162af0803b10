// MAPILogon: validate, authenticate (asking the UI host when the flags allow), then open or join.
#include <new>

#include "provider_state.h"

namespace smapi {
namespace {

bool ArgumentsValid(FLAGS flags, ULONG reserved, const LHANDLE* session) {
  if (session == nullptr || reserved != 0) return false;
  if ((flags & ~kLogonFlags) != 0) return false;
  // The documentation says the two dialogs must not be asked for together.
  return !((flags & MAPI_LOGON_UI) && (flags & MAPI_PASSWORD_UI));
}

}  // namespace

ULONG Provider::State::Prompt(const LogonPrompt& prompt, LogonAnswer& answer) {
  PromptResult reply;
  try {
    reply = ui->PromptLogon(prompt, answer);
  } catch (...) {
    // The host failed, whatever it threw (std::bad_alloc included: not the provider's memory);
    // the user did not cancel, so this is no MAPI_E_USER_ABORT.
    return MAPI_E_FAILURE;
  }
  switch (reply) {
    case PromptResult::kAnswered:
      return SUCCESS_SUCCESS;
    case PromptResult::kCancelled:
      return MAPI_E_USER_ABORT;
    case PromptResult::kUnavailable:
      break;
  }
  return MAPI_E_LOGIN_FAILURE;
}

ULONG Provider::Logon(ULONG_PTR ui_param, const char* profile, const char* password, FLAGS flags,
                      ULONG reserved, LHANDLE* session) noexcept {
  if (!ArgumentsValid(flags, reserved, session)) return MAPI_E_FAILURE;
  // MAPI_FORCE_DOWNLOAD asks for the message store to be synchronised; there is no store here.
  const bool new_session = (flags & MAPI_NEW_SESSION) != 0;
  const bool logon_ui = (flags & MAPI_LOGON_UI) != 0;
  State& s = *state_;
  const std::string_view name = profile != nullptr ? profile : kDefaultProfileName;
  const std::string_view secret = password != nullptr ? password : "";
  bool profile_known = false;
  try {
    {
      internal::MutexLock lock(s.mu);
      if (profile == nullptr && !new_session) {
        // A NULL profile without NEW_SESSION asks for the shared session: no credentials needed.
        if (s.shared != nullptr) return s.Attach(s.shared, session);
        if (!logon_ui) return MAPI_E_LOGIN_FAILURE;
      }
      if (s.profiles.Verify(name, secret)) return s.Open(name, secret, new_session, session);
      profile_known = s.profiles.Contains(name);
    }
    // The credentials did not do; a dialog is the only way left, and only if the flags allow it.
    const bool password_only = !logon_ui;
    if (!logon_ui && !((flags & MAPI_PASSWORD_UI) && profile_known)) return MAPI_E_LOGIN_FAILURE;
    LogonAnswer answer;
    const ULONG prompted = s.Prompt(LogonPrompt{ui_param, password_only, name}, answer);
    if (prompted != SUCCESS_SUCCESS) return prompted;
    const std::string_view answered = password_only ? name : answer.profile;
    internal::MutexLock lock(s.mu);
    if (!s.profiles.Verify(answered, answer.password)) return MAPI_E_LOGIN_FAILURE;
    return s.Open(answered, answer.password, new_session, session);
  } catch (const std::bad_alloc&) {
    return MAPI_E_INSUFFICIENT_MEMORY;
  }
}

}  // namespace smapi
