// The audit view's query: the log's valid entries with what filters need (device, operator,
// outcome, time), kept in memory while the file is unchanged, filtered and paged here so the
// renderer only ever receives the page it shows. The log is append-only and may hold years of
// entries; one read per change of the file, not one per page or filter.
import { promises as fs } from 'node:fs';
import { isNodeError } from '../../../native/errors';
import type { AuditFilter } from '../../shared/audit';
import { parseAuditLog } from './chain';
import type { AuditEntry } from './events';
import { entryDevice, entryOutcome, operatorsBySeq, type AuditOutcome } from './facets';

export interface AuditRow {
  entry: AuditEntry;
  /** The line as it is in the file (the JSONL export keeps it byte for byte). */
  raw: string;
  operator: string;
  device: string;
  outcome?: AuditOutcome;
  /** Milliseconds since the epoch. */
  at: number;
}

export interface AuditPage {
  rows: AuditRow[];
  matched: number;
  total: number;
  devices: string[];
  operators: string[];
}

/** The rows of a log, in file order; invalid lines are left out (verify reports them). */
export function auditRows(text: string): AuditRow[] {
  const lines = parseAuditLog(text).lines.flatMap((l) => (l.entry ? [{ entry: l.entry, raw: l.raw }] : []));
  const who = operatorsBySeq(lines.map((l) => l.entry));
  // A session's end names only the address; its connect entries name the device.
  const deviceOfConnection = new Map<string, string>();
  return lines.map(({ entry, raw }) => {
    const outcome = entryOutcome(entry);
    let device = entryDevice(entry);
    if (entry.type === 'connect-attempt' || entry.type === 'connect-outcome') deviceOfConnection.set(entry.connectionId, device);
    if (entry.type === 'session-end') device = deviceOfConnection.get(entry.connectionId) ?? device;
    return { entry, raw, operator: who.get(entry.seq) ?? '', device, at: Date.parse(entry.ts), ...(outcome ? { outcome } : {}) };
  });
}

const contains = (value: string, wanted: string | undefined) => !wanted || value.toLowerCase().includes(wanted.toLowerCase());

export function matchesFilter(row: AuditRow, f: AuditFilter): boolean {
  return contains(row.device, f.device) && contains(row.operator, f.operator)
    && (!f.outcome || row.outcome === f.outcome)
    && (!f.from || row.at >= Date.parse(f.from)) && (!f.to || row.at <= Date.parse(f.to));
}

const distinct = (values: string[]) => [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));

/** The filter's matches, newest first, from `offset`, at most `limit`; the choices come from the whole log. */
export function queryAuditRows(rows: readonly AuditRow[], filter: AuditFilter, offset: number, limit: number): AuditPage {
  const matched = rows.filter((r) => matchesFilter(r, filter)).reverse();
  return {
    rows: matched.slice(offset, offset + limit), matched: matched.length, total: rows.length,
    devices: distinct(rows.map((r) => r.device)), operators: distinct(rows.map((r) => r.operator)),
  };
}

/** The rows of one log file, read again only when its size or modification time changed. */
export class AuditLogIndex {
  private cached: { ino: number; size: number; mtimeMs: number; rows: AuditRow[] } | undefined;

  constructor(readonly file: string) {}

  async rows(): Promise<AuditRow[]> {
    let stat;
    try {
      stat = await fs.stat(this.file);
    } catch (err) {
      if (isNodeError(err, 'ENOENT')) return [];
      throw err;
    }
    if (this.cached?.ino === stat.ino && this.cached.size === stat.size && this.cached.mtimeMs === stat.mtimeMs) return this.cached.rows;
    const rows = auditRows(await fs.readFile(this.file, 'utf8'));
    this.cached = { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, rows };
    return rows;
  }
}
