// The append side of the audit log: one JSONL file, one writer, every append fsynced and chained.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../../../native/errors';
import type { AuditAnchorStore } from './anchor';
import { openAnchor, type Anchoring } from './anchoring';
import { entryHash, entryMac, sha256 } from './chain';
import { counterRegressed, noteCounter, type Counters } from './counters';
import { AuditEventInvalidError, AuditLogClosedError, AuditLogCorruptError } from './errors';
import { auditEventInput, type AuditEntry, type AuditEventInput } from './events';
import { auditLogPath, writeAuditHead, type ChainTip } from './head-file';
import { readOpenState, type LogIntegrityFields, type OpenState } from './open-state';
import { acquireWriterLock, type WriterLock } from './writer-lock';

export interface AuditLogOptions {
  /** Defaults to appHome()/audit/audit.jsonl. */
  file?: string;
  clock?: () => Date;
  /** Where the MAC key and the last seq live (the OS key store); without one the log is unkeyed. */
  anchors?: AuditAnchorStore;
  /** Non-secret warnings (a key store that cannot be used). */
  warn?: (message: string) => void;
}

/** What opening found; anything here has also been written to the log as a log-integrity entry. */
export interface AuditOpenReport {
  entries: number;
  findings: Extract<AuditEntry, { type: 'log-integrity' }>[];
}

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
    private tip: ChainTip,
    private readonly lastCounter: Counters,
    public openReport: AuditOpenReport,
    private readonly anchors?: AuditAnchorStore,
    private anchoring?: Anchoring,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** The key store the log is anchored in, or undefined when it is written unkeyed. */
  get keyStore(): string | undefined {
    return this.anchoring ? this.anchors?.kind : undefined;
  }

  static async open(opts: AuditLogOptions = {}): Promise<AuditLog> {
    const file = opts.file ?? auditLogPath();
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const lock = await acquireWriterLock(`${file}.lock`);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(file, 'a+', 0o600);
      const state = await readOpenState(file, handle);
      const warn = opts.warn ?? (() => {});
      const anchoring = opts.anchors ? await openAnchor(opts.anchors, file, state.tip, warn) : undefined;
      const log = new AuditLog(file, handle, lock, opts.clock ?? (() => new Date()), state.tip, state.counters, { entries: 0, findings: [] },
        opts.anchors, anchoring, warn);
      await log.recordFindings(state);
      for (const f of anchoring?.findings ?? []) await log.record(f);
      // After a full read with nothing to record, store the counters so the next open need not read it all.
      if (state.scanned && log.openReport.findings.length === 0 && log.tip.seq > 0) await log.writeHead();
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
      if (counterRegressed(this.lastCounter, fields.keyFingerprint, fields.counter)) body.counterRegression = true;
    }
    body.prev = this.tip.hash;
    if (this.anchoring) body.mac = entryMac(this.anchoring.key, body);
    body.hash = entryHash(body);
    const entry = body as AuditEntry;
    try {
      await this.handle.appendFile(`${JSON.stringify(body)}\n`);
      await this.handle.sync();
      this.tip = { seq: entry.seq, hash: entry.hash };
      noteCounter(this.lastCounter, entry);
      await this.writeHead();
    } catch (err) {
      this.broken = err as Error;
      throw new AuditLogCorruptError(this.file, `writing entry ${entry.seq} failed: ${errorMessage(err)}`);
    }
    await this.moveAnchor(entry);
    return entry;
  }

  /** A failed anchor update leaves it behind the log, which verify tolerates; it is not worth failing the append. */
  private async moveAnchor(entry: AuditEntry): Promise<void> {
    if (!this.anchoring || !this.anchors) return;
    const anchor = { ...this.anchoring.anchor, seq: entry.seq, hash: entry.hash };
    try {
      await this.anchors.save(anchor);
      this.anchoring.anchor = anchor;
    } catch (err) {
      this.warn(`the audit key store (${this.anchors.kind}) was not updated after entry ${entry.seq}: ${errorMessage(err).split('\n')[0]}`);
    }
  }

  private writeHead(): Promise<void> {
    return writeAuditHead(this.file, { ...this.tip, counters: Object.fromEntries(this.lastCounter) });
  }

  /** Puts what the last session left behind into the chain, before the head file moves on. */
  private async record(f: LogIntegrityFields): Promise<void> {
    const entry = await this.enqueue(f);
    this.openReport.findings.push(entry as Extract<AuditEntry, { type: 'log-integrity' }>);
  }

  private async recordFindings(state: OpenState): Promise<void> {
    const record = (f: LogIntegrityFields) => this.record(f);
    if (state.torn !== undefined) {
      // Keep the torn bytes (evidence) on their own line; the next entry starts on a fresh line.
      await this.handle.appendFile('\n');
      await record({ type: 'log-integrity', finding: 'torn-tail', tornBytes: Buffer.byteLength(state.torn), tornSha256: sha256(state.torn) });
    }
    if (state.headFinding) await record(state.headFinding);
  }
}
