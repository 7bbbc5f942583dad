// Who signed in last, kept without tokens (last-identity.json under the app home): when Azure and
// Entra are down and the token cache is gone, unreadable or expired, the device user name still
// comes from the operator's identity. Written atomically at each sign-in, removed at sign-out.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import type { Identity } from '../../shared/identity';
import type { Principal } from './principal';

export const LAST_IDENTITY_FILE = 'last-identity.json';

/** The file's only fields: names and ids, never a token. Unknown fields are refused. */
const LastIdentityRecord = z.object({
  version: z.literal(1),
  userPrincipalName: z.string().min(1).max(256),
  displayName: z.string().max(256),
  tenantId: z.string().max(64),
  objectId: z.string().max(64),
  /** ISO 8601 time of the sign-in. */
  signedInAt: z.string().datetime(),
}).strict();
type LastIdentityRecord = z.infer<typeof LastIdentityRecord>;

export class LastIdentityStore {
  constructor(readonly file: string, private readonly now: () => Date = () => new Date()) {}

  static inHome(home: string): LastIdentityStore {
    return new LastIdentityStore(path.join(home, LAST_IDENTITY_FILE));
  }

  async remember(who: Principal): Promise<void> {
    const record: LastIdentityRecord = {
      version: 1, userPrincipalName: who.username, displayName: who.name ?? who.username,
      tenantId: who.tenantId, objectId: who.objectId, signedInAt: this.now().toISOString(),
    };
    await writeFileAtomic(this.file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  }

  /**
   * The last identity, or null when none is kept. A damaged file is a convenience lost, not an
   * error: `warn` says so and the operator types the user name.
   */
  async read(warn?: (line: string) => void): Promise<(Identity & { signedInAt: string }) | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if (isNodeError(err, 'ENOENT')) return null;
      warn?.(`${this.file} cannot be read (${(err as Error).message}); the last signed-in identity is not used`);
      return null;
    }
    let parsed;
    try {
      parsed = LastIdentityRecord.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      warn?.(`${this.file} is not valid; the last signed-in identity is not used`);
      return null;
    }
    const r = parsed.data;
    return {
      objectId: r.objectId, tenantId: r.tenantId, userPrincipalName: r.userPrincipalName, displayName: r.displayName,
      mail: null, signedInAt: r.signedInAt,
    };
  }

  async forget(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}
