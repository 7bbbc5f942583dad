import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AuditLog } from '../../../../../electron/core/audit/index';
import { AuditLogIndex, auditRows, queryAuditRows } from '../../../../../electron/core/audit/query';
import { entryHash } from '../../../../../electron/core/audit/chain';
import { GENESIS_HASH } from '../../../../../electron/core/audit/events';
import { writeFixtureLog } from './audit-fixture';

let dir: string;
let file: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-query-'));
  file = await writeFixtureLog(dir);
});
after(() => fs.rm(dir, { recursive: true, force: true }));

const seqs = (p: { rows: { entry: { seq: number } }[] }) => p.rows.map((r) => r.entry.seq);

test('rows: device by inventory name (a session end takes its connection\'s), operator of the last sign-in, outcome classes', async () => {
  const rows = auditRows(await fs.readFile(file, 'utf8'));
  assert.deepEqual(rows.map((r) => [r.entry.seq, r.device, r.operator.slice(0, 5), r.outcome ?? '-']), [
    [1, '', 'alice', 'success'], [2, 'leaf-01', 'alice', '-'], [3, 'leaf-01', 'alice', 'success'], [4, 'leaf-01', 'alice', 'success'],
    [5, '', '=HYPE', 'success'], [6, 'leaf-02', '=HYPE', 'refused'], [7, 'leaf-02', '=HYPE', 'failed'], [8, '', '=HYPE', 'refused'], [9, 'leaf-01', '=HYPE', 'success'],
  ]);
});

test('query: each filter narrows, newest first; counts of matched and total; choices from the whole log', async () => {
  const rows = auditRows(await fs.readFile(file, 'utf8'));
  const all = queryAuditRows(rows, {}, 0, 100);
  assert.deepEqual(seqs(all), [9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.equal(all.matched, 9);
  assert.equal(all.total, 9);
  assert.deepEqual(all.devices, ['leaf-01', 'leaf-02']);
  assert.deepEqual(all.operators, ['=HYPERLINK("http://x"),"bob"', 'alice@contoso.com']);

  assert.deepEqual(seqs(queryAuditRows(rows, { device: 'LEAF-02' }, 0, 100)), [7, 6], 'device: case-insensitive part of the name');
  assert.deepEqual(seqs(queryAuditRows(rows, { operator: 'alice' }, 0, 100)), [4, 3, 2, 1]);
  assert.deepEqual(seqs(queryAuditRows(rows, { outcome: 'refused' }, 0, 100)), [8, 6]);
  assert.deepEqual(seqs(queryAuditRows(rows, { outcome: 'failed' }, 0, 100)), [7]);
  const range = queryAuditRows(rows, { from: '2026-12-01T02:00:00.000Z', to: '2026-12-01T05:00:00.000Z' }, 0, 100);
  assert.deepEqual(seqs(range), [6, 5, 4, 3], 'from and to are both inclusive');
  const both = queryAuditRows(rows, { device: 'leaf-01', outcome: 'success', from: '2026-12-01T03:00:00.000Z' }, 0, 100);
  assert.deepEqual(seqs(both), [9, 4]);
  assert.equal(both.matched, 2);
  assert.equal(both.total, 9);
  const none = queryAuditRows(rows, { device: 'spine' }, 0, 100);
  assert.deepEqual([none.matched, none.rows.length, none.total], [0, 0, 9]);
});

test('query: pages of the matches, newest first, without overlap', async () => {
  const rows = auditRows(await fs.readFile(file, 'utf8'));
  const pages = [0, 4, 8].map((offset) => queryAuditRows(rows, {}, offset, 4));
  assert.deepEqual(pages.map(seqs), [[9, 8, 7, 6], [5, 4, 3, 2], [1]]);
  assert.ok(pages.every((p) => p.matched === 9));
  assert.deepEqual(seqs(queryAuditRows(rows, {}, 50, 4)), []);
});

test('index: reads the file again only when it changed; a missing log is no rows; invalid lines are left out', async () => {
  const copy = path.join(dir, 'indexed.jsonl');
  await fs.copyFile(file, copy);
  await fs.copyFile(`${file}.head`, `${copy}.head`);
  const index = new AuditLogIndex(copy);
  const first = await index.rows();
  assert.equal(first.length, 9);
  assert.equal(await index.rows(), first, 'unchanged file: the same rows, not read again');
  const log = await AuditLog.open({ file: copy });
  await log.append({ type: 'sign-out', account: 'alice@contoso.com', outcome: 'ok' });
  await log.close();
  const second = await index.rows();
  assert.equal(second.length, 10);
  assert.equal(second.at(-1)?.operator, '=HYPERLINK("http://x"),"bob"', 'the operator before the sign-out entry itself');
  await fs.appendFile(copy, 'not json\n');
  assert.equal((await index.rows()).length, 10);
  assert.deepEqual(await new AuditLogIndex(path.join(dir, 'none.jsonl')).rows(), []);
});

test('query over 20,000 entries: the page holds only what was asked', async () => {
  // Chained the way the log chains (chain.ts), written at once: 20,000 fsynced appends would take minutes.
  const big = path.join(dir, 'big.jsonl');
  let prev = GENESIS_HASH;
  const lines: string[] = [];
  for (let seq = 1; seq <= 20_000; seq++) {
    const body: Record<string, unknown> = {
      seq, ts: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(), type: 'session-end', connectionId: `c${seq}`,
      target: `op@leaf-${seq % 50}`, bytesIn: seq, bytesOut: 0, durationMs: 0, prev,
    };
    body.hash = entryHash(body);
    prev = body.hash as string;
    lines.push(JSON.stringify(body));
  }
  await fs.writeFile(big, `${lines.join('\n')}\n`);
  const rows = await new AuditLogIndex(big).rows();
  assert.equal(rows.length, 20_000);
  const page = queryAuditRows(rows, { device: 'op@leaf-7' }, 0, 100);
  // leaf-7 and leaf-70..79 do not exist (i % 50): op@leaf-7 matches exactly its 400 entries.
  assert.equal(page.matched, 400);
  assert.equal(page.rows.length, 100);
  assert.equal(page.devices.length, 50);
});
