import { NbgError } from '../../../../native/errors';

/** The address did not answer as an SSH server: refused, unreachable, or no banner in time. */
export class PathUnreachableError extends NbgError {
  constructor(readonly address: string, readonly why: 'refused' | 'no-banner' | 'closed' | 'unreachable', detail?: string) {
    super('PATH_UNREACHABLE', `${address} is not answering as an SSH server (${why}${detail ? `: ${detail}` : ''})`);
  }
}

export class HopAuthError extends NbgError {
  constructor(readonly hop: string, detail: string) {
    super('HOP_AUTH_FAILED', `sign-in to ${hop} failed: ${detail}`);
  }
}

export class HopConnectError extends NbgError {
  constructor(readonly hop: string, detail: string, options?: { cause?: unknown }) {
    super('HOP_CONNECT_FAILED', `connection to ${hop} failed: ${detail}`, options);
  }
}

export class AuthCancelledError extends NbgError {
  constructor(readonly hop: string) {
    super('AUTH_CANCELLED', `sign-in to ${hop} was cancelled`);
  }
}

export class SessionStateError extends NbgError {
  constructor(message: string) {
    super('SESSION_STATE', message);
  }
}

export class ChannelOpenError extends NbgError {
  constructor(readonly hop: string, detail: string) {
    super('CHANNEL_OPEN_FAILED', `${hop} refused to open a ${detail}`);
  }
}

export class ConnectAbortedError extends NbgError {
  constructor(readonly target: string) {
    super('CONNECT_ABORTED', `the connect to ${target} was abandoned because its session was closed`);
  }
}
