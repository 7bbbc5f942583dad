// Export for auditors: JSONL keeps each valid line byte for byte (hashes still check), CSV is for
// spreadsheets (one row per entry, the event fields as one JSON column).
import { promises as fs } from 'node:fs';
import { isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { canonicalJson } from './canonical-json';
import { parseAuditLog } from './chain';
import type { AuditEntry } from './events';

export type AuditExportFormat = 'jsonl' | 'csv';

const CSV_COLUMNS = ['seq', 'ts', 'type', 'details', 'prev', 'hash'] as const;

/** Renders the valid entries of a log; invalid lines are left out (verify reports them). */
export async function renderAuditExport(file: string, format: AuditExportFormat): Promise<{ text: string; entries: number }> {
  let source = '';
  try {
    source = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (!isNodeError(err, 'ENOENT')) throw err;
  }
  const valid = parseAuditLog(source).lines.filter((l) => l.entry);
  const text = format === 'jsonl'
    ? valid.map((l) => `${l.raw}\n`).join('')
    : [CSV_COLUMNS.join(','), ...valid.map((l) => csvRow(l.entry as AuditEntry))].map((r) => `${r}\r\n`).join('');
  return { text, entries: valid.length };
}

export async function exportAuditLog(file: string, out: string, opts: { format: AuditExportFormat }): Promise<{ entries: number }> {
  const { text, entries } = await renderAuditExport(file, opts.format);
  await writeFileAtomic(out, text, { mode: 0o600 });
  return { entries };
}

function csvRow(entry: AuditEntry): string {
  const { seq, ts, type, prev, hash, ...details } = entry;
  return [String(seq), ts, type, canonicalJson(details), prev, hash].map(csvCell).join(',');
}

/** RFC 4180 quoting, plus a leading quote on cells a spreadsheet would run as a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
