// When this machine last uploaded which key: readiness compares it with the 4-hour sync.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../../../native/util/atomic-file';

const recordSchema = z.object({ keyHash: z.string(), uploadedAt: z.string() });

const keyHash = (pubLine: string): string => createHash('sha256').update(pubLine.trim().split(/\s+/).slice(0, 2).join(' ')).digest('hex');

export async function recordUpload(file: string, pubLine: string, at: Date): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ keyHash: keyHash(pubLine), uploadedAt: at.toISOString() })}\n`, { mode: 0o600 });
}

/** The recorded upload time of this key, or null when none was recorded for it. */
export async function uploadedAt(file: string, pubLine: string): Promise<Date | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const r = recordSchema.safeParse(parsed);
  return r.success && r.data.keyHash === keyHash(pubLine) ? new Date(r.data.uploadedAt) : null;
}
