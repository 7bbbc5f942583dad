// The two Entra actions of a break-glass setup, done the same way by the desktop app and the CLI:
// the key upload (with its time remembered for the 4-hour sync check) and the sign-in, both put
// on record with their outcome. Only the account and key fingerprint are recorded, never tokens.
import { errorCode, errorMessage } from '../../../native/errors';
import { fingerprintSha256, parsePublicKeyLine } from '../../../native/sk/publickey';
import { ErrorCode } from '../../shared/error-codes';
import type { AuditSink } from '../audit/audit-log';
import type { AzureContext } from './context';
import type { UploadResult } from './graph-keys';
import { recordUpload } from './upload-record';

function failureOf(err: unknown): { code: string; message: string } {
  return { code: errorCode(err) ?? ErrorCode.ERROR, message: errorMessage(err).split('\n')[0] || 'failed' };
}

export async function uploadKey(context: Pick<AzureContext, 'keys' | 'uploadRecordFile'>, pubLine: string, audit?: AuditSink): Promise<UploadResult> {
  const keyFingerprint = fingerprintSha256(parsePublicKeyLine(pubLine.trimEnd()).key.blob);
  try {
    const result = await context.keys.upload(pubLine);
    await recordUpload(context.uploadRecordFile, pubLine, new Date());
    await audit?.append({ type: 'upload', keyFingerprint, destination: 'graph', outcome: 'ok' });
    return result;
  } catch (err) {
    await audit?.append({ type: 'upload', keyFingerprint, destination: 'graph', outcome: 'failed', error: failureOf(err) }).catch(() => undefined);
    throw err;
  }
}

export async function auditedSignIn<T extends { username: string; tenantId: string }>(signIn: () => Promise<T>, audit?: AuditSink, accountHint?: string): Promise<T> {
  try {
    const who = await signIn();
    await audit?.append({ type: 'sign-in', account: who.username, tenantId: who.tenantId, outcome: 'ok' });
    return who;
  } catch (err) {
    await audit?.append({ type: 'sign-in', account: accountHint ?? '(not signed in)', outcome: 'failed', error: failureOf(err) }).catch(() => undefined);
    throw err;
  }
}
