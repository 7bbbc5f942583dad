// The app's audit service end to end over a real log: pages, status with a key store and a
// forwarding cursor, export through the injected save dialog, recordings by session.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { AuditLog } from '../../../../../electron/core/audit/index';
import { secretAnchorStore } from '../../../../../electron/core/audit/anchor';
import { auditService } from '../../../../../electron/core/audit/audit-service';
import type { SaveFileRequest } from '../../../../../electron/shared/os';
import type { SecretStore } from '../../../../../electron/core/auth/os-key-store';
import { parseCsv } from '../../../../support/csv';

let dir: string;
before(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-service-')); });
after(() => fs.rm(dir, { recursive: true, force: true }));

function memorySecret(): SecretStore {
  let value: string | undefined;
  return { kind: 'test key store', load: async () => value, save: async (v) => { value = v; } };
}

test('service: a keyed log\'s status, a page of a filter, and exports through the save dialog (cancel writes nothing)', async () => {
  const file = path.join(dir, 'keyed', 'audit.jsonl');
  const anchors = secretAnchorStore(memorySecret());
  const log = await AuditLog.open({ file, anchors });
  await log.append({ type: 'sign-in', account: 'alice@contoso.com', outcome: 'ok' });
  for (let i = 0; i < 130; i++) {
    await log.append({ type: 'connect-outcome', connectionId: `c${i}`, target: `op@10.0.0.${i % 3}`,
      hops: [{ name: `leaf-0${i % 3}`, user: 'op', host: `10.0.0.${i % 3}`, port: 22 }], path: 'primary', outcome: i % 10 === 0 ? 'failed' : 'ok' });
  }
  await log.close();
  const stateFile = path.join(dir, 'keyed', 'audit-forward.json');
  const entries = (await fs.readFile(file, 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { seq: number; hash: string });
  await fs.writeFile(stateFile, JSON.stringify({ v: 1, sinks: { syslog: { seq: 100, hash: entries[99]?.hash, deliveredAt: '2026-12-03T10:00:00.000Z' } } }));
  const saved: SaveFileRequest[] = [];
  let answer: string | null = path.join(dir, 'keyed', 'out.csv');
  const service = auditService({
    file, anchors,
    forwarding: { settings: async () => ({ intervalSeconds: 300, syslog: { host: '10.9.9.9', port: 6514 } }), stateFile },
    saveAs: async (r) => { saved.push(r); return answer; },
    clock: () => new Date('2026-12-03T19:05:00Z'),
  });

  const status = await service.status();
  assert.equal(status.chain.state, 'intact');
  assert.equal(status.chain.keyStore, 'test key store');
  assert.equal(status.chain.advice, undefined, 'a keyed, intact chain needs nothing done');
  assert.deepEqual(status.forwarding.map((s) => [s.sink, s.state, s.pending]), [['syslog', 'waiting', 31], ['azure-monitor', 'not-configured', 0], ['webhook', 'not-configured', 0]]);

  const page1 = await service.view({ filter: { device: 'leaf-01' }, offset: 0, limit: 20 });
  assert.deepEqual([page1.matched, page1.total, page1.entries.length], [43, 131, 20]);
  assert.ok(page1.entries.every((e) => e.device === 'leaf-01' && e.operator === 'alice@contoso.com'));
  assert.equal(page1.entries[0]?.seq, 129, 'newest first (i = 127, the last with i % 3 = 1)');
  const last = await service.view({ filter: { device: 'leaf-01' }, offset: 40, limit: 20 });
  assert.equal(last.entries.length, 3);
  const failed = await service.view({ filter: { outcome: 'failed' } });
  assert.equal(failed.matched, 13);
  assert.ok(failed.entries.every((e) => e.outcome === 'failed' && e.event === 'Connection'));

  const csv = await service.export({ format: 'csv', filter: { outcome: 'failed' } });
  assert.deepEqual(csv, { saved: true, file: answer, entries: 13 });
  assert.deepEqual(saved[0], { title: 'Export the audit log as CSV', defaultName: 'nbg-audit-20261203-1905-filtered.csv', filter: { name: 'CSV (spreadsheet)', extensions: ['csv'] } });
  const rows = parseCsv(await fs.readFile(answer ?? '', 'utf8'));
  assert.equal(rows.length, 14);
  assert.ok(rows.slice(1).every((r) => r[4] === 'failed'));
  assert.equal((await fs.stat(answer ?? '')).mode & 0o777, 0o600);

  answer = null;
  const cancelled = await service.export({ format: 'jsonl' });
  assert.deepEqual(cancelled, { saved: false, entries: 131 });
  assert.equal(saved[1]?.defaultName, 'nbg-audit-20261203-1905.jsonl');
  assert.deepEqual((await fs.readdir(path.dirname(file))).filter((f) => f.endsWith('.jsonl') && f !== 'audit.jsonl'), [], 'nothing written on cancel');
});

test('service: a copy without a save dialog says how to export instead; an unknown session has no recording', async () => {
  const service = auditService({ file: path.join(dir, 'none', 'audit.jsonl') });
  await assert.rejects(service.export({ format: 'csv' }), /nbg audit export/);
  await assert.rejects(service.recording('nope'), /No recording is on record/);
  const view = await service.view({});
  assert.deepEqual([view.matched, view.total, view.entries], [0, 0, []]);
  assert.equal((await service.status()).chain.state, 'empty');
});
