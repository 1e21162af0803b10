/* Simple MAPI session lifecycle: MAPILogon and MAPILogoff.
 *
 * Types and values match the public Simple MAPI headers. ULONG stays 32 bits on
 * LP64 (as Wine keeps it); handles and window parameters follow the pointer. */
#ifndef SMAPI_MAPI_H_
#define SMAPI_MAPI_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
/* As <windows.h> declares it (32 bits there too), so that both headers can be included. */
typedef unsigned long ULONG;
#else
typedef uint32_t ULONG;
#endif
typedef ULONG FLAGS;
typedef uintptr_t ULONG_PTR;
typedef ULONG_PTR LHANDLE;
typedef LHANDLE* LPLHANDLE;
typedef char* LPSTR;

#define lhSessionNull ((LHANDLE)0)

/* WINAPI on Windows, as Simple MAPI declares its calls there; nothing elsewhere. */
#if defined(_WIN32)
#define SMAPI_WINAPI __stdcall
#else
#define SMAPI_WINAPI
#endif

/* Return codes. */
#define SUCCESS_SUCCESS 0
#define MAPI_USER_ABORT 1
#define MAPI_E_USER_ABORT MAPI_USER_ABORT
#define MAPI_E_FAILURE 2
#define MAPI_E_LOGON_FAILURE 3
#define MAPI_E_LOGIN_FAILURE MAPI_E_LOGON_FAILURE
#define MAPI_E_DISK_FULL 4
#define MAPI_E_INSUFFICIENT_MEMORY 5
#define MAPI_E_ACCESS_DENIED 6
#define MAPI_E_TOO_MANY_SESSIONS 8
#define MAPI_E_TOO_MANY_FILES 9
#define MAPI_E_TOO_MANY_RECIPIENTS 10
#define MAPI_E_ATTACHMENT_NOT_FOUND 11
#define MAPI_E_ATTACHMENT_OPEN_FAILURE 12
#define MAPI_E_ATTACHMENT_WRITE_FAILURE 13
#define MAPI_E_UNKNOWN_RECIPIENT 14
#define MAPI_E_BAD_RECIPTYPE 15
#define MAPI_E_NO_MESSAGES 16
#define MAPI_E_INVALID_MESSAGE 17
#define MAPI_E_TEXT_TOO_LARGE 18
#define MAPI_E_INVALID_SESSION 19
#define MAPI_E_TYPE_NOT_SUPPORTED 20
#define MAPI_E_AMBIGUOUS_RECIPIENT 21
#define MAPI_E_AMBIG_RECIP MAPI_E_AMBIGUOUS_RECIPIENT
#define MAPI_E_MESSAGE_IN_USE 22
#define MAPI_E_NETWORK_FAILURE 23
#define MAPI_E_INVALID_EDITFIELDS 24
#define MAPI_E_INVALID_RECIPS 25
#define MAPI_E_NOT_SUPPORTED 26

/* MAPILogon flags. MAPI_DIALOG and MAPI_EXTENDED are defined for completeness;
 * MAPILogon rejects them. */
#define MAPI_LOGON_UI 0x00000001u
#define MAPI_NEW_SESSION 0x00000002u
#define MAPI_DIALOG 0x00000008u
#define MAPI_EXTENDED 0x00000020u
#define MAPI_FORCE_DOWNLOAD 0x00001000u
#define MAPI_PASSWORD_UI 0x00020000u

ULONG SMAPI_WINAPI MAPILogon(ULONG_PTR ulUIParam, LPSTR lpszProfileName, LPSTR lpszPassword,
                             FLAGS flFlags, ULONG ulReserved, LPLHANDLE lplhSession);
ULONG SMAPI_WINAPI MAPILogoff(LHANDLE lhSession, ULONG_PTR ulUIParam, FLAGS flFlags,
                              ULONG ulReserved);

typedef ULONG(SMAPI_WINAPI* LPMAPILOGON)(ULONG_PTR ulUIParam, LPSTR lpszProfileName,
                                         LPSTR lpszPassword, FLAGS flFlags, ULONG ulReserved,
                                         LPLHANDLE lplhSession);
typedef ULONG(SMAPI_WINAPI* LPMAPILOGOFF)(LHANDLE lhSession, ULONG_PTR ulUIParam, FLAGS flFlags,
                                          ULONG ulReserved);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SMAPI_MAPI_H_ */
