import { NbgError } from '../errors';

/** CTAP2 status bytes (libfido2 fido/err.h, python-fido2 ctap.py CtapError.ERR). */
export const CtapStatus = {
  SUCCESS: 0x00,
  INVALID_COMMAND: 0x01,
  INVALID_PARAMETER: 0x02,
  INVALID_LENGTH: 0x03,
  INVALID_SEQ: 0x04,
  TIMEOUT: 0x05,
  CHANNEL_BUSY: 0x06,
  LOCK_REQUIRED: 0x0a,
  INVALID_CHANNEL: 0x0b,
  CBOR_UNEXPECTED_TYPE: 0x11,
  INVALID_CBOR: 0x12,
  MISSING_PARAMETER: 0x14,
  LIMIT_EXCEEDED: 0x15,
  FP_DATABASE_FULL: 0x17,
  LARGE_BLOB_STORAGE_FULL: 0x18,
  CREDENTIAL_EXCLUDED: 0x19,
  PROCESSING: 0x21,
  INVALID_CREDENTIAL: 0x22,
  USER_ACTION_PENDING: 0x23,
  OPERATION_PENDING: 0x24,
  NO_OPERATIONS: 0x25,
  UNSUPPORTED_ALGORITHM: 0x26,
  OPERATION_DENIED: 0x27,
  KEY_STORE_FULL: 0x28,
  NO_OPERATION_PENDING: 0x2a,
  UNSUPPORTED_OPTION: 0x2b,
  INVALID_OPTION: 0x2c,
  KEEPALIVE_CANCEL: 0x2d,
  NO_CREDENTIALS: 0x2e,
  USER_ACTION_TIMEOUT: 0x2f,
  NOT_ALLOWED: 0x30,
  PIN_INVALID: 0x31,
  PIN_BLOCKED: 0x32,
  PIN_AUTH_INVALID: 0x33,
  PIN_AUTH_BLOCKED: 0x34,
  PIN_NOT_SET: 0x35,
  PIN_REQUIRED: 0x36,
  PIN_POLICY_VIOLATION: 0x37,
  PIN_TOKEN_EXPIRED: 0x38,
  REQUEST_TOO_LARGE: 0x39,
  ACTION_TIMEOUT: 0x3a,
  UP_REQUIRED: 0x3b,
  UV_BLOCKED: 0x3c,
  INTEGRITY_FAILURE: 0x3d,
  INVALID_SUBCOMMAND: 0x3e,
  UV_INVALID: 0x3f,
  UNAUTHORIZED_PERMISSION: 0x40,
  OTHER: 0x7f,
} as const;

/** Names a failing status can have: SUCCESS is no failure, and a byte without a name is UNKNOWN. */
type CtapFailureName = Exclude<keyof typeof CtapStatus, 'SUCCESS'> | 'UNKNOWN';
const NAME_BY_CODE = new Map<number, CtapFailureName>(
  Object.entries(CtapStatus).filter(([k]) => k !== 'SUCCESS').map(([k, v]) => [v, k as CtapFailureName]));

const RETRY = 'Unplug the key, plug it back in and try again.';
const MESSAGES: Partial<Record<number, string>> = {
  [CtapStatus.INVALID_COMMAND]: 'The security key does not support this operation (firmware too old?).',
  [CtapStatus.INVALID_PARAMETER]: 'The security key rejected a parameter of the request.',
  [CtapStatus.INVALID_LENGTH]: 'The security key rejected the request length.',
  [CtapStatus.CHANNEL_BUSY]: 'The security key is busy with another program. Close other FIDO tools and try again.',
  [CtapStatus.CBOR_UNEXPECTED_TYPE]: 'The security key rejected the request encoding (unexpected type).',
  [CtapStatus.INVALID_CBOR]: 'The security key rejected the request encoding (invalid CBOR).',
  [CtapStatus.MISSING_PARAMETER]: 'The security key says a required parameter is missing.',
  [CtapStatus.LIMIT_EXCEEDED]: 'The security key says a limit was exceeded.',
  [CtapStatus.CREDENTIAL_EXCLUDED]: 'This security key already holds that credential.',
  [CtapStatus.INVALID_CREDENTIAL]: 'The security key does not recognise this credential.',
  [CtapStatus.UNSUPPORTED_ALGORITHM]: 'The security key does not support this key algorithm (Ed25519 needs YubiKey firmware 5.2 or later; try ECDSA).',
  [CtapStatus.OPERATION_DENIED]: 'The security key denied the operation (touch declined or PIN needed).',
  [CtapStatus.KEY_STORE_FULL]: 'The security key has no room for another resident key. Delete an old one first.',
  [CtapStatus.UNSUPPORTED_OPTION]: 'The security key does not support a requested option.',
  [CtapStatus.INVALID_OPTION]: 'The security key rejected a requested option.',
  [CtapStatus.KEEPALIVE_CANCEL]: 'The operation was cancelled.',
  [CtapStatus.NO_CREDENTIALS]: 'No matching key was found on this security key (or it needs the PIN to show it).',
  [CtapStatus.USER_ACTION_TIMEOUT]: 'The security key was not touched in time. Try again and touch the key when it blinks.',
  [CtapStatus.NOT_ALLOWED]: 'The security key does not allow this operation now.',
  [CtapStatus.PIN_INVALID]: 'Wrong PIN.',
  [CtapStatus.PIN_BLOCKED]: 'The PIN is blocked: all retries are used up. Only a reset of the security key (which erases its keys) helps.',
  [CtapStatus.PIN_AUTH_INVALID]: 'The security key rejected the PIN authorisation (expired or already used). Try again.',
  [CtapStatus.PIN_AUTH_BLOCKED]: `Too many wrong PINs in a row. ${RETRY}`,
  [CtapStatus.PIN_NOT_SET]: 'This security key has no PIN yet. Set a PIN first.',
  [CtapStatus.PIN_REQUIRED]: 'The security key needs the PIN for this operation.',
  [CtapStatus.PIN_POLICY_VIOLATION]: 'The new PIN does not meet the security key\'s rules (length 4 to 63, not too simple).',
  [CtapStatus.PIN_TOKEN_EXPIRED]: 'The PIN authorisation expired. Try again.',
  [CtapStatus.REQUEST_TOO_LARGE]: 'The request is too large for this security key.',
  [CtapStatus.ACTION_TIMEOUT]: 'The security key timed out. Try again.',
  [CtapStatus.UP_REQUIRED]: 'The security key needs a touch for this operation.',
  [CtapStatus.UV_BLOCKED]: 'Built-in user verification is blocked; use the PIN.',
  [CtapStatus.INVALID_SUBCOMMAND]: 'The security key does not support this sub-command.',
  [CtapStatus.UNAUTHORIZED_PERMISSION]: 'The PIN authorisation does not cover this operation.',
};

/** A CTAP2 status other than SUCCESS. `status` is the byte; `code` is `CTAP2_<NAME>`. */
export class Ctap2StatusError extends NbgError {
  readonly statusName: string;

  constructor(readonly status: number, readonly retriesLeft?: number) {
    const name = NAME_BY_CODE.get(status) ?? 'UNKNOWN';
    let message = MESSAGES[status] ?? `The security key reported error 0x${status.toString(16).padStart(2, '0')} (${name}). ${RETRY}`;
    if (status === CtapStatus.PIN_INVALID && retriesLeft !== undefined) {
      message = `Wrong PIN: ${retriesLeft} ${retriesLeft === 1 ? 'try' : 'tries'} left before the PIN is blocked.`;
    }
    super(`CTAP2_${name}`, message);
    this.statusName = name;
  }
}
