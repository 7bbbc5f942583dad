/*
 * A stand-in webauthn.dll for the Windows suite (test/windows/webauthn.test.ts), built with
 * mingw-w64 by test/support/wine.ts and placed in the Wine prefix's system32, where the app loads
 * webauthn.dll from. It exports the WebAuthN calls native/webauthn-win binds, checks every
 * structure it receives against the rules of Microsoft's webauthn.h (struct versions, counted
 * sizes, NUL-terminated well-formed UTF-16, "SHA-256", "public-key", the credProtect extension),
 * and answers from a software authenticator in the test process: each call is one length-prefixed
 * message over loopback TCP to 127.0.0.1:%NBG_TEST_WEBAUTHN_PORT% (test/support/webauthn-win/dll-bridge.ts).
 * The message carries everything the DLL read, so the test sees what the app sent.
 *
 * A structure that breaks webauthn.h's rules is answered with NTE_INVALID_PARAMETER without asking
 * the authenticator. WebAuthNCancelCurrentOperation ends the call holding that cancellation id with
 * NTE_USER_CANCELLED, as Windows does when its dialog is closed by the app.
 */
#include <winsock2.h>
#include <windows.h>
#include <stdint.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

/* API version 4 (Windows 10 21H2): credProtect (since 2) is what OpenSSH's keys need. */
#define API_VERSION 4

#define NTE_INVALID_PARAMETER_HR ((HRESULT)0x80090027L)
#define NTE_DEVICE_NOT_FOUND_HR ((HRESULT)0x80090035L)
#define NTE_USER_CANCELLED_HR ((HRESULT)0x80090036L)
#define E_TIMEOUT_HR ((HRESULT)0x800705B4L)
#define E_FAIL_HR ((HRESULT)0x80004005L)

#define OP_MAKE_CREDENTIAL 1
#define OP_GET_ASSERTION 2
#define MAX_MESSAGE (1 << 20)
/* Longest string we accept (UTF-16 units, without the NUL): rp ids, names, type names. */
#define MAX_WIDE_CHARS 256
/* WebAuthn: a user handle is at most 64 bytes; CTAP: a credential id at most 1023. */
#define MAX_USER_ID 64
#define MAX_CREDENTIAL_ID 1023
#define MAX_CLIENT_DATA (64 * 1024)
#define MAX_LIST 64
#define CRED_PROTECT_MAX 3
#define POLL_MS 50
#define CANCELLED_SLOTS 16

