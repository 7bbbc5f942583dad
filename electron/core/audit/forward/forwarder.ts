// Forwarding reads the audit log itself as its queue: each sink keeps a cursor (the last seq and
// hash it took) in a state file beside the audit folder, so entries written while the network is
// down wait in the log, survive restarts, and go out on the next delivery, at least once, under
// their stable id (the entry hash). Nothing here runs in the append path: a session never waits.
// Each delivery ends with a checkpoint (seq + hash + MAC of the chain head) to the same sink, so
// the receiving side can tell a log that was cut short, rewritten or deleted after it was sent.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import { isNodeError } from '../../../../native/errors';
import { writeFileAtomic } from '../../../../native/util/atomic-file';
import { parseAuditLog } from '../chain';
import { operatorsBySeq } from '../facets';
import type { AuditEntry } from '../events';
import { acquireWriterLock } from '../writer-lock';
import { forwardErrorText } from './forward-error';
import { checkpointFor, recordFor, type ForwardRecord, type RecordContext } from './record';
import type { ForwardSink } from './sink';

/** Entries per delivery and sink; the rest go on the next one. */
const MAX_PER_DELIVERY = 5000;

const cursor = z.object({
  seq: z.number().int().min(0),
  hash: z.string().max(128),
  deliveredAt: z.string().max(64).optional(),
  lastError: z.string().max(1024).optional(),
  lastTriedAt: z.string().max(64).optional(),
});
const forwardState = z.object({ v: z.literal(1), sinks: z.record(z.string().max(64), cursor) });
export type ForwardState = z.infer<typeof forwardState>;

export interface SinkStatus {
  sink: string;
  /** Entries delivered by this run. */
  delivered: number;
  /** Entries still waiting after this run. */
  pending: number;
  /** The last entry the sink has. */
  deliveredSeq: number;
  /** When it last took entries, and when a delivery was last tried (ISO). */
  deliveredAt?: string;
  lastTriedAt?: string;
  /** Why the last delivery failed, in the operator's words. */
  lastError?: string;
  /** The entry the sink last took no longer has the hash that was sent: the log changed after sending. */
  diverged?: string;
}

export interface ForwarderOptions {
  logFile: string;
  stateFile: string;
  sinks: ForwardSink[];
  clock?: () => Date;
  context?: RecordContext;
}

/** What each sink has received; an unreadable or missing file means none has received anything. */
export async function readForwardState(file: string): Promise<ForwardState> {
  try {
    const parsed = forwardState.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch (err) {
    if (!isNodeError(err, 'ENOENT') && !(err instanceof SyntaxError)) throw err;
  }
  return { v: 1, sinks: {} };
}

export async function readForwardQueue(file: string): Promise<AuditEntry[]> {
  let text = '';
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!isNodeError(err, 'ENOENT')) throw err;
  }
  const bySeq = new Map<number, AuditEntry>();
  for (const l of parseAuditLog(text).lines) if (l.entry && !bySeq.has(l.entry.seq)) bySeq.set(l.entry.seq, l.entry);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export class AuditForwarder {
  private readonly clock: () => Date;
  private readonly context: RecordContext;

  constructor(private readonly opts: ForwarderOptions) {
    this.clock = opts.clock ?? (() => new Date());
    this.context = opts.context ?? { computer: os.hostname(), osUser: os.userInfo().username };
  }

  /** What each sink has and lacks, without sending. */
  async status(): Promise<SinkStatus[]> {
    const [state, entries] = await Promise.all([readForwardState(this.opts.stateFile), readForwardQueue(this.opts.logFile)]);
    return this.opts.sinks.map((s) => sinkStatus(s.name, state, entries));
  }

  /** Sends what each sink lacks. One delivery at a time per machine; a busy lock skips this run. */
  async deliver(): Promise<SinkStatus[]> {
    const lock = await acquireWriterLock(`${this.opts.stateFile}.lock`);
    try {
      const entries = await readForwardQueue(this.opts.logFile);
      const who = operatorsBySeq(entries);
      const out: SinkStatus[] = [];
      for (const sink of this.opts.sinks) {
        const state = await readForwardState(this.opts.stateFile);
        const from = state.sinks[sink.name] ?? { seq: 0, hash: '' };
        const pending = entries.filter((e) => e.seq > from.seq).slice(0, MAX_PER_DELIVERY);
        const last = pending.at(-1);
        let delivered = 0;
        const now = this.clock().toISOString();
        if (last) {
          const records: ForwardRecord[] = pending.map((e) => recordFor(e, who.get(e.seq) ?? '', this.context));
          records.push(checkpointFor(last, who.get(last.seq) ?? '', this.context, this.clock()));
          try {
            await sink.send(records);
            state.sinks[sink.name] = { seq: last.seq, hash: last.hash, deliveredAt: now, lastTriedAt: now };
            delivered = pending.length;
          } catch (err) {
            state.sinks[sink.name] = { ...from, lastError: forwardErrorText(err), lastTriedAt: now };
          }
          await writeFileAtomic(this.opts.stateFile, `${JSON.stringify(state)}\n`, { mode: 0o600 });
        }
        out.push(sinkStatus(sink.name, state, entries, delivered));
      }
      return out;
    } finally {
      await lock.release();
    }
  }
}

/** What one sink has and lacks, from its cursor; `delivered` is what this run sent. */
export function sinkStatus(name: string, state: ForwardState, entries: readonly AuditEntry[], delivered = 0): SinkStatus {
  const c = state.sinks[name] ?? { seq: 0, hash: '' };
  const at = entries.find((e) => e.seq === c.seq);
  const diverged = c.seq === 0 ? undefined
    : !at ? `the sink has entry ${c.seq}, which is no longer in the log`
      : at.hash !== c.hash ? `entry ${c.seq} differs from the one the sink received` : undefined;
  return {
    sink: name, delivered, deliveredSeq: c.seq, pending: entries.filter((e) => e.seq > c.seq).length,
    ...(c.deliveredAt ? { deliveredAt: c.deliveredAt } : {}), ...(c.lastTriedAt ? { lastTriedAt: c.lastTriedAt } : {}),
    ...(c.lastError ? { lastError: c.lastError } : {}), ...(diverged ? { diverged } : {}),
  };
}
