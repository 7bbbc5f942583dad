// The head file remembers the last seq + hash the writer appended. The chain alone cannot tell a
// log whose last lines were cut off from a shorter log; comparing with this file can — unless the
// same person also rewrites the head file (see verify.ts for what is and is not detectable).
// It also carries the writer's running state (signature counters), so that opening the log needs
// only this file and the log's last lines.
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { keyFingerprint, sha256Hex, uint32 } from './events';

export const auditHead = z.strictObject({
  seq: z.number().int().min(0),
  hash: sha256Hex,
  /** Highest signature counter seen per key up to `seq`; absent in heads written before it was kept. */
  counters: z.record(keyFingerprint, uint32).optional(),
});
export type AuditHead = z.infer<typeof auditHead>;
/** Where the chain continues: the last entry's seq and hash. */
export type ChainTip = Pick<AuditHead, 'seq' | 'hash'>;

export { auditLogPath } from './log-path';

export function headFileFor(logFile: string): string {
  return `${logFile}.head`;
}

/** undefined when the file does not exist; 'invalid' when it exists but does not parse. */
export async function readAuditHead(logFile: string): Promise<AuditHead | 'invalid' | undefined> {
  let text: string;
  try {
    text = await fs.readFile(headFileFor(logFile), 'utf8');
  } catch (err) {
    if (isNodeError(err, 'ENOENT')) return undefined;
    throw err;
  }
  try {
    const parsed = auditHead.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'invalid';
  } catch {
    return 'invalid';
  }
}

export async function writeAuditHead(logFile: string, head: AuditHead): Promise<void> {
  await writeFileAtomic(headFileFor(logFile), `${JSON.stringify(head)}\n`, { mode: 0o600 });
}