/* webauthn.h structures at the versions this stand-in understands. */
typedef struct { DWORD dwVersion; PCWSTR pwszId; PCWSTR pwszName; PCWSTR pwszIcon; } RP_INFO;
typedef struct { DWORD dwVersion; DWORD cbId; BYTE *pbId; PCWSTR pwszName; PCWSTR pwszIcon; PCWSTR pwszDisplayName; } USER_INFO;
typedef struct { DWORD dwVersion; DWORD cbClientDataJSON; BYTE *pbClientDataJSON; PCWSTR pwszHashAlgId; } CLIENT_DATA;
typedef struct { DWORD dwVersion; PCWSTR pwszCredentialType; LONG lAlg; } COSE_PARAM;
typedef struct { DWORD cCredentialParameters; COSE_PARAM *pCredentialParameters; } COSE_PARAMS;
typedef struct { DWORD dwVersion; DWORD cbId; BYTE *pbId; PCWSTR pwszCredentialType; } CREDENTIAL;
typedef struct { DWORD cCredentials; CREDENTIAL *pCredentials; } CREDENTIALS;
typedef struct { PCWSTR pwszExtensionIdentifier; DWORD cbExtension; void *pvExtension; } EXTENSION;
typedef struct { DWORD cExtensions; EXTENSION *pExtensions; } EXTENSIONS;
typedef struct { DWORD dwCredProtect; BOOL bRequireCredProtect; } CRED_PROTECT_IN;
/* Version 1 ends at dwFlags; version 2 adds pCancellationId. */
typedef struct {
  DWORD dwVersion; DWORD dwTimeoutMilliseconds; CREDENTIALS CredentialList; EXTENSIONS Extensions;
  DWORD dwAuthenticatorAttachment; BOOL bRequireResidentKey; DWORD dwUserVerificationRequirement;
  DWORD dwAttestationConveyancePreference; DWORD dwFlags; GUID *pCancellationId;
} MAKE_OPTIONS;
#define MAKE_OPTIONS_MAX_VERSION 2
/* Version 1 ends at dwFlags; 2 adds the U2F app id; 3 adds pCancellationId. */
typedef struct {
  DWORD dwVersion; DWORD dwTimeoutMilliseconds; CREDENTIALS CredentialList; EXTENSIONS Extensions;
  DWORD dwAuthenticatorAttachment; DWORD dwUserVerificationRequirement; DWORD dwFlags;
  PCWSTR pwszU2fAppId; BOOL *pbU2fAppId; GUID *pCancellationId;
} ASSERT_OPTIONS;
#define ASSERT_OPTIONS_MAX_VERSION 3
typedef struct {
  DWORD dwVersion; PCWSTR pwszFormatType; DWORD cbAuthenticatorData; BYTE *pbAuthenticatorData;
  DWORD cbAttestation; BYTE *pbAttestation; DWORD dwAttestationDecodeType; void *pvAttestationDecode;
  DWORD cbAttestationObject; BYTE *pbAttestationObject; DWORD cbCredentialId; BYTE *pbCredentialId;
  EXTENSIONS Extensions; DWORD dwUsedTransport;
} ATTESTATION;
#define ATTESTATION_VERSION 3
typedef struct {
  DWORD dwVersion; DWORD cbAuthenticatorData; BYTE *pbAuthenticatorData; DWORD cbSignature; BYTE *pbSignature;
  CREDENTIAL Credential; DWORD cbUserId; BYTE *pbUserId;
} ASSERTION;
#define ASSERTION_VERSION 1

/* The x64 SDK layout (test/fixtures/webauthn-win/sdk-x64-layout.json), so a drift fails the build. */
_Static_assert(sizeof(RP_INFO) == 32 && sizeof(USER_INFO) == 40 && sizeof(CLIENT_DATA) == 24, "entity layout");
_Static_assert(sizeof(COSE_PARAM) == 24 && sizeof(CREDENTIAL) == 24 && sizeof(EXTENSION) == 24, "list element layout");
_Static_assert(offsetof(MAKE_OPTIONS, pCancellationId) == 64 && offsetof(ASSERT_OPTIONS, pCancellationId) == 72, "options layout");
_Static_assert(offsetof(ATTESTATION, dwUsedTransport) == 112 && offsetof(ASSERTION, pbUserId) == 64, "result layout");

/* ---- the request message: big-endian u32 fields, length-prefixed bytes ---- */

typedef struct { BYTE *data; size_t len, cap; int bad; } Msg;

static void put(Msg *m, const void *p, size_t n) {
  if (m->bad) return;
  if (m->len + n > m->cap) {
    size_t cap = m->cap ? m->cap : 512;
    while (cap < m->len + n) cap *= 2;
    BYTE *d = realloc(m->data, cap);
    if (!d) { m->bad = 1; return; }
    m->data = d; m->cap = cap;
  }
  memcpy(m->data + m->len, p, n);
  m->len += n;
}
static void put_u32(Msg *m, uint32_t v) { BYTE x[4] = { v >> 24, v >> 16, v >> 8, v }; put(m, x, 4); }
static void put_bytes(Msg *m, const void *p, DWORD n) { put_u32(m, n); if (n) put(m, p, n); }

/* A required or optional PCWSTR: NUL within MAX_WIDE_CHARS, well-formed UTF-16; sent as UTF-8.
 * An absent optional string is sent as length 0xFFFFFFFF. */
