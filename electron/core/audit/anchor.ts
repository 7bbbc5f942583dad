// The log's anchor, kept outside the log's folder in the OS key store (the token cache's
// protection): the MAC key, the first entry it keyed, and the last entry the writer appended.
// Someone who can rewrite the audit folder cannot read or move it, so a rewritten chain, a cut
// tail, or a deleted log no longer passes; and a machine that never wrote a log (no anchor) is
// told apart from one whose log was deleted (an anchor with a seq and no log).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SecretStore } from '../auth/os-key-store';
import { sha256Hex } from './events';

export const MAC_KEY_BYTES = 32;

const auditAnchor = z.strictObject({
  v: z.literal(1),
  /** HMAC-SHA256 key, base64. */
  key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  /** The first seq written with a MAC; entries before it come from an unkeyed log. */
  since: z.number().int().min(1),
  /** The last entry appended, and its hash (0 / genesis before the first). */
  seq: z.number().int().min(0),
  hash: sha256Hex,
});
export type AuditAnchor = z.infer<typeof auditAnchor>;

export interface AuditAnchorStore {
  /** Shown to the user: "Secret Service (libsecret)", "Electron safeStorage", ... */
  readonly kind: string;
  load(): Promise<AuditAnchor | undefined>;
  save(anchor: AuditAnchor): Promise<void>;
}

export function newAnchor(since: number, seq: number, hash: string): AuditAnchor {
  return { v: 1, key: randomBytes(MAC_KEY_BYTES).toString('base64'), since, seq, hash };
}

export function anchorKey(anchor: AuditAnchor): Buffer {
  return Buffer.from(anchor.key, 'base64');
}

function parseAnchor(text: string): AuditAnchor {
  const parsed = auditAnchor.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error('the audit anchor in the key store is not in the expected format');
  return parsed.data;
}

/** The anchor as one secret of the OS key store (Keychain / Secret Service / DPAPI, or the app's safeStorage). */
export function secretAnchorStore(secret: SecretStore): AuditAnchorStore {
  return {
    kind: secret.kind,
    async load() {
      const value = await secret.load();
      return value === undefined ? undefined : parseAnchor(Buffer.from(value, 'base64').toString('utf8'));
    },
    save: (anchor) => secret.save(Buffer.from(JSON.stringify(anchor)).toString('base64')),
  };
}
