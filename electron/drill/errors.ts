import { NbgError, errorMessage } from '../../native/errors';
import { ErrorCode } from '../shared/error-codes';

export class DrillConfigError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.DRILL_CONFIG_INVALID, `the drill configuration is not valid: ${detail}`);
  }
}

export class DrillListenError extends NbgError {
  constructor(readonly server: string, readonly address: string, cause: unknown) {
    super(ErrorCode.DRILL_LISTEN_FAILED, `the drill could not start ${server} on ${address}: ${errorMessage(cause)}. ` +
      'Another drill may be running; stop it or choose another port', { cause });
  }
}

export class DrillHostKeyError extends NbgError {
  constructor(readonly file: string, detail: string) {
    super(ErrorCode.DRILL_HOST_KEY_INVALID, `the drill host key ${file} is unreadable (${detail}); delete it and the drill creates a new one (its known_hosts entries change)`);
  }
}