#define ABSENT 0xFFFFFFFFu
static void put_wide(Msg *m, PCWSTR s, int required) {
  if (!s) { if (required) m->bad = 1; else put_u32(m, ABSENT); return; }
  size_t n = 0;
  while (n <= MAX_WIDE_CHARS && s[n]) n++;
  if (n > MAX_WIDE_CHARS || (required && n == 0)) { m->bad = 1; return; }
  char out[MAX_WIDE_CHARS * 3 + 1];
  int len = n ? WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, s, (int)n, out, sizeof out, NULL, NULL) : 0;
  if (n && len <= 0) { m->bad = 1; return; } /* a lone surrogate */
  put_bytes(m, out, (DWORD)len);
}
static int wide_is(PCWSTR s, PCWSTR expected) { return s && wcsncmp(s, expected, MAX_WIDE_CHARS) == 0; }

static void put_client_data(Msg *m, const CLIENT_DATA *cd) {
  if (!cd || cd->dwVersion != 1 || cd->cbClientDataJSON == 0 || cd->cbClientDataJSON > MAX_CLIENT_DATA || !cd->pbClientDataJSON
      || !wide_is(cd->pwszHashAlgId, L"SHA-256")) { m->bad = 1; return; }
  put_bytes(m, cd->pbClientDataJSON, cd->cbClientDataJSON);
}

static void put_credentials(Msg *m, const CREDENTIALS *list) {
  if (list->cCredentials > MAX_LIST || (list->cCredentials && !list->pCredentials)) { m->bad = 1; return; }
  put_u32(m, list->cCredentials);
  for (DWORD i = 0; i < list->cCredentials && !m->bad; i++) {
    const CREDENTIAL *c = &list->pCredentials[i];
    if (c->dwVersion != 1 || c->cbId == 0 || c->cbId > MAX_CREDENTIAL_ID || !c->pbId || !wide_is(c->pwszCredentialType, L"public-key")) { m->bad = 1; return; }
    put_bytes(m, c->pbId, c->cbId);
  }
}

/* Only credProtect is known here: its input is exactly a WEBAUTHN_CRED_PROTECT_EXTENSION_IN. */
static void put_extensions(Msg *m, const EXTENSIONS *list) {
  if (list->cExtensions > MAX_LIST || (list->cExtensions && !list->pExtensions)) { m->bad = 1; return; }
  put_u32(m, list->cExtensions);
  for (DWORD i = 0; i < list->cExtensions && !m->bad; i++) {
    const EXTENSION *e = &list->pExtensions[i];
    if (!wide_is(e->pwszExtensionIdentifier, L"credProtect") || e->cbExtension != sizeof(CRED_PROTECT_IN) || !e->pvExtension) { m->bad = 1; return; }
    const CRED_PROTECT_IN *in = e->pvExtension;
    if (in->dwCredProtect < 1 || in->dwCredProtect > CRED_PROTECT_MAX || (in->bRequireCredProtect != 0 && in->bRequireCredProtect != 1)) { m->bad = 1; return; }
    put_u32(m, in->dwCredProtect);
    put_u32(m, (uint32_t)in->bRequireCredProtect);
  }
}

/* ---- cancellation ids ---- */

static CRITICAL_SECTION lock;
static LONG next_id;
static GUID cancelled[CANCELLED_SLOTS];
static int cancelled_next;

BOOL WINAPI DllMain(HINSTANCE dll, DWORD reason, LPVOID reserved) {
  (void)dll; (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) InitializeCriticalSection(&lock);
  if (reason == DLL_PROCESS_DETACH) DeleteCriticalSection(&lock);
  return TRUE;
}

static int is_cancelled(const GUID *id) {
  if (!id) return 0;
  EnterCriticalSection(&lock);
  int hit = 0;
  for (int i = 0; i < CANCELLED_SLOTS && !hit; i++) hit = memcmp(&cancelled[i], id, sizeof *id) == 0;
  LeaveCriticalSection(&lock);
  return hit;
}

/* ---- one exchange with the software authenticator, abandoned on cancel or timeout ---- */

