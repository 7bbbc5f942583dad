import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { exportAuditLog, verifyAuditLog } from '../../../../../electron/core/audit/index';
import { csvCell, localTime } from '../../../../../electron/core/audit/export';
import { writeFixtureLog } from './audit-fixture';
import { parseCsv } from '../../../../support/csv';

let dir: string;
let file: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-export-'));
  file = await writeFixtureLog(dir);
});
after(() => fs.rm(dir, { recursive: true, force: true }));


test('JSONL export: every line byte for byte; the whole log still verifies as a chain, a filtered one holds only the matches', async () => {
  const all = path.join(dir, 'all.jsonl');
  assert.deepEqual(await exportAuditLog(file, all, { format: 'jsonl' }), { entries: 9 });
  assert.equal(await fs.readFile(all, 'utf8'), await fs.readFile(file, 'utf8'));
  assert.equal((await fs.stat(all)).mode & 0o777, 0o600);
  const some = path.join(dir, 'some.jsonl');
  assert.deepEqual(await exportAuditLog(file, some, { format: 'jsonl', filter: { device: 'leaf-02' } }), { entries: 2 });
  const original = (await fs.readFile(file, 'utf8')).split('\n');
  const lines = (await fs.readFile(some, 'utf8')).split('\n').slice(0, -1);
  assert.deepEqual(lines, [original[5], original[6]], 'entries 6 and 7, unchanged');
  // A filtered export keeps each entry's own hash; the gaps are what verify then reports.
  const v = await verifyAuditLog(some);
  assert.deepEqual(v.problems.filter((p) => p.kind === 'edited'), []);
});

test('CSV export: one row per entry, local and UTC time, sentence and fields; outside text inert; formulas defused', async () => {
  const out = path.join(dir, 'all.csv');
  await exportAuditLog(file, out, { format: 'csv', timeZone: 'Asia/Kolkata' });
  const rows = parseCsv(await fs.readFile(out, 'utf8'));
  assert.deepEqual(rows[0], ['seq', 'local time (Asia/Kolkata)', 'UTC time', 'event', 'outcome', 'operator', 'device', 'description', 'type', 'fields', 'hash']);
  assert.equal(rows.length, 10);
  assert.ok(rows.every((r) => r.length === 11), 'every row has every column');
  const bySeq = new Map(rows.slice(1).map((r) => [r[0], r]));
  const r3 = bySeq.get('3') ?? [];
  assert.deepEqual(r3.slice(0, 7), ['3', '2026-12-01 07:30:00 +05:30', '2026-12-01T02:00:00.000Z', 'Connection', 'success', 'alice@contoso.com', 'leaf-01']);
  assert.match(r3[7] ?? '', /^Connection to op@10\.0\.0\.1 over the management network succeeded\.$/);
  assert.equal(r3[8], 'connect-outcome');
  assert.deepEqual(Object.keys(JSON.parse(r3[9] ?? '')).sort(), ['connectionId', 'hops', 'outcome', 'path', 'target']);
  assert.match(r3[10] ?? '', /^[0-9a-f]{64}$/);
  // The operator's name from Entra starts with '=': a spreadsheet would run it; the cell starts with a quote.
  assert.equal(bySeq.get('5')?.[5], '\'=HYPERLINK("http://x"),"bob"');
  // The error message carried a bidi override and a newline followed by '+cmd': both made visible, nothing executable.
  const r7 = bySeq.get('7') ?? [];
  assert.ok(!/[\u202E\n\r]/.test(r7[7] ?? '') && !/[\u202E\n\r]/.test(r7[9] ?? ''), 'no control characters in the cells');
  assert.match(r7[7] ?? '', /changed,\\u\{202E\}gnp\.exe\\012\+cmd/);
  assert.equal(bySeq.get('8')?.[4], 'refused', 'a cancelled PIN change is a refusal');
  assert.equal(bySeq.get('9')?.[7]?.startsWith('The security key signed for @leaf-01'), true);
});

test('CSV export of a filter: only the matching rows, in log order', async () => {
  const out = path.join(dir, 'refused.csv');
  assert.deepEqual(await exportAuditLog(file, out, { format: 'csv', filter: { outcome: 'refused' } }), { entries: 2 });
  assert.deepEqual(parseCsv(await fs.readFile(out, 'utf8')).slice(1).map((r) => r[0]), ['6', '8']);
});

test('csv cells and local time', () => {
  assert.deepEqual(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', 'plain', 'a,b', 'say "hi"'].map(csvCell),
    ['\'=1+1', '\'+1', '\'-1', '\'@SUM(A1)', '\'\tx', 'plain', '"a,b"', '"say ""hi"""']);
  assert.equal(localTime('2026-07-01T12:00:00.000Z', 'Europe/Berlin'), '2026-07-01 14:00:00 +02:00');
  assert.equal(localTime('2026-01-01T12:00:00.000Z', 'Europe/Berlin'), '2026-01-01 13:00:00 +01:00');
  assert.equal(localTime('2026-01-01T02:00:00.000Z', 'America/New_York'), '2025-12-31 21:00:00 -05:00');
  assert.equal(localTime('2026-01-01T00:00:00.000Z', 'UTC'), '2026-01-01 00:00:00 +00:00');
});
