// The two Entra actions of a break-glass setup, done the same way by the desktop app and the CLI:
// the key upload (with its time remembered for the 4-hour sync check) and the sign-in, both put
// on record with their outcome. Only the account and key fingerprint are recorded, never tokens.
import { fingerprintSha256, parsePublicKeyLine } from '../../../native/sk/publickey';
import type { AuditSink } from '../audit/audit-log';
import { auditFailure as failureOf } from '../audit/audited';
import type { AzureContext } from './context';
import type { UploadResult } from './graph-keys';
import { recordUpload } from './upload-record';

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

export async function auditedSignOut(signOut: () => Promise<void>, audit: AuditSink | undefined, account: string | undefined): Promise<void> {
  const who = account ? { account } : {};
  try {
    await signOut();
  } catch (err) {
    await audit?.append({ type: 'sign-out', ...who, outcome: 'failed', error: failureOf(err) }).catch(() => undefined);
    throw err;
  }
  await audit?.append({ type: 'sign-out', ...who, outcome: 'ok' });
}
