import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError } from '../errors';
import { CtapHidErrorCode } from './constants';

const ERROR_TEXT: Record<number, string> = {
  [CtapHidErrorCode.INVALID_CMD]: 'the key does not support this command',
  [CtapHidErrorCode.INVALID_PAR]: 'invalid parameter in the request',
  [CtapHidErrorCode.INVALID_LEN]: 'invalid message length',
  [CtapHidErrorCode.INVALID_SEQ]: 'packets arrived out of sequence',
  [CtapHidErrorCode.MSG_TIMEOUT]: 'the key timed out waiting for the rest of the message',
  [CtapHidErrorCode.CHANNEL_BUSY]: 'the key is busy with another program',
  [CtapHidErrorCode.LOCK_REQUIRED]: 'the key is locked by another program',
  [CtapHidErrorCode.INVALID_CHANNEL]: 'the key does not know our channel (it may have been re-plugged)',
  [CtapHidErrorCode.OTHER]: 'unspecified error',
};

/** The key answered with a CTAPHID ERROR frame. */
export class CtapHidError extends NbgError {
  constructor(readonly hidCode: number) {
    const text = ERROR_TEXT[hidCode] ?? 'unknown error';
    super(ErrorCode.CTAPHID_ERROR, `The security key reported a transport error 0x${hidCode.toString(16).padStart(2, '0')}: ${text}.`);
  }
}

/** The key sent something that does not follow CTAPHID framing. */
export class CtapHidProtocolError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.CTAPHID_PROTOCOL, `The security key sent an unexpected reply (${detail}). Unplug it, plug it back in and try again.`);
  }
}

export class CtapHidTimeoutError extends NbgError {
  constructor(what: string) {
    super(ErrorCode.CTAPHID_TIMEOUT, `The security key did not answer in time (${what}). Unplug it, plug it back in and try again.`);
  }
}

/** The operation was cancelled on the host side (prompt closed) and the key confirmed or went silent. */
export class CtapHidCancelledError extends NbgError {
  constructor() {
    super(ErrorCode.CTAPHID_CANCELLED, 'The operation was cancelled.');
  }
}

export class CtapHidCapabilityError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.CTAPHID_UNSUPPORTED, `This security key cannot be used: ${detail}.`);
  }
}
