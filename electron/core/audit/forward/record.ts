// What leaves the machine for each audit entry: one flat record, the same columns for every sink
// (the Azure Monitor custom table's columns, documented in the README), with the entry's hash as
// its stable id so a receiver can drop a copy delivered twice. Checkpoints carry the chain head.
import { describeAuditEntry } from '../describe';
import type { AuditEntry } from '../events';
import { entryDevice } from '../facets';

export interface ForwardRecord {
  TimeGenerated: string;
  /** Stable id: the entry's chain hash (or checkpoint:<seq>:<hash>). */
  EventId: string;
  Seq: number;
  Kind: 'event' | 'checkpoint';
  EventType: string;
  Outcome: string;
  /** The operator's Entra account (the last sign-in before the entry), else the OS user. */
  Operator: string;
  /** The device (or hop) the entry is about, when it names one. */
  Device: string;
  Computer: string;
  /** One sentence in the operator's words. */
  Text: string;
  ChainHash: string;
  /** The entry's MAC (empty for an unkeyed entry); on a checkpoint, the MAC of the chain head. */
  ChainMac: string;
}

export interface RecordContext {
  computer: string;
  osUser: string;
}

/** The entry types that are break-glass use (the alarm rule of `nbg admin alerts` watches these). */
export const BREAK_GLASS_EVENT_TYPES = ['connect-attempt', 'connect-outcome', 'sign', 'sign-refused', 'session-end', 'host-key', 'fleet-run', 'fleet-output'] as const;
const BREAK_GLASS_TYPES = new Set<string>(BREAK_GLASS_EVENT_TYPES);

export function isBreakGlass(type: string): boolean {
  return BREAK_GLASS_TYPES.has(type);
}

function outcomeOf(e: AuditEntry): string {
  if ('outcome' in e && typeof e.outcome === 'string') return e.outcome;
  if (e.type === 'sign-refused') return 'refused';
  if (e.type === 'log-integrity') return 'finding';
  return 'ok';
}

export function recordFor(e: AuditEntry, operator: string, ctx: RecordContext): ForwardRecord {
  return {
    TimeGenerated: e.ts, EventId: e.hash, Seq: e.seq, Kind: 'event', EventType: e.type, Outcome: outcomeOf(e),
    Operator: operator || ctx.osUser, Device: entryDevice(e), Computer: ctx.computer, Text: describeAuditEntry(e),
    ChainHash: e.hash, ChainMac: e.mac ?? '',
  };
}

export function checkpointFor(head: AuditEntry, operator: string, ctx: RecordContext, now: Date): ForwardRecord {
  return {
    TimeGenerated: now.toISOString(), EventId: `checkpoint:${head.seq}:${head.hash}`, Seq: head.seq, Kind: 'checkpoint', EventType: 'checkpoint',
    Outcome: 'ok', Operator: operator || ctx.osUser, Device: '', Computer: ctx.computer,
    Text: `Checkpoint: the audit log on ${ctx.computer} holds ${head.seq} entries.`, ChainHash: head.hash, ChainMac: head.mac ?? '',
  };
}
