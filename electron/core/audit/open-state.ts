// Where a reopened log continues, and what the last session left behind that must go into the
// chain. When the head file and the log's last lines agree (the normal case) nothing else is read,
// so opening does not grow with the log; anything else takes the full read, which finds exactly
// what it always found. Checking the whole chain is verify.ts's work (`nbg audit verify`).
import type { promises as fs } from 'node:fs';
import { parseAuditLog, parseEntry, type ParsedLog } from './chain';
import { noteCounter, type Counters } from './counters';
import { AuditLogCorruptError } from './errors';
import { GENESIS_HASH, type AuditEntry } from './events';
import { readAuditHead, type AuditHead, type ChainTip } from './head-file';
import { readLogTail, type LogTail } from './log-tail';

export type LogIntegrityFields = Omit<Extract<AuditEntry, { type: 'log-integrity' }>, 'seq' | 'ts' | 'prev' | 'hash'>;

export interface OpenState {
  tip: ChainTip;
  counters: Counters;
  /** Bytes after the last newline: an append that a crash cut short. */
  torn?: string;
  /** The head file disagrees with the log. */
  headFinding?: LogIntegrityFields;
  /** The whole log was read, so the head file can be brought up to date for the next open. */
  scanned: boolean;
}

/** The writer appends, fsyncs, then renames the head file: a crash in between leaves it one entry behind. */
const MAX_HEAD_LAG = 1;

export async function readOpenState(file: string, handle: fs.FileHandle): Promise<OpenState> {
  const head = await readAuditHead(file);
  const tail = await readLogTail(file, handle, MAX_HEAD_LAG + 1);
  // The tail reads are positional, so readFile still starts at the beginning.
  return resumeFromHead(head, tail) ?? scanLog(file, parseAuditLog(await handle.readFile('utf8')), head);
}

/** The state from the head file, when the log ends where the head says (or one entry later); else undefined. */
function resumeFromHead(head: AuditHead | 'invalid' | undefined, tail: LogTail): OpenState | undefined {
  const torn = tail.torn === undefined ? {} : { torn: tail.torn };
  if (tail.lines.length === 0) {
    return head === undefined ? { tip: { seq: 0, hash: GENESIS_HASH }, counters: new Map(), ...torn, scanned: false } : undefined;
  }
  if (typeof head !== 'object' || !head.counters) return undefined;
  const entries = tail.lines.map((raw) => {
    const parsed = parseEntry(raw);
    return 'entry' in parsed ? parsed.entry : undefined;
  });
  const last = entries.at(-1);
  const before = entries.at(-2);
  const counters: Counters = new Map(Object.entries(head.counters));
  const atHead = (e: AuditEntry | undefined) => e?.seq === head.seq && e.hash === head.hash;
  if (atHead(last)) return { tip: { seq: head.seq, hash: head.hash }, counters, ...torn, scanned: false };
  if (last && atHead(before) && last.seq === head.seq + MAX_HEAD_LAG && last.prev === head.hash) {
    noteCounter(counters, last); // the next append rewrites the head
    return { tip: { seq: last.seq, hash: last.hash }, counters, ...torn, scanned: false };
  }
  return undefined;
}

/** Every line: the highest entry continues the chain, and the head file is checked against it. */
function scanLog(file: string, parsed: ParsedLog, head: AuditHead | 'invalid' | undefined): OpenState {
  const counters: Counters = new Map();
  let tip: ChainTip = { seq: 0, hash: GENESIS_HASH };
  for (const l of parsed.lines) {
    if (!l.entry) continue;
    if (l.entry.seq <= tip.seq) continue; // a reordered line; verify reports it, the chain continues from the highest
    tip = { seq: l.entry.seq, hash: l.entry.hash };
    noteCounter(counters, l.entry);
  }
  if (tip.seq === 0 && parsed.lines.some((l) => l.raw.trim() !== '')) {
    throw new AuditLogCorruptError(file, 'no line of it is a valid audit entry');
  }
  const headFinding = compareHead(parsed, head, tip.seq);
  return { tip, counters, ...(parsed.tail ? { torn: parsed.tail.raw } : {}), ...(headFinding ? { headFinding } : {}), scanned: true };
}

function compareHead(parsed: ParsedLog, head: AuditHead | 'invalid' | undefined, logSeq: number): LogIntegrityFields | undefined {
  if (head === undefined || head === 'invalid') return logSeq > 0 ? { type: 'log-integrity', finding: 'head-missing', logSeq } : undefined;
  if (head.seq > logSeq) return { type: 'log-integrity', finding: 'head-ahead', headSeq: head.seq, headHash: head.hash, logSeq };
  const atHead = parsed.lines.find((l) => l.entry?.seq === head.seq)?.entry;
  const expected = head.seq === 0 ? GENESIS_HASH : atHead?.hash;
  // head.seq < logSeq with a matching entry: a crash between the log fsync and the head rename.
  return expected === head.hash ? undefined : { type: 'log-integrity', finding: 'head-mismatch', headSeq: head.seq, headHash: head.hash, logSeq };
}
