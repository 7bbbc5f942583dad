import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

export class AuditLogBusyError extends NbgError {
  constructor(readonly lockFile: string, readonly pid: number) {
    super(ErrorCode.AUDIT_LOG_BUSY, `the audit log is in use by process ${pid}; close the other Nexus Break-Glass window or CLI, ` +
      `or remove ${lockFile} if that process no longer runs`);
  }
}

export class AuditLogCorruptError extends NbgError {
  constructor(readonly file: string, detail: string) {
    super(ErrorCode.AUDIT_LOG_CORRUPT, `the audit log ${file} cannot be continued: ${detail}. Run 'nbg audit verify' and keep a copy of the file`);
  }
}

export class AuditEventInvalidError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.AUDIT_EVENT_INVALID, `refused to write an audit event: ${detail}`);
  }
}

export class AuditLogClosedError extends NbgError {
  constructor() {
    super(ErrorCode.AUDIT_LOG_CLOSED, 'the audit log was closed; events can no longer be written to it');
  }
}

export class RecordingInvalidError extends NbgError {
  constructor(readonly file: string, detail: string) {
    super(ErrorCode.RECORDING_INVALID, `${file} is not a valid asciicast v2 recording: ${detail}`);
  }
}

export class RecordingClosedError extends NbgError {
  constructor(readonly file: string) {
    super(ErrorCode.RECORDING_CLOSED, `the recording ${file} is already closed`);
  }
}
