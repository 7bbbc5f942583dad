// Values from Microsoft's webauthn.h (microsoft/webauthn on GitHub, API version 8 header). Only
// what this app sends or reads is listed; names keep the header's spelling minus the prefix.

export const WEBAUTHN_DLL = 'webauthn.dll';

/** WebAuthNGetApiVersionNumber results that unlock what we use. */
export const ApiVersion = {
  /** Baseline: MakeCredential, GetAssertion, cancellation, error names. */
  V1: 1,
  /** Adds the credProtect extension, which every OpenSSH resident / verify-required key needs. */
  V2: 2,
} as const;

/** Struct versions this app writes (inputs) or at least needs (outputs). */
export const StructVersion = {
  rpEntity: 1,
  userEntity: 1,
  clientData: 1,
  coseCredentialParameter: 1,
  credential: 1,
  /** v2 adds pCancellationId (present since API v1). */
  makeCredentialOptions: 2,
  /** v3 adds pCancellationId (present since API v1). */
  getAssertionOptions: 3,
  /** Every webauthn.dll returns at least v3 (API v1 baseline). We read fields up to v3. */
  credentialAttestationMin: 3,
  assertionMin: 1,
} as const;

export const HASH_ALGORITHM_SHA_256 = 'SHA-256';
export const CREDENTIAL_TYPE_PUBLIC_KEY = 'public-key';
export const EXTENSION_CRED_PROTECT = 'credProtect';

export const AuthenticatorAttachment = { Any: 0, Platform: 1, CrossPlatform: 2 } as const;

export const UserVerificationRequirement = { Any: 0, Required: 1, Preferred: 2, Discouraged: 3 } as const;

export const AttestationConveyance = { Any: 0, None: 1, Indirect: 2, Direct: 3 } as const;


/** Timeout handed to Windows; it is guidance only, the dialog has its own. Two minutes, like OpenSSH's touch wait. */
export const OPERATION_TIMEOUT_MS = 120_000;

/**
 * HRESULTs webauthn.dll returns (winerror.h). WebAuthNGetErrorName groups them into W3C names; we
 * keep the numbers too so a report can say exactly what Windows answered.
 */
export const HResult = {
  S_OK: 0,
  NTE_EXISTS: 0x8009000f,
  NTE_INVALID_PARAMETER: 0x80090027,
  NTE_NOT_SUPPORTED: 0x80090029,
  NTE_NOT_FOUND: 0x80090011,
  NTE_DEVICE_NOT_FOUND: 0x80090035,
  NTE_USER_CANCELLED: 0x80090036,
  NTE_TOKEN_KEYSET_STORAGE_FULL: 0x80090023,
  /** HRESULT_FROM_WIN32(ERROR_CANCELLED = 1223) */
  E_CANCELLED: 0x800704c7,
  /** HRESULT_FROM_WIN32(ERROR_TIMEOUT = 1460) */
  E_TIMEOUT: 0x800705b4,
  /** HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED = 50) */
  E_WIN32_NOT_SUPPORTED: 0x80070032,
} as const;

/** W3C DOMException names WebAuthNGetErrorName answers with. */
export const ErrorName = {
  Success: 'Success',
  InvalidStateError: 'InvalidStateError',
  ConstraintError: 'ConstraintError',
  NotSupportedError: 'NotSupportedError',
  NotAllowedError: 'NotAllowedError',
  UnknownError: 'UnknownError',
} as const;
export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];
