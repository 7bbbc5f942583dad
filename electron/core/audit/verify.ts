// Reads an audit log back and says whether it is the log the app wrote.
//
// Detectable:
//  - an edited entry (its hash no longer matches its content), or an entry rewritten with a
//    recomputed hash (the next entry's `prev` no longer matches);
//  - a deleted entry in the middle (a gap in `seq`), reordered lines (a `seq` lower than one before it);
//  - lines removed from the end, by comparing with the head file (last seq + hash, written
//    atomically after every append), and a torn last line (no final newline);
//  - anything the writer found wrong when it last opened the log (log-integrity entries), even
//    after the head file moved on.
// With the key store's anchor (anchor.ts) also:
//  - an entry rewritten with recomputed hashes and head (its MAC no longer matches: the forger has
//    no key), and a MAC stripped from an entry written after keying began;
//  - a cut tail with a rewritten head (the anchor's seq is beyond the log's end), and the log or
//    the whole audit folder deleted (the anchor says entries were written; no log is there).
// Without it (no key store, or an old log's entries before keying began) the chain is unkeyed:
// someone who can write both files may rewrite it from any point on, recompute every hash and the
// head, and leave a consistent forgery; the result says how many entries are only hash-chained.
import { promises as fs } from 'node:fs';
import { isNodeError } from '../../../native/errors';
import { anchorKey, type AuditAnchor, type AuditAnchorStore } from './anchor';
import { entryHash, entryMac, parseAuditLog, sha256, type ParsedLine } from './chain';
import { counterRegressed, noteCounter, type Counters } from './counters';
import { GENESIS_HASH, type AuditEntry } from './events';
import { readAuditHead } from './head-file';

/** forged: fails the keyed checks; missing: the whole log is gone; unverifiable: keyed, but no key here. */
export type AuditProblemKind = 'edited' | 'deleted' | 'reordered' | 'truncated' | 'malformed' | 'forged' | 'missing' | 'unverifiable';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The entry concerned (for 'deleted', the first missing seq). */
  seq?: number;
  /** 1-based line in the file, when the problem is a line. */
  line?: number;
  detail: string;
  /** Found by comparing with the remote checkpoint (`--remote`), not by the local chain. */
  remote?: true;
}

/** A torn line that the writer found and recorded when it reopened the log (a crash, not tampering). */
export interface AuditRepair {
  line: number;
  recordedBy: number;
}

/**
 * Entries that verify but deserve an operator's attention (peers-ux-style #12): a signature
 * counter that went backwards (a cloned or reset key?), or a signature made without the PIN.
 */
export interface AuditAlert {
  seq: number;
  kind: 'counter-regression' | 'no-user-verification';
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Every line that is a valid entry, in file order. */
  entries: AuditEntry[];
  problems: AuditProblem[];
  repairs: AuditRepair[];
  alerts: AuditAlert[];
  /** The key store's anchor, when one was found: MACs were checked with its key. */
  keyed?: { store: string; since: number; anchorSeq: number };
  /** Entries with no MAC to check (an old log, or no key store): only hash-chained. */
  unkeyed: number;
  /** Neither a log nor an anchor: no audit log was ever written on this machine by this account. */
  fresh: boolean;
}

export interface VerifyOptions {
  /** The OS key store holding the log's anchor. */
  anchors?: AuditAnchorStore;
  /** The last checkpoint the security team's copy holds (`--remote`): seq and hash of the head then. */
  remote?: { seq: number; hash: string; where: string };
}

/** sk signature flag: user verified (PIN or biometric) — authData UV. */
const FLAG_USER_VERIFIED = 0x04;

export async function verifyAuditLog(file: string, opts: VerifyOptions = {}): Promise<AuditVerification> {
  let text = '';
  let exists = true;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!isNodeError(err, 'ENOENT')) throw err;
    exists = false;
  }
  const anchor = await opts.anchors?.load();
  const parsed = parseAuditLog(text);
  const problems: AuditProblem[] = [];
  const repairs: AuditRepair[] = [];
  const entries = parsed.lines.flatMap((l) => (l.entry ? [l.entry] : []));

  checkLines(parsed.lines, problems, repairs);
  if (parsed.tail) {
    problems.push({ kind: 'truncated', line: parsed.tail.line, detail: `the last line is incomplete (${Buffer.byteLength(parsed.tail.raw)} bytes without a newline): an append was cut short` });
  }
  const bySeq = checkOrderAndChain(parsed.lines, problems);
  const maxSeq = Math.max(0, ...bySeq.keys());
  await checkHead(file, bySeq, maxSeq, problems);
  checkRecordedFindings(entries, repairs, problems);
  if (opts.remote) checkRemote(opts.remote, exists, bySeq, maxSeq, problems);
  if (anchor) checkAnchor(anchor, exists, bySeq, maxSeq, problems);
  else if (entries.some((e) => e.mac)) problems.push({ kind: 'unverifiable', detail: 'the entries carry MACs but the key store holds no key for this log (another account or machine, or the key was deleted)' });

  problems.sort((a, b) => (a.seq ?? a.line ?? 0) - (b.seq ?? b.line ?? 0));
  return {
    ok: problems.length === 0, entries, problems, repairs, alerts: alertsFor(entries),
    ...(anchor && opts.anchors ? { keyed: { store: opts.anchors.kind, since: anchor.since, anchorSeq: anchor.seq } } : {}),
    unkeyed: entries.filter((e) => !e.mac).length,
    fresh: !exists && !anchor,
  };
}

