import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError } from '../errors';

/** Bytes that do not follow the SSH wire encoding (truncated, trailing data, bad lengths). */
export class SshWireError extends NbgError {
  constructor(what: string) {
    super(ErrorCode.SSH_WIRE_MALFORMED, `Malformed SSH data: ${what}`);
  }
}

/** A public key (blob or .pub line) that is not a valid OpenSSH public key of a known type. */
export class PublicKeyFormatError extends NbgError {
  constructor(what: string, options?: { cause?: unknown }) {
    super(ErrorCode.SSH_PUBLIC_KEY_INVALID, `Not a valid OpenSSH public key: ${what}`, options);
  }
}

/** An openssh-key-v1 file that cannot be read (damaged, unsupported, or not an sk key). */
export class KeyFileError extends NbgError {
  constructor(
    code: typeof ErrorCode.KEYFILE_MALFORMED | typeof ErrorCode.KEYFILE_UNSUPPORTED | typeof ErrorCode.KEYFILE_NOT_SK | typeof ErrorCode.KEYFILE_PASSPHRASE_REQUIRED,
    message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export class WrongPassphraseError extends NbgError {
  constructor(file: string) {
    super(ErrorCode.KEYFILE_WRONG_PASSPHRASE, `The passphrase for ${file} is not correct; try again.`);
  }
}

/** An sk signature that is malformed or does not verify; sshd would refuse it too. */
export class SkSignatureError extends NbgError {
  constructor(
    code: typeof ErrorCode.SK_SIGNATURE_MALFORMED | typeof ErrorCode.SK_SIGNATURE_INVALID | typeof ErrorCode.SK_SIGNATURE_EXTENSIONS | typeof ErrorCode.SK_ASSERTION_MISMATCH,
    message: string) {
    super(code, message);
  }
}
