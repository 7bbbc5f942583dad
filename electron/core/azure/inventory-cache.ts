// The last good inventory per signed-in user, on disk, so fabrics and device addresses are
// known while Azure is unreachable. Holds no tokens.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import type { Principal } from '../auth/principal';
import { inventorySnapshotSchema, type InventorySnapshot } from './inventory-snapshot';

const SAFE = /[^a-z0-9-]/gi;

export class InventoryCache {
  constructor(private readonly dir: string) {}

  private file(p: { tenantId: string; objectId: string }): string {
    return path.join(this.dir, `inventory-${p.tenantId.replace(SAFE, '')}-${p.objectId.replace(SAFE, '')}.json`);
  }

  async save(s: InventorySnapshot): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(s.principal), JSON.stringify(s), { mode: 0o600 });
  }

  /** The cached inventory of this user, or null when there is none or it cannot be read. */
  async load(p: Principal): Promise<InventorySnapshot | null> {
    let text: string;
    try {
      text = await fs.readFile(this.file(p), 'utf8');
    } catch {
      return null;
    }
    try {
      const r = inventorySnapshotSchema.safeParse(JSON.parse(text));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }
}