static int recv_all(SOCKET s, BYTE *buf, uint32_t n, const GUID *cancel_id, DWORD deadline, HRESULT *why) {
  uint32_t got = 0;
  while (got < n) {
    if (is_cancelled(cancel_id)) { *why = NTE_USER_CANCELLED_HR; return 0; }
    if ((LONG)(GetTickCount() - deadline) >= 0) { *why = E_TIMEOUT_HR; return 0; }
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(s, &readable);
    struct timeval wait = { 0, POLL_MS * 1000 };
    int ready = select(0, &readable, NULL, NULL, &wait);
    if (ready < 0) { *why = E_FAIL_HR; return 0; }
    if (ready == 0) continue;
    int r = recv(s, (char *)buf + got, (int)(n - got), 0);
    if (r <= 0) { *why = E_FAIL_HR; return 0; }
    got += (uint32_t)r;
  }
  return 1;
}

/* Sends the request; on success *answer holds the reply after its HRESULT (malloc'ed). */
static HRESULT exchange(const Msg *req, const GUID *cancel_id, DWORD timeout_ms, BYTE **answer, uint32_t *answer_len) {
  char port[16];
  DWORD n = GetEnvironmentVariableA("NBG_TEST_WEBAUTHN_PORT", port, sizeof port);
  if (n == 0 || n >= sizeof port) return NTE_DEVICE_NOT_FOUND_HR; /* no authenticator behind this Windows */
  WSADATA wsa;
  if (WSAStartup(MAKEWORD(2, 2), &wsa)) return E_FAIL_HR;
  HRESULT hr = E_FAIL_HR;
  SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
  struct sockaddr_in addr = { 0 };
  addr.sin_family = AF_INET;
  addr.sin_port = htons((u_short)atoi(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BYTE head[4] = { req->len >> 24, req->len >> 16, req->len >> 8, req->len };
  DWORD deadline = GetTickCount() + timeout_ms;
  if (s != INVALID_SOCKET && connect(s, (struct sockaddr *)&addr, sizeof addr) == 0
      && send(s, (char *)head, 4, 0) == 4 && send(s, (char *)req->data, (int)req->len, 0) == (int)req->len
      && recv_all(s, head, 4, cancel_id, deadline, &hr)) {
    uint32_t len = ((uint32_t)head[0] << 24) | ((uint32_t)head[1] << 16) | ((uint32_t)head[2] << 8) | head[3];
    BYTE *data = len >= 4 && len <= MAX_MESSAGE ? malloc(len) : NULL;
    if (data && recv_all(s, data, len, cancel_id, deadline, &hr)) {
      hr = (HRESULT)(((uint32_t)data[0] << 24) | ((uint32_t)data[1] << 16) | ((uint32_t)data[2] << 8) | data[3]);
      *answer = data;
      *answer_len = len;
      data = NULL;
    }
    free(data);
  }
  if (s != INVALID_SOCKET) closesocket(s);
  WSACleanup();
  return hr;
}

/* ---- results: one block each, tagged so a free through the wrong function is caught ---- */

#define RESULT_MAGIC 0x4e424731u /* "NBG1" */
enum { KIND_ATTESTATION = 1, KIND_ASSERTION = 2 };
/* The header keeps the result 16-byte aligned, as HeapAlloc's blocks are. */
typedef struct { uint32_t magic; uint32_t kind; uint64_t pad; } ResultHeader;
static LONG outstanding_results;
static LONG bad_frees;

static void *result_alloc(uint32_t kind, size_t size) {
  ResultHeader *h = calloc(1, sizeof *h + size);
  if (!h) return NULL;
  h->magic = RESULT_MAGIC;
  h->kind = kind;
  InterlockedIncrement(&outstanding_results);
  return h + 1;
}

static void result_free(void *p, uint32_t kind) {
  if (!p) return;
  ResultHeader *h = (ResultHeader *)p - 1;
  if (h->magic != RESULT_MAGIC || h->kind != kind) { InterlockedIncrement(&bad_frees); return; }
  h->magic = 0;
  InterlockedDecrement(&outstanding_results);
  free(h);
}

/* Not part of webauthn.dll: lets a test check that every result went back through its own free call. */
__declspec(dllexport) void WINAPI StandInResultCounts(LONG *outstanding, LONG *wrong_frees) {
  if (outstanding) *outstanding = outstanding_results;
  if (wrong_frees) *wrong_frees = bad_frees;
}

/* ---- reading the answer ---- */

typedef struct { const BYTE *p; uint32_t left; int bad; } Rd;
static uint32_t rd_u32(Rd *r) {
  if (r->left < 4) { r->bad = 1; return 0; }
  uint32_t v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) | r->p[3];
  r->p += 4; r->left -= 4;
  return v;
}
static const BYTE *rd_bytes(Rd *r, DWORD *n) {
  *n = rd_u32(r);
  if (r->bad || r->left < *n) { r->bad = 1; *n = 0; return NULL; }
  const BYTE *p = r->p;
  r->p += *n; r->left -= *n;
  return p;
}
static BYTE *copy_into(BYTE **cursor, const BYTE *src, DWORD n) {
  if (!n) return NULL;
  BYTE *at = *cursor;
  memcpy(at, src, n);
  *cursor += n;
  return at;
}

/* ---- the exports ---- */

__declspec(dllexport) DWORD WINAPI WebAuthNGetApiVersionNumber(void) { return API_VERSION; }

__declspec(dllexport) HRESULT WINAPI WebAuthNAuthenticatorMakeCredential(HWND hWnd, const RP_INFO *rp, const USER_INFO *user,
    const COSE_PARAMS *params, const CLIENT_DATA *cd, const MAKE_OPTIONS *opt, ATTESTATION **result) {
  if (!result || !rp || !user || !params || !opt || !hWnd) return NTE_INVALID_PARAMETER_HR;
  *result = NULL;
  Msg m = { 0 };
  BYTE op = OP_MAKE_CREDENTIAL;
  put(&m, &op, 1);
  put_u32(&m, IsWindow(hWnd) ? 1 : 0);
  if (rp->dwVersion != 1 || user->dwVersion != 1 || user->cbId == 0 || user->cbId > MAX_USER_ID || !user->pbId) m.bad = 1;
  put_wide(&m, rp->pwszId, 1);
  put_wide(&m, rp->pwszName, 0);
  put_bytes(&m, user->pbId, user->cbId);
  put_wide(&m, user->pwszName, 1);
  put_wide(&m, user->pwszDisplayName, 1);
  if (params->cCredentialParameters == 0 || params->cCredentialParameters > MAX_LIST || !params->pCredentialParameters) m.bad = 1;
  put_u32(&m, m.bad ? 0 : params->cCredentialParameters);
  for (DWORD i = 0; !m.bad && i < params->cCredentialParameters; i++) {
    const COSE_PARAM *p = &params->pCredentialParameters[i];
    if (p->dwVersion != 1 || !wide_is(p->pwszCredentialType, L"public-key")) m.bad = 1;
    put_u32(&m, (uint32_t)p->lAlg);
  }
  put_client_data(&m, cd);
  if (opt->dwVersion < 1 || opt->dwVersion > MAKE_OPTIONS_MAX_VERSION) m.bad = 1;
  put_u32(&m, opt->dwVersion);
  put_u32(&m, opt->dwTimeoutMilliseconds);
  if (!m.bad) put_credentials(&m, &opt->CredentialList);
  if (!m.bad) put_extensions(&m, &opt->Extensions);
  put_u32(&m, opt->dwAuthenticatorAttachment);
  put_u32(&m, (uint32_t)opt->bRequireResidentKey);
  put_u32(&m, opt->dwUserVerificationRequirement);
  put_u32(&m, opt->dwAttestationConveyancePreference);
  put_u32(&m, opt->dwFlags);
  const GUID *cancel_id = !m.bad && opt->dwVersion >= 2 ? opt->pCancellationId : NULL;
  put_u32(&m, cancel_id ? 1 : 0);
  if (m.bad) { free(m.data); return NTE_INVALID_PARAMETER_HR; }

  BYTE *answer = NULL;
  uint32_t answer_len = 0;
  HRESULT hr = exchange(&m, cancel_id, opt->dwTimeoutMilliseconds, &answer, &answer_len);
  free(m.data);
  if (hr != S_OK) { free(answer); return hr; }
  Rd r = { answer + 4, answer_len - 4, 0 };
  DWORD n_fmt, n_auth, n_stmt, n_obj, n_id;
  const BYTE *fmt = rd_bytes(&r, &n_fmt), *auth = rd_bytes(&r, &n_auth), *stmt = rd_bytes(&r, &n_stmt);
  const BYTE *obj = rd_bytes(&r, &n_obj), *id = rd_bytes(&r, &n_id);
  DWORD cred_protect = rd_u32(&r);
  ATTESTATION *a = r.bad ? NULL : result_alloc(KIND_ATTESTATION, sizeof *a + sizeof(EXTENSION) + sizeof(DWORD) + sizeof L"credProtect"
      + (n_fmt + 1) * sizeof(WCHAR) + n_auth + n_stmt + n_obj + n_id);
  if (!a) { free(answer); return E_FAIL_HR; }
  EXTENSION *ext = (EXTENSION *)(a + 1);
  DWORD *echo = (DWORD *)(ext + 1);
  WCHAR *ext_name = (WCHAR *)(echo + 1);
  memcpy(ext_name, L"credProtect", sizeof L"credProtect");
  WCHAR *wfmt = ext_name + sizeof L"credProtect" / sizeof(WCHAR);
  for (DWORD i = 0; i < n_fmt; i++) wfmt[i] = fmt[i]; /* format names are ASCII */
  BYTE *cursor = (BYTE *)(wfmt + n_fmt + 1);
  a->dwVersion = ATTESTATION_VERSION;
  a->pwszFormatType = wfmt;
  a->cbAuthenticatorData = n_auth; a->pbAuthenticatorData = copy_into(&cursor, auth, n_auth);
  a->cbAttestation = n_stmt; a->pbAttestation = copy_into(&cursor, stmt, n_stmt);
  a->cbAttestationObject = n_obj; a->pbAttestationObject = copy_into(&cursor, obj, n_obj);
  a->cbCredentialId = n_id; a->pbCredentialId = copy_into(&cursor, id, n_id);
  if (cred_protect) {
    /* Windows echoes the credProtect level it applied as a DWORD extension output. */
    *echo = cred_protect;
    ext->pwszExtensionIdentifier = ext_name; ext->cbExtension = sizeof(DWORD); ext->pvExtension = echo;
    a->Extensions.cExtensions = 1; a->Extensions.pExtensions = ext;
  }
  a->dwUsedTransport = 0x1; /* WEBAUTHN_CTAP_TRANSPORT_USB */
  free(answer);
  *result = a;
  return S_OK;
}

__declspec(dllexport) HRESULT WINAPI WebAuthNAuthenticatorGetAssertion(HWND hWnd, PCWSTR rpId, const CLIENT_DATA *cd,
    const ASSERT_OPTIONS *opt, ASSERTION **result) {
  if (!result || !opt || !hWnd) return NTE_INVALID_PARAMETER_HR;
  *result = NULL;
  Msg m = { 0 };
  BYTE op = OP_GET_ASSERTION;
  put(&m, &op, 1);
  put_u32(&m, IsWindow(hWnd) ? 1 : 0);
  put_wide(&m, rpId, 1);
  put_client_data(&m, cd);
  if (opt->dwVersion < 1 || opt->dwVersion > ASSERT_OPTIONS_MAX_VERSION) m.bad = 1;
  put_u32(&m, opt->dwVersion);
  put_u32(&m, opt->dwTimeoutMilliseconds);
  if (!m.bad) put_credentials(&m, &opt->CredentialList);
  if (!m.bad) put_extensions(&m, &opt->Extensions);
  put_u32(&m, opt->dwAuthenticatorAttachment);
  put_u32(&m, opt->dwUserVerificationRequirement);
  put_u32(&m, opt->dwFlags);
  if (!m.bad && opt->dwVersion >= 2) put_wide(&m, opt->pwszU2fAppId, 0);
  else put_u32(&m, ABSENT);
  const GUID *cancel_id = !m.bad && opt->dwVersion >= 3 ? opt->pCancellationId : NULL;
  put_u32(&m, cancel_id ? 1 : 0);
  if (m.bad) { free(m.data); return NTE_INVALID_PARAMETER_HR; }

  BYTE *answer = NULL;
  uint32_t answer_len = 0;
  HRESULT hr = exchange(&m, cancel_id, opt->dwTimeoutMilliseconds, &answer, &answer_len);
  free(m.data);
  if (hr != S_OK) { free(answer); return hr; }
  Rd r = { answer + 4, answer_len - 4, 0 };
  DWORD n_auth, n_sig, n_id, n_user;
  const BYTE *auth = rd_bytes(&r, &n_auth), *sig = rd_bytes(&r, &n_sig), *id = rd_bytes(&r, &n_id), *user = rd_bytes(&r, &n_user);
  ASSERTION *a = r.bad ? NULL : result_alloc(KIND_ASSERTION, sizeof *a + sizeof L"public-key" + n_auth + n_sig + n_id + n_user);
  if (!a) { free(answer); return E_FAIL_HR; }
  WCHAR *type = (WCHAR *)(a + 1);
  memcpy(type, L"public-key", sizeof L"public-key");
  BYTE *cursor = (BYTE *)type + sizeof L"public-key";
  a->dwVersion = ASSERTION_VERSION;
  a->cbAuthenticatorData = n_auth; a->pbAuthenticatorData = copy_into(&cursor, auth, n_auth);
  a->cbSignature = n_sig; a->pbSignature = copy_into(&cursor, sig, n_sig);
  a->Credential.dwVersion = 1; a->Credential.cbId = n_id; a->Credential.pbId = copy_into(&cursor, id, n_id);
  a->Credential.pwszCredentialType = type;
  a->cbUserId = n_user; a->pbUserId = copy_into(&cursor, user, n_user);
  free(answer);
  *result = a;
  return S_OK;
}

__declspec(dllexport) void WINAPI WebAuthNFreeCredentialAttestation(ATTESTATION *a) { result_free(a, KIND_ATTESTATION); }
__declspec(dllexport) void WINAPI WebAuthNFreeAssertion(ASSERTION *a) { result_free(a, KIND_ASSERTION); }

__declspec(dllexport) HRESULT WINAPI WebAuthNGetCancellationId(GUID *id) {
  if (!id) return NTE_INVALID_PARAMETER_HR;
  memset(id, 0, sizeof *id);
  id->Data1 = (DWORD)InterlockedIncrement(&next_id);
  id->Data2 = (WORD)GetCurrentProcessId();
  id->Data3 = 0x4e42; /* "NB" */
  return S_OK;
}

__declspec(dllexport) HRESULT WINAPI WebAuthNCancelCurrentOperation(const GUID *id) {
  if (!id) return NTE_INVALID_PARAMETER_HR;
  EnterCriticalSection(&lock);
  cancelled[cancelled_next] = *id;
  cancelled_next = (cancelled_next + 1) % CANCELLED_SLOTS;
  LeaveCriticalSection(&lock);
  return S_OK;
}

/* The W3C names webauthn.h documents for each HRESULT (as test/support/webauthn-win/fake-webauthn-dll.ts). */
__declspec(dllexport) PCWSTR WINAPI WebAuthNGetErrorName(HRESULT hr) {
  switch ((uint32_t)hr) {
    case 0x00000000: return L"Success";
    case 0x8009000F: return L"InvalidStateError";                 /* NTE_EXISTS */
    case 0x80070032: case 0x80090029: case 0x80090023: return L"ConstraintError"; /* NOT_SUPPORTED, NTE_NOT_SUPPORTED, NTE_TOKEN_KEYSET_STORAGE_FULL */
    case 0x80090027: return L"NotSupportedError";                 /* NTE_INVALID_PARAMETER */
    case 0x80090035: case 0x80090011: case 0x800704C7: case 0x80090036: case 0x800705B4:
      return L"NotAllowedError";                                   /* DEVICE_NOT_FOUND, NOT_FOUND, CANCELLED, USER_CANCELLED, TIMEOUT */
    default: return L"UnknownError";
  }
}
