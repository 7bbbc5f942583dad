// Key management put on record the same way by the app and the CLI: the action, what it was done
// to, and how it ended (with the reason when it did not succeed). Never a PIN or a handle.
import { errorCode, errorMessage } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import type { AuditSink } from './audit-log';
import type { AuditEventInput } from './events';

type KeyManagement = Extract<AuditEventInput, { type: 'key-management' }>;

const CANCEL_CODES: ReadonlySet<string> = new Set([ErrorCode.CANCELLED, ErrorCode.AUTH_CANCELLED, ErrorCode.SIGN_IN_CANCELLED, ErrorCode.WEBAUTHN_CANCELLED, ErrorCode.CTAPHID_CANCELLED]);

/** An error as the audit log records it: its catalogue code and the first line of its message. */
export function auditFailure(err: unknown): { code: string; message: string } {
  return { code: errorCode(err) ?? ErrorCode.ERROR, message: (errorMessage(err).split('\n')[0] || 'failed').slice(0, 512) };
}

export function auditOutcome(err: unknown): 'failed' | 'cancelled' {
  return CANCEL_CODES.has(errorCode(err) ?? '') ? 'cancelled' : 'failed';
}

/**
 * Runs one key-management action and records its outcome; the action's own error is rethrown.
 * A step handed to an elevated copy (DONE_ELEVATED) is that copy's to record.
 */
export async function auditedKeyAction<T>(audit: AuditSink | undefined, fields: Omit<KeyManagement, 'type' | 'outcome' | 'error'>, action: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (err) {
    if (errorCode(err) === ErrorCode.DONE_ELEVATED) throw err;
    await audit?.append({ type: 'key-management', ...fields, outcome: auditOutcome(err), error: auditFailure(err) }).catch(() => undefined);
    throw err;
  }
  await audit?.append({ type: 'key-management', ...fields, outcome: 'ok' });
  return result;
}
