// Typed errors of the Windows WebAuthn path. Messages tell the operator what Windows said and what
// to do next; they never carry key handles, user ids or data being signed.
import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError } from '../errors';
import { ErrorName, HResult } from './constants';

/** webauthn.dll cannot be used at all (not Windows, DLL missing, or a symbol missing). */
export class WebAuthnUnavailableError extends NbgError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.WEBAUTHN_UNAVAILABLE,
      `Windows WebAuthn (webauthn.dll) is not available: ${reason}. It needs Windows 10 1903 or later.`, options);
  }
}

/** webauthn.dll is too old for what OpenSSH sk keys need (credProtect arrived with API version 2). */
export class WebAuthnApiTooOldError extends NbgError {
  constructor(readonly apiVersion: number, readonly needed: number) {
    super(ErrorCode.WEBAUTHN_API_TOO_OLD,
      `This Windows WebAuthn API is version ${apiVersion}; creating a protected SSH key needs version ${needed} ` +
      'or later. Install Windows updates, or run the app as Administrator to talk to the key directly.');
  }
}

/** The request cannot be expressed through webauthn.dll (e.g. signing without a touch). */
export class WebAuthnUnsupportedRequestError extends NbgError {
  constructor(
    code: typeof ErrorCode.WEBAUTHN_NO_TOUCH_UNSUPPORTED | typeof ErrorCode.WEBAUTHN_ALG_UNSUPPORTED | typeof ErrorCode.WEBAUTHN_CRED_PROTECT_INVALID,
    message: string,
  ) {
    super(code, message);
  }
}

/** webauthn.dll answered with something that is not a valid result for the request. */
export class WebAuthnResponseError extends NbgError {
  constructor(what: string, options?: { cause?: unknown }) {
    super(ErrorCode.WEBAUTHN_BAD_RESPONSE, `Windows WebAuthn returned an unusable result: ${what}. Try again; if it persists, report it.`, options);
  }
}

export type WebAuthnFailureCode =
  | typeof ErrorCode.WEBAUTHN_CANCELLED
  | typeof ErrorCode.WEBAUTHN_TIMEOUT
  | typeof ErrorCode.WEBAUTHN_NOT_ALLOWED
  | typeof ErrorCode.WEBAUTHN_CREDENTIAL_EXCLUDED
  | typeof ErrorCode.WEBAUTHN_KEY_STORAGE_FULL
  | typeof ErrorCode.WEBAUTHN_CONSTRAINT
  | typeof ErrorCode.WEBAUTHN_NOT_SUPPORTED
  | typeof ErrorCode.WEBAUTHN_FAILED;

/** A MakeCredential / GetAssertion call that Windows ended with a failure HRESULT. */
export class WebAuthnOperationError extends NbgError {
  constructor(
    code: WebAuthnFailureCode,
    message: string,
    /** Unsigned HRESULT, e.g. 0x800704c7. */
    readonly hresult: number,
    /** WebAuthNGetErrorName's W3C name, e.g. "NotAllowedError". */
    readonly errorName: string,
  ) {
    super(code, `${message} (Windows: ${errorName}, 0x${hresult.toString(16).padStart(8, '0')})`);
  }
}

export type WebAuthnOperation = 'enroll' | 'sign';

/**
 * Maps what Windows answered to one of our errors. The W3C name decides the family (webauthn.h
 * documents which HRESULTs give which name); the HRESULT refines it where operators must act
 * differently (a closed dialog is not a full key).
 */
export function webAuthnFailure(hresult: number, errorName: string, operation: WebAuthnOperation): WebAuthnOperationError {
  const hr = hresult >>> 0;
  const make = (code: WebAuthnFailureCode, message: string) => new WebAuthnOperationError(code, message, hr, errorName);
  const what = operation === 'enroll' ? 'Creating the SSH key' : 'Signing in with the security key';
  switch (errorName) {
    case ErrorName.NotAllowedError:
      if (hr === HResult.NTE_USER_CANCELLED || hr === HResult.E_CANCELLED) {
        return make(ErrorCode.WEBAUTHN_CANCELLED, `${what} was cancelled in the Windows Security dialog. Nothing was changed.`);
      }
      if (hr === HResult.E_TIMEOUT) {
        return make(ErrorCode.WEBAUTHN_TIMEOUT, `${what} timed out waiting for the PIN or touch. Try again and touch the key when it blinks.`);
      }
      return make(ErrorCode.WEBAUTHN_NOT_ALLOWED, operation === 'sign'
        ? 'Windows did not allow the signature: the dialog was closed, the PIN was wrong, or this security key does not hold the SSH key. Check that the right key is plugged in.'
        : 'Windows did not allow creating the key: the dialog was closed or the PIN was wrong.');
    case ErrorName.InvalidStateError:
      return make(ErrorCode.WEBAUTHN_CREDENTIAL_EXCLUDED, 'This security key already holds that credential. Use the existing key or another security key.');
    case ErrorName.ConstraintError:
      if (hr === HResult.NTE_TOKEN_KEYSET_STORAGE_FULL) {
        return make(ErrorCode.WEBAUTHN_KEY_STORAGE_FULL, 'The security key has no room for another resident key. Delete an unused one (needs Administrator) or use another key.');
      }
      return make(ErrorCode.WEBAUTHN_CONSTRAINT, `${what} needs a FIDO2 security key with Ed25519/ECDSA, resident keys and credProtect (for example a YubiKey 5); the chosen authenticator cannot do it.`);
    case ErrorName.NotSupportedError:
      return make(ErrorCode.WEBAUTHN_NOT_SUPPORTED, `Windows rejected the request for ${operation === 'enroll' ? 'creating the key' : 'the signature'} as not supported.`);
    default:
      return make(ErrorCode.WEBAUTHN_FAILED, `${what} failed in Windows WebAuthn.`);
  }
}
