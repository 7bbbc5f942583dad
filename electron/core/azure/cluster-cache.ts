// The last good Network Cloud listing per signed-in user (clusters, their bare metal machines with
// OAM addresses, keysets with public keys only), beside the inventory cache, so machines can be
// found and dialled while Azure is unreachable. Holds no tokens.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { ClusterSummary } from '../../shared/inventory';

const SAFE = /[^a-z0-9-]/gi;

const snapshotSchema = z.object({
  fetchedAt: z.string().max(64),
  clusters: z.array(ClusterSummary).max(1000),
});
export type ClusterSnapshot = z.infer<typeof snapshotSchema>;

export class ClusterCache {
  constructor(private readonly dir: string) {}

  private file(p: { tenantId: string; objectId: string }): string {
    return path.join(this.dir, `clusters-${p.tenantId.replace(SAFE, '')}-${p.objectId.replace(SAFE, '')}.json`);
  }

  async save(p: { tenantId: string; objectId: string }, snapshot: ClusterSnapshot): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.file(p), JSON.stringify(snapshot), { mode: 0o600 });
  }

  /** The cached listing of this user, or null when there is none or it cannot be read (then there is no cache to offer). */
  async load(p: { tenantId: string; objectId: string }): Promise<ClusterSnapshot | null> {
    try {
      const r = snapshotSchema.safeParse(JSON.parse(await fs.readFile(this.file(p), 'utf8')));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  }
}
