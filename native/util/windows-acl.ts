// Owner-only access for private files on Windows, where a file mode means nothing: Win32-OpenSSH
// refuses a private key that any account other than its owner, SYSTEM or Administrators may read
// ("UNPROTECTED PRIVATE KEY FILE"), and a file inherits its folder's ACL. So a private file gets a
// protected DACL (no inherited entries) with full access for exactly those three, as ssh-keygen
// sets there. Through advapi32 with koffi; loaded only on Windows.
import path from 'node:path';
import koffi from 'koffi';
import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError } from '../errors';
import { system32Path } from './system32';

const SDDL_REVISION_1 = 1;
const SE_FILE_OBJECT = 1;
const DACL_SECURITY_INFORMATION = 0x4;
const PROTECTED_DACL_SECURITY_INFORMATION = 0x80000000;
const TOKEN_QUERY = 0x8;
/** TOKEN_INFORMATION_CLASS TokenUser: a TOKEN_USER, whose first field is the user's SID pointer. */
const TOKEN_USER_CLASS = 1;
/** Enough for TOKEN_USER with the longest SID (8 + 8 + 68 bytes) on x64. */
const TOKEN_USER_BYTES = 256;
const ERROR_SUCCESS = 0;

/** SDDL: a protected DACL, FILE_ALL_ACCESS for the user, SYSTEM (SY) and Administrators (BA). */
export function ownerOnlySddl(userSid: string): string {
  return `D:P(A;;FA;;;${userSid})(A;;FA;;;SY)(A;;FA;;;BA)`;
}

interface Advapi {
  currentUserSid(): string;
  setDacl(file: string, sddl: string): void;
}

let api: Advapi | undefined;

function bind(): Advapi {
  const kernel32 = koffi.load(system32Path('kernel32.dll'));
  const advapi32 = koffi.load(system32Path('advapi32.dll'));
  const getCurrentProcess = kernel32.func('void * __stdcall GetCurrentProcess()');
  const closeHandle = kernel32.func('int __stdcall CloseHandle(void *h)');
  const localFree = kernel32.func('void * __stdcall LocalFree(void *h)');
  const openProcessToken = advapi32.func('int __stdcall OpenProcessToken(void *process, uint32_t access, _Out_ void **token)');
  const getTokenInformation = advapi32.func('int __stdcall GetTokenInformation(void *token, int cls, void *info, uint32_t length, _Out_ uint32_t *returned)');
  const sidToString = advapi32.func('int __stdcall ConvertSidToStringSidW(void *sid, _Out_ void **text)');
  const sddlToDescriptor = advapi32.func('int __stdcall ConvertStringSecurityDescriptorToSecurityDescriptorW(const char16_t *sddl, uint32_t revision, _Out_ void **sd, void *size)');
  const getDacl = advapi32.func('int __stdcall GetSecurityDescriptorDacl(void *sd, _Out_ int *present, _Out_ void **dacl, _Out_ int *defaulted)');
  const setNamedSecurityInfo = advapi32.func('uint32_t __stdcall SetNamedSecurityInfoW(const char16_t *name, int type, uint32_t info, void *owner, void *group, void *dacl, void *sacl)');
  const failed = (what: string): never => { throw new NbgError(ErrorCode.FILE_ACL_FAILED, `Windows refused ${what}; the private file was not written.`); };

  let sid: string | undefined;
  return {
    currentUserSid() {
      if (sid) return sid;
      const token: unknown[] = [null];
      if (!openProcessToken(getCurrentProcess(), TOKEN_QUERY, token)) failed('to open this process\'s access token');
      const info = koffi.alloc('uint8_t', TOKEN_USER_BYTES) as bigint;
      try {
        if (!getTokenInformation(token[0], TOKEN_USER_CLASS, info, TOKEN_USER_BYTES, [0])) failed('to name the current user');
        const text: unknown[] = [null];
        if (!sidToString(koffi.decode(info, 'void *'), text)) failed('to spell the current user\'s SID');
        try {
          sid = koffi.decode(text[0], 'char16_t', -1) as string;
        } finally {
          localFree(text[0]);
        }
        return sid;
      } finally {
        koffi.free(info);
        closeHandle(token[0]);
      }
    },
    setDacl(file, sddl) {
      const sd: unknown[] = [null];
      if (!sddlToDescriptor(sddl, SDDL_REVISION_1, sd, null)) failed('the owner-only access list');
      try {
        const dacl: unknown[] = [null];
        if (!getDacl(sd[0], [0], dacl, [0])) failed('the owner-only access list');
        // The \\?\ form: SetNamedSecurityInfoW takes paths past MAX_PATH only that way.
        const status = setNamedSecurityInfo(path.toNamespacedPath(file), SE_FILE_OBJECT,
          (DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION) >>> 0, null, null, dacl[0], null) as number;
        if (status !== ERROR_SUCCESS) failed(`to restrict ${file} to its owner (error ${status})`);
      } finally {
        localFree(sd[0]);
      }
    },
  };
}

/** Gives `file` the owner-only DACL (the current user, SYSTEM, Administrators); Windows only. */
export function restrictToOwner(file: string): void {
  api ??= bind();
  api.setDacl(file, ownerOnlySddl(api.currentUserSid()));
}
