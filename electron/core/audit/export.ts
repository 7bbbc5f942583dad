// Export for auditors, of the whole log or of the entries a filter matches.
// - JSONL: each line byte for byte as the log holds it, so every entry's hash and MAC still check
//   (a filtered export has gaps in the chain; the whole log verifies as a chain).
// - CSV: one row per entry for spreadsheets: the sentence, the time in local and in UTC, operator,
//   device, outcome, and the event's own fields. Text from outside is made inert, and a cell a
//   spreadsheet would run as a formula (= + - @) gets a leading quote.
import { promises as fs } from 'node:fs';
import { isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import type { AuditFilter } from '../../shared/audit';
import { inertText } from '../../shared/inert-text';
import { canonicalJson } from './canonical-json';
import { auditEventLabel, describeAuditEntry } from './describe';
import { auditRows, matchesFilter, type AuditRow } from './query';

export type AuditExportFormat = 'jsonl' | 'csv';

export interface AuditExportOptions {
  format: AuditExportFormat;
  filter?: AuditFilter;
  /** The zone the local-time column is in (its header names it); default: this machine's. */
  timeZone?: string;
}

/** The rows of the export, in log order. */
export function renderAuditRows(rows: readonly AuditRow[], opts: AuditExportOptions): { text: string; entries: number } {
  const { filter } = opts;
  const chosen = filter ? rows.filter((r) => matchesFilter(r, filter)) : rows;
  const text = opts.format === 'jsonl'
    ? chosen.map((r) => `${r.raw}\n`).join('')
    : [csvHeader(opts.timeZone), ...chosen.map((r) => csvRow(r, opts.timeZone))].map((cells) => `${cells.map(csvCell).join(',')}\r\n`).join('');
  return { text, entries: chosen.length };
}

export async function renderAuditExport(file: string, opts: AuditExportOptions): Promise<{ text: string; entries: number }> {
  let source = '';
  try {
    source = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!isNodeError(err, 'ENOENT')) throw err;
  }
  return renderAuditRows(auditRows(source), opts);
}

/** Written atomically, readable by the owner only. */
export async function exportAuditLog(file: string, out: string, opts: AuditExportOptions): Promise<{ entries: number }> {
  const { text, entries } = await renderAuditExport(file, opts);
  await writeFileAtomic(out, text, { mode: 0o600 });
  return { entries };
}

const zoneOf = (timeZone?: string) => timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

function csvHeader(timeZone?: string): string[] {
  return ['seq', `local time (${zoneOf(timeZone)})`, 'UTC time', 'event', 'outcome', 'operator', 'device', 'description', 'type', 'fields', 'hash'];
}

function csvRow(r: AuditRow, timeZone?: string): string[] {
  const { seq, ts, type, prev: _prev, hash, mac: _mac, ...fields } = r.entry;
  return [
    String(seq), localTime(ts, zoneOf(timeZone)), ts, auditEventLabel(r.entry), r.outcome ?? '', inertText(r.operator), inertText(r.device),
    inertText(describeAuditEntry(r.entry)), type, inertText(canonicalJson(fields)), hash,
  ];
}

/** "2026-12-03 19:53:16 +01:00": sortable, and unambiguous about the offset. */
export function localTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offset = Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const hhmm = `${String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')}:${String(Math.abs(offset) % 60).padStart(2, '0')}`;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${sign}${hhmm}`;
}

/** RFC 4180 quoting, plus a leading quote on cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
