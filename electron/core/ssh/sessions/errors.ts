import { NbgError } from '../../../../native/errors';
import { ErrorCode } from '../../../shared/error-codes';

/**
 * The address did not answer as an SSH server: refused, unreachable, no banner in time, or it
 * stalled in a later phase of the login (key exchange, authentication) past the connect timeout.
 */
export class PathUnreachableError extends NbgError {
  constructor(readonly address: string, readonly why: 'refused' | 'no-banner' | 'closed' | 'unreachable' | 'stalled', detail?: string) {
    super(ErrorCode.PATH_UNREACHABLE, `${address} is not answering as an SSH server (${why}${detail ? `: ${detail}` : ''})`);
  }
}

export class HopAuthError extends NbgError {
  constructor(readonly hop: string, detail: string) {
    super(ErrorCode.HOP_AUTH_FAILED, `sign-in to ${hop} failed: ${detail}`);
  }
}

export class HopConnectError extends NbgError {
  constructor(readonly hop: string, detail: string, options?: { cause?: unknown }) {
    super(ErrorCode.HOP_CONNECT_FAILED, `connection to ${hop} failed: ${detail}`, options);
  }
}

export class AuthCancelledError extends NbgError {
  constructor(readonly hop: string) {
    super(ErrorCode.AUTH_CANCELLED, `sign-in to ${hop} was cancelled`);
  }
}

export class SessionStateError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.SESSION_STATE, message);
  }
}

export class ChannelOpenError extends NbgError {
  constructor(readonly hop: string, detail: string) {
    super(ErrorCode.CHANNEL_OPEN_FAILED, `${hop} refused to open a ${detail}`);
  }
}

export class ConnectAbortedError extends NbgError {
  constructor(readonly target: string) {
    super(ErrorCode.CONNECT_ABORTED, `the connect to ${target} was abandoned because its session was closed`);
  }
}
