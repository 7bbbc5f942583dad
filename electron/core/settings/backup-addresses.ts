// Backup (in-band loopback) addresses per device, imported from CSV or JSON an operator exported
// from their own records: `hostName,address` rows, or {"hostName": "address"} / [{hostName, address}].
import { isIP } from 'node:net';
import { z } from 'zod';
import { NbgError } from '../../../native/errors';
import { describeIssues } from '../../shared/zod-issues';
import { ErrorCode } from '../../shared/error-codes';

export class BackupImportError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.BACKUP_IMPORT_INVALID, `Backup addresses not imported: ${detail}`);
  }
}

const MAX_ROWS = 10_000;
/** A column title, not data: a word such as "address" or "Loopback6", never an address-like value. */
const HEADER_CELL = /^[a-z][a-z0-9 _]*$/i;
const JsonRows = z.union([
  z.record(z.string(), z.string()),
  z.array(z.object({ hostName: z.string(), address: z.string() })).max(MAX_ROWS),
]);

/** Host names are matched case-insensitively; an IPv6 prefix length ("fd00::1/128") is dropped. */
function normalise(host: string, address: string, where: string): [string, string] {
  const name = host.trim().toLowerCase();
  const ip = address.trim().replace(/\/\d{1,3}$/, '');
  if (!/^[a-z0-9][a-z0-9._-]{0,252}$/.test(name)) throw new BackupImportError(`${where}: "${host.slice(0, 64)}" is not a host name`);
  if (!isIP(ip)) throw new BackupImportError(`${where}: "${address.slice(0, 64)}" is not an IPv4 or IPv6 address`);
  return [name, ip];
}

export function parseBackupAddresses(format: 'csv' | 'json', text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (format === 'json') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new BackupImportError('the file is not JSON');
    }
    const rows = JsonRows.safeParse(json);
    if (!rows.success) throw new BackupImportError(describeIssues(rows.error));
    const pairs = Array.isArray(rows.data) ? rows.data.map((r) => [r.hostName, r.address] as const) : Object.entries(rows.data);
    if (pairs.length > MAX_ROWS) throw new BackupImportError(`more than ${MAX_ROWS} rows`);
    pairs.forEach(([h, a], i) => { const [k, v] = normalise(h, a, `entry ${i + 1}`); out[k] = v; });
    return out;
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (lines.length > MAX_ROWS + 1) throw new BackupImportError(`more than ${MAX_ROWS} rows`);
  lines.forEach((line, i) => {
    const cells = line.split(/[,;\t]/).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    if (i === 0 && cells[1] !== undefined && HEADER_CELL.test(cells[1])) return; // "hostName,address"-style header row
    if (cells.length < 2) throw new BackupImportError(`line ${i + 1}: expected "hostName,address"`);
    const [k, v] = normalise(cells[0] ?? '', cells[1] ?? '', `line ${i + 1}`);
    out[k] = v;
  });
  return out;
}
