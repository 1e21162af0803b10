/* A tiny Simple MAPI provider for testing the conformance runner and the provider fuzzer: it keeps
 * the contract for a headless provider holding "default" with the empty password and room for
 * TOY_CAPACITY handles, except for the one defect it is compiled with:
 *   TOY_CRASH  writes through a NULL lplhSession (N1) and aborts on MAPILogoff(0) (F3a);
 *   TOY_HANG   never returns from a MAPILogoff with flags (F1, F6);
 *   TOY_KEEP   keeps the shared session after its last handle is logged off.
 * Without any, it conforms. */
#include <smapi/mapi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TOY_CAPACITY 16

static LHANDLE live[TOY_CAPACITY]; /* 0 = free */
static int on_shared[TOY_CAPACITY];
static int shared_handles;
static int shared_exists;
static uint64_t issued;

static int Find(LHANDLE handle) {
  if (handle == 0) return -1;
  for (int i = 0; i < TOY_CAPACITY; ++i) {
    if (live[i] == handle) return i;
  }
  return -1;
}

static ULONG Issue(int shared, LPLHANDLE out) {
  for (int i = 0; i < TOY_CAPACITY; ++i) {
    if (live[i] != 0) continue;
    /* Never 0, never repeated (an odd multiplier is a bijection), using all 64 bits, and
     * different in two loaded copies (their statics lie at different addresses). */
    ++issued;
    live[i] = issued * 0x9e3779b97f4a7c15ULL ^ (uintptr_t)&issued;
    if (live[i] == 0) live[i] = issued;
    on_shared[i] = shared;
    if (shared) {
      shared_exists = 1;
      ++shared_handles;
    }
    *out = live[i];
    return SUCCESS_SUCCESS;
  }
  return MAPI_E_TOO_MANY_SESSIONS;
}

ULONG MAPILogon(ULONG_PTR ulUIParam, LPSTR lpszProfileName, LPSTR lpszPassword, FLAGS flFlags,
                ULONG ulReserved, LPLHANDLE lplhSession) {
  (void)ulUIParam;
#ifndef TOY_CRASH
  if (lplhSession == NULL) return MAPI_E_FAILURE;
#endif
  const FLAGS known = MAPI_LOGON_UI | MAPI_NEW_SESSION | MAPI_PASSWORD_UI | MAPI_FORCE_DOWNLOAD;
  if (ulReserved != 0 || (flFlags & ~known) != 0) return MAPI_E_FAILURE;
  if ((flFlags & MAPI_LOGON_UI) && (flFlags & MAPI_PASSWORD_UI)) return MAPI_E_FAILURE;
  const int new_session = (flFlags & MAPI_NEW_SESSION) != 0;
  if (lpszProfileName == NULL && !new_session) {
    if (shared_exists) return Issue(1, lplhSession);
    if (!(flFlags & MAPI_LOGON_UI)) return MAPI_E_LOGIN_FAILURE;
  }
  const char* profile = lpszProfileName ? lpszProfileName : "default";
  const char* password = lpszPassword ? lpszPassword : "";
  /* Bad credentials: there is no dialog to show. */
  if (strcmp(profile, "default") != 0 || strcmp(password, "") != 0) return MAPI_E_LOGIN_FAILURE;
  return Issue(!new_session, lplhSession);
}

ULONG MAPILogoff(LHANDLE lhSession, ULONG_PTR ulUIParam, FLAGS flFlags, ULONG ulReserved) {
  (void)ulUIParam;
#ifdef TOY_HANG
  while (flFlags != 0) sleep(1); /* Not pause(): MinGW has none. */
#endif
  if (flFlags != 0 || ulReserved != 0) return MAPI_E_FAILURE;
#ifdef TOY_CRASH
  if (lhSession == 0) abort();
#endif
  const int i = Find(lhSession);
  if (i < 0) return MAPI_E_INVALID_SESSION;
  live[i] = 0;
  if (on_shared[i] && --shared_handles == 0) {
#ifndef TOY_KEEP
    shared_exists = 0;
#endif
  }
  return SUCCESS_SUCCESS;
}
