// The append side of the audit log: one JSONL file, one writer, every append fsynced and chained.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../../../native/errors';
import { entryHash, parseAuditLog, sha256, type ParsedLog } from './chain';
import { AuditEventInvalidError, AuditLogClosedError, AuditLogCorruptError } from './errors';
import { auditEventInput, GENESIS_HASH, type AuditEntry, type AuditEventInput } from './events';
import { auditLogPath, readAuditHead, writeAuditHead, type AuditHead } from './head-file';
import { acquireWriterLock, type WriterLock } from './writer-lock';

export interface AuditLogOptions {
  /** Defaults to appHome()/audit/audit.jsonl. */
  file?: string;
  clock?: () => Date;
}

/** What opening found; anything here has also been written to the log as a log-integrity entry. */
export interface AuditOpenReport {
  entries: number;
  findings: Extract<AuditEntry, { type: 'log-integrity' }>[];
}

type LogIntegrityFields = Omit<Extract<AuditEntry, { type: 'log-integrity' }>, 'seq' | 'ts' | 'prev' | 'hash'>;

/** What other services depend on: inject this, so tests and drills can hand in their own log. */
export interface AuditSink {
  append(event: AuditEventInput): Promise<AuditEntry>;
}

export class AuditLog implements AuditSink {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set when a write failed half-way: the file's end is unknown, so later appends would lie. */
  private broken: Error | undefined;

  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
    private readonly lock: WriterLock,
    private readonly clock: () => Date,
    private tip: AuditHead,
    private readonly lastCounter: Map<string, number>,
    public openReport: AuditOpenReport,
  ) {}

  static async open(opts: AuditLogOptions = {}): Promise<AuditLog> {
    const file = opts.file ?? auditLogPath();
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const lock = await acquireWriterLock(`${file}.lock`);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(file, 'a+', 0o600);
      const parsed = parseAuditLog(await handle.readFile('utf8'));
      const { tip, counters } = chainTip(file, parsed);
      const log = new AuditLog(file, handle, lock, opts.clock ?? (() => new Date()), tip, counters, { entries: 0, findings: [] });
      await log.recordFindings(parsed, await readAuditHead(file));
      log.openReport.entries = log.tip.seq;
      return log;
    } catch (err) {
      await handle?.close();
      await lock.release();
      throw err;
    }
  }

  /** Validates, chains and durably writes one event. Concurrent calls are written in call order. */
  append(event: AuditEventInput): Promise<AuditEntry> {
    const parsed = auditEventInput.safeParse(event);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ');
      return Promise.reject(new AuditEventInvalidError(detail));
    }
    return this.enqueue(parsed.data);
  }

  /** Waits for queued appends, then releases the file and the writer lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    await this.handle.close();
    await this.lock.release();
  }

  private enqueue(fields: AuditEventInput | LogIntegrityFields): Promise<AuditEntry> {
    if (this.closed) return Promise.reject(new AuditLogClosedError());
    const next = this.queue.then(() => this.write(fields));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async write(fields: AuditEventInput | LogIntegrityFields): Promise<AuditEntry> {
    if (this.broken) throw new AuditLogCorruptError(this.file, `an earlier write failed (${this.broken.message}); reopen the log`);
    const body: Record<string, unknown> = { seq: this.tip.seq + 1, ts: this.clock().toISOString(), ...fields };
    if (fields.type === 'sign') {
      delete body.counterRegression;
      const last = this.lastCounter.get(fields.keyFingerprint);
      if (last !== undefined && fields.counter < last) body.counterRegression = true;
    }
    body.prev = this.tip.hash;
    body.hash = entryHash(body);
    const entry = body as AuditEntry;
    try {
      await this.handle.appendFile(`${JSON.stringify(body)}\n`);
      await this.handle.sync();
      this.tip = { seq: entry.seq, hash: entry.hash };
      noteCounter(this.lastCounter, entry);
      await writeAuditHead(this.file, this.tip);
    } catch (err) {
      this.broken = err as Error;
      throw new AuditLogCorruptError(this.file, `writing entry ${entry.seq} failed: ${errorMessage(err)}`);
    }
    return entry;
  }

  /** Puts what the last session left behind into the chain, before the head file moves on. */
  private async recordFindings(parsed: ParsedLog, head: AuditHead | 'invalid' | undefined): Promise<void> {
    const logSeq = this.tip.seq;
    const record = async (f: LogIntegrityFields) => {
      const entry = await this.enqueue(f);
      this.openReport.findings.push(entry as Extract<AuditEntry, { type: 'log-integrity' }>);
    };
    if (parsed.tail) {
      // Keep the torn bytes (evidence) on their own line; the next entry starts on a fresh line.
      await this.handle.appendFile('\n');
      await record({ type: 'log-integrity', finding: 'torn-tail', tornBytes: Buffer.byteLength(parsed.tail.raw), tornSha256: sha256(parsed.tail.raw) });
    }
    if (head === undefined || head === 'invalid') {
      if (logSeq > 0) await record({ type: 'log-integrity', finding: 'head-missing', logSeq });
    } else if (head.seq > logSeq) {
      await record({ type: 'log-integrity', finding: 'head-ahead', headSeq: head.seq, headHash: head.hash, logSeq });
    } else {
      const atHead = parsed.lines.find((l) => l.entry?.seq === head.seq)?.entry;
      const expected = head.seq === 0 ? GENESIS_HASH : atHead?.hash;
      if (expected !== head.hash) await record({ type: 'log-integrity', finding: 'head-mismatch', headSeq: head.seq, headHash: head.hash, logSeq });
      // head.seq < logSeq: a crash between the log fsync and the head rename; the next append fixes the head.
    }
  }
}

/** The last entry in file order continues the chain; counters feed regression checks. */
function chainTip(file: string, parsed: ParsedLog): { tip: AuditHead; counters: Map<string, number> } {
  const counters = new Map<string, number>();
  let tip: AuditHead = { seq: 0, hash: GENESIS_HASH };
  for (const l of parsed.lines) {
    if (!l.entry) continue;
    if (l.entry.seq <= tip.seq) continue; // a reordered line; verify reports it, the chain continues from the highest
    tip = { seq: l.entry.seq, hash: l.entry.hash };
    noteCounter(counters, l.entry);
  }
  if (tip.seq === 0 && parsed.lines.some((l) => l.raw.trim() !== '')) {
    throw new AuditLogCorruptError(file, 'no line of it is a valid audit entry');
  }
  return { tip, counters };
}

function noteCounter(counters: Map<string, number>, entry: AuditEntry): void {
  if (entry.type === 'sign') counters.set(entry.keyFingerprint, Math.max(entry.counter, counters.get(entry.keyFingerprint) ?? 0));
  if (entry.type === 'connect-outcome' && entry.keyFingerprint && entry.skCounter !== undefined) {
    counters.set(entry.keyFingerprint, Math.max(entry.skCounter, counters.get(entry.keyFingerprint) ?? 0));
  }
}
