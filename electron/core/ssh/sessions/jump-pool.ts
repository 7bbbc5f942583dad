// Jump connections shared between sessions. A jump chain prefix (user@host:port of each hop so
// far) names one SSH connection; sessions through the same jumps open new forwarded channels on
// it instead of logging in again. Each connection is reference-counted and closed when the last
// session (or deeper jump) using it lets go; one that drops is forgotten so the next connect
// logs in afresh.
import type { Client } from 'ssh2';
import { formatHop } from '../chain';
import type { Hop } from './types';

export interface JumpOpenRequest {
  index: number;
  hop: Hop;
  /** The connection of the previous jump; undefined for the first. */
  via: Client | undefined;
  viaName: string | undefined;
}

/** Logs in to one jump hop (stream, host key, auth) on behalf of the connect that needs it. */
export type JumpOpener = (request: JumpOpenRequest) => Promise<Client>;

export interface JumpLease {
  /** The last jump's connection, or undefined for a chain without jumps. */
  client: Client | undefined;
  /** How many jumps were already open (reused) for this lease. */
  reused: number;
  release(): void;
}

interface Entry {
  key: string;
  refs: number;
  ready: Promise<Client>;
  client?: Client;
}

export function chainKey(chain: Hop[], upTo: number): string {
  return chain.slice(0, upTo + 1).map(formatHop).join(',');
}

export class JumpPool {
  private readonly entries = new Map<string, Entry>();

  /** Number of jump connections currently open or opening. */
  get size(): number {
    return this.entries.size;
  }

  refs(chain: Hop[]): number[] {
    return chain.map((_, i) => this.entries.get(chainKey(chain, i))?.refs ?? 0);
  }

  async acquire(chain: Hop[], open: JumpOpener, onHop?: (index: number, reused: boolean) => void): Promise<JumpLease> {
    const held: Entry[] = [];
    let via: Client | undefined;
    let reused = 0;
    try {
      for (let i = 0; i < chain.length; i++) {
        const hop = chain[i]!;
        const key = chainKey(chain, i);
        let entry = this.entries.get(key);
        const existed = entry !== undefined;
        onHop?.(i, existed);
        if (!entry) {
          const request: JumpOpenRequest = { index: i, hop, via, viaName: i > 0 ? (chain[i - 1]!.name ?? chain[i - 1]!.host) : undefined };
          const created: Entry = { key, refs: 0, ready: open(request) };
          entry = created;
          this.entries.set(key, created);
          created.ready.then((client) => {
            created.client = client;
            client.once('end', () => this.forget(created));
            client.once('close', () => this.forget(created));
          }, () => this.forget(created));
        }
        entry.refs++;
        held.push(entry);
        via = await entry.ready;
        if (existed) reused++;
      }
    } catch (err) {
      this.releaseAll(held);
      throw err;
    }
    let released = false;
    return {
      client: via,
      reused,
      release: () => {
        if (released) return;
        released = true;
        this.releaseAll(held);
      },
    };
  }

  /** Closes every jump connection (app shutdown). */
  closeAll(): void {
    for (const entry of [...this.entries.values()]) {
      this.entries.delete(entry.key);
      entry.client?.end();
    }
  }

  private releaseAll(held: Entry[]): void {
    // Deepest first: a jump is closed only after the connections tunnelled through it.
    for (const entry of [...held].reverse()) {
      entry.refs--;
      if (entry.refs > 0) continue;
      this.forget(entry);
      if (entry.client) entry.client.end();
      else entry.ready.then((c) => c.end(), () => undefined);
    }
  }

  private forget(entry: Entry): void {
    if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
  }
}