/** The local log against the last checkpoint that left the machine. */
function checkRemote(remote: NonNullable<VerifyOptions['remote']>, exists: boolean, bySeq: Map<number, AuditEntry>, maxSeq: number, problems: AuditProblem[]): void {
  if (!exists) {
    problems.push({ kind: 'missing', remote: true, detail: `the log is gone, but ${remote.where} holds a checkpoint at entry ${remote.seq}` });
  } else if (remote.seq > maxSeq) {
    problems.push({ kind: 'truncated', seq: maxSeq + 1, remote: true, detail: `the log ends at entry ${maxSeq} but ${remote.where} holds a checkpoint at entry ${remote.seq}: the end was cut off` });
  } else if (bySeq.get(remote.seq)?.hash !== remote.hash) {
    problems.push({ kind: 'forged', seq: remote.seq, remote: true, detail: `entry ${remote.seq} is not the one whose checkpoint ${remote.where} holds: the chain was rewritten` });
  }
}

/** MACs from the anchor's first keyed entry on, and the log's end against the anchor's. */
function checkAnchor(anchor: AuditAnchor, exists: boolean, bySeq: Map<number, AuditEntry>, maxSeq: number, problems: AuditProblem[]): void {
  const key = anchorKey(anchor);
  for (const [seq, e] of bySeq) {
    if (e.mac) {
      if (entryMac(key, e) !== e.mac) problems.push({ kind: 'forged', seq, detail: 'its MAC does not match: it was written or rewritten without the audit key' });
    } else if (seq >= anchor.since) {
      problems.push({ kind: 'forged', seq, detail: `it has no MAC although every entry from ${anchor.since} on was written with one` });
    }
  }
  if (anchor.seq === 0) return;
  if (!exists) {
    problems.push({ kind: 'missing', remote: true, detail: `the log is gone, but the key store records that ${anchor.seq} entries were written` });
  } else if (anchor.seq > maxSeq) {
    problems.push({ kind: 'truncated', seq: maxSeq + 1, remote: true, detail: `the log ends at entry ${maxSeq} but the key store records entry ${anchor.seq}: the end was cut off` });
  } else if (bySeq.get(anchor.seq)?.hash !== anchor.hash) {
    problems.push({ kind: 'forged', seq: anchor.seq, detail: `entry ${anchor.seq} is not the one the key store recorded` });
  }
}

function checkLines(lines: ParsedLine[], problems: AuditProblem[], repairs: AuditRepair[]): void {
  lines.forEach((l, i) => {
    if (l.entry) {
      if (entryHash(l.entry) !== l.entry.hash) problems.push({ kind: 'edited', seq: l.entry.seq, line: l.line, detail: 'the content does not match its hash' });
      return;
    }
    const next = lines[i + 1]?.entry;
    const acknowledged = next?.type === 'log-integrity' && next.finding === 'torn-tail' &&
      next.tornSha256 === sha256(l.raw) && next.tornBytes === Buffer.byteLength(l.raw);
    if (acknowledged) repairs.push({ line: l.line, recordedBy: next.seq });
    else problems.push({ kind: 'malformed', line: l.line, detail: `not an audit entry (${l.error})` });
  });
}

