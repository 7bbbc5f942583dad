// The forger's rewrite of an audit log: entries renumbered, every hash and the head recomputed, so
// the local chain checks out and only a key store or the remote checkpoint can tell.
import { entryHash } from '../../electron/core/audit/chain';

export type ForgedEntry = Record<string, unknown>;

export function rechain(entries: ForgedEntry[]): { log: string; head: string } {
  let prev = '0'.repeat(64);
  for (const [i, e] of entries.entries()) {
    e.seq = i + 1;
    e.prev = prev;
    e.hash = entryHash(e);
    prev = e.hash as string;
  }
  return { log: entries.map((e) => `${JSON.stringify(e)}\n`).join(''), head: `${JSON.stringify({ seq: entries.length, hash: prev, counters: {} })}\n` };
}