function checkOrderAndChain(lines: ParsedLine[], problems: AuditProblem[]): Map<number, AuditEntry> {
  const bySeq = new Map<number, AuditEntry>();
  let highest = 0;
  for (const l of lines) {
    const e = l.entry;
    if (!e) continue;
    if (bySeq.has(e.seq)) {
      problems.push({ kind: 'reordered', seq: e.seq, line: l.line, detail: `seq ${e.seq} appears twice` });
      continue;
    }
    if (e.seq < highest) problems.push({ kind: 'reordered', seq: e.seq, line: l.line, detail: `seq ${e.seq} comes after seq ${highest}` });
    highest = Math.max(highest, e.seq);
    bySeq.set(e.seq, e);
  }
  let gapStart = 0;
  for (let seq = 1; seq <= highest; seq++) {
    const e = bySeq.get(seq);
    if (!e) {
      if (!gapStart) gapStart = seq;
      continue;
    }
    if (gapStart) {
      problems.push({ kind: 'deleted', seq: gapStart, detail: seq - 1 === gapStart ? `entry ${gapStart} is missing` : `entries ${gapStart}..${seq - 1} are missing` });
      gapStart = 0;
      continue; // nothing to chain to
    }
    const expectedPrev = seq === 1 ? GENESIS_HASH : bySeq.get(seq - 1)?.hash;
    if (e.prev !== expectedPrev) {
      problems.push({ kind: 'edited', seq, detail: `its prev does not match the hash of entry ${seq - 1}: one of the two was rewritten` });
    }
  }
  return bySeq;
}

async function checkHead(file: string, bySeq: Map<number, AuditEntry>, maxSeq: number, problems: AuditProblem[]): Promise<void> {
  const head = await readAuditHead(file);
  if (head === 'invalid') {
    problems.push({ kind: 'malformed', detail: 'the head file is not readable, so removed trailing entries cannot be ruled out' });
  } else if (head === undefined) {
    if (maxSeq > 0) problems.push({ kind: 'truncated', detail: 'the head file is missing, so removed trailing entries cannot be ruled out' });
  } else if (head.seq > maxSeq) {
    problems.push({ kind: 'truncated', seq: maxSeq + 1, remote: true, detail: `the log ends at entry ${maxSeq} but entry ${head.seq} was written: the end was cut off` });
  } else if (head.seq > 0 && bySeq.get(head.seq)?.hash !== head.hash) {
    problems.push({ kind: 'edited', seq: head.seq, detail: `entry ${head.seq} is not the one that was written (head file hash differs)` });
  }
}

/** Problems the writer found on open stay problems; a recorded torn line is a crash, not tampering. */
function checkRecordedFindings(entries: AuditEntry[], repairs: AuditRepair[], problems: AuditProblem[]): void {
  for (const e of entries) {
    if (e.type !== 'log-integrity') continue;
    if (e.finding === 'torn-tail') {
      if (!repairs.some((r) => r.recordedBy === e.seq)) {
        problems.push({ kind: 'deleted', seq: e.seq, detail: 'the torn line this entry recorded is no longer in front of it' });
      }
    } else if (e.finding === 'head-ahead') {
      problems.push({ kind: 'truncated', seq: e.seq, detail: `when reopened, the log ended at entry ${e.logSeq} but entry ${e.headSeq} had been written` });
    } else if (e.finding === 'head-mismatch') {
      problems.push({ kind: 'edited', seq: e.seq, detail: `when reopened, entry ${e.headSeq} was not the one that had been written` });
    } else if (e.finding === 'log-missing') {
      problems.push({ kind: 'missing', seq: e.seq, detail: `when reopened, the log was gone although the key store recorded ${e.anchorSeq} entries; this log was started afresh` });
    } else if (e.finding === 'anchor-ahead') {
      problems.push({ kind: 'truncated', seq: e.seq, detail: `when reopened, the log ended at entry ${e.logSeq} but the key store recorded entry ${e.anchorSeq}` });
    } else if (e.finding === 'anchor-mismatch') {
      problems.push({ kind: 'forged', seq: e.seq, detail: `when reopened, entry ${e.anchorSeq} was not the one the key store recorded` });
    } else if (e.finding === 'key-missing') {
      problems.push({ kind: 'unverifiable', seq: e.seq, detail: 'when reopened, the key store no longer held the key of the entries before this one' });
    } else {
      problems.push({ kind: 'truncated', seq: e.seq, detail: 'when reopened, the head file was missing or unreadable' });
    }
  }
}

/** Regressions as recorded, and as the history shows them: the writer's counters come from the head file. */
function alertsFor(entries: AuditEntry[]): AuditAlert[] {
  const alerts: AuditAlert[] = [];
  const counters: Counters = new Map();
  for (const e of entries) {
    if (e.type === 'sign') {
      if (e.counterRegression || counterRegressed(counters, e.keyFingerprint, e.counter)) alerts.push({ seq: e.seq, kind: 'counter-regression', detail: `the signature counter of ${e.keyFingerprint} went backwards (${e.counter}): was the key cloned or reset?` });
      if (!(e.flags & FLAG_USER_VERIFIED)) alerts.push({ seq: e.seq, kind: 'no-user-verification', detail: `${e.keyFingerprint} signed without user verification (no PIN) for ${e.purpose}` });
    }
    noteCounter(counters, e);
  }
  return alerts;
}
