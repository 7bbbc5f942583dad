import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AuditLog, auditLogPath } from '../../../electron/core/audit/index';
import { runCli } from '../../../electron/cli/main';
import { captureIo } from '../../support/nbg';

async function run(argv: string[], home: string): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo({ NBG_HOME: home });
  const code = await runCli(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

test('nbg audit verify/list/export over NBG_HOME, and verify fails on a tampered log', async (t) => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-cli-audit-'));
  t.after(() => fs.rm(home, { recursive: true, force: true }));
  const log = await AuditLog.open({ file: auditLogPath(home) });
  await log.append({ type: 'sign-in', account: 'op@contoso.com', outcome: 'ok' });
  await log.append({ type: 'sign', keyFingerprint: `SHA256:${'Q'.repeat(42)}E`, purpose: 'publickey auth', hop: 'CE1', flags: 5, counter: 7 });
  await log.append({ type: 'sign', keyFingerprint: `SHA256:${'Q'.repeat(42)}E`, purpose: 'publickey auth', hop: 'CE1', flags: 5, counter: 6 });
  await log.close();

  let r = await run(['audit', 'verify'], home);
  assert.equal(r.code, 0);
  assert.match(r.out, /3 entries, chain intact/);
  assert.match(r.out, /\n {2}ALERT entry 3: the signature counter of SHA256:Q+E went backwards \(6\)/);

  r = await run(['audit', 'list', '--limit', '2'], home);
  assert.equal(r.code, 0);
  const rows = r.out.trim().split('\n');
  assert.equal(rows.length, 2);
  assert.match(rows[1] ?? '', /^\s+3 .* sign .*The security key signed for publickey auth on CE1; signature counter 6, which WENT BACKWARDS\.$/);

  r = await run(['audit', 'export', '--format', 'csv'], home);
  assert.match(r.out.split('\r\n')[0] ?? '', /^seq,local time \(.+\),UTC time,event,outcome,operator,device,description,type,fields,hash$/);
  assert.equal(r.out.split('\r\n').length, 5, 'header, 3 rows, and the empty string after the last CRLF');
  // Filters: the same as the app's (device, operator, outcome, time).
  r = await run(['audit', 'export', '--format', 'csv', '--device', 'ce1', '--since', '1h'], home);
  assert.deepEqual(r.out.split('\r\n').slice(1, -1).map((row) => row.split(',')[0]), ['2', '3']);
  r = await run(['audit', 'export', '--operator', 'nobody@contoso.com'], home);
  assert.equal(r.out, '');
  r = await run(['audit', 'export', '--outcome', 'success', '--until', '2000-01-01T00:00'], home);
  assert.equal(r.out, '');
  r = await run(['audit', 'export', '--device', 'CE1'], home);
  assert.deepEqual(r.out.trim().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq), [2, 3]);
  r = await run(['audit', 'export', '--outcome', 'maybe'], home);
  assert.equal(r.code, 2);
  assert.match(r.err, /--outcome must be success, refused or failed/);
  assert.equal((await run(['audit', 'export', '--since', 'yesterday'], home)).code, 2);
  const out = path.join(home, 'copy.jsonl');
  r = await run(['audit', 'export', '--out', out], home);
  assert.equal(await fs.readFile(out, 'utf8'), await fs.readFile(auditLogPath(home), 'utf8'));
  assert.equal((await run(['audit', 'export', '--format', 'xml'], home)).code, 2);

  const text = await fs.readFile(auditLogPath(home), 'utf8');
  await fs.writeFile(auditLogPath(home), text.replace('"counter":6', '"counter":8'));
  r = await run(['audit', 'verify', '--json'], home);
  assert.equal(r.code, 1);
  const report = JSON.parse(r.out) as { ok: boolean; problems: { kind: string; seq: number }[] };
  assert.equal(report.ok, false);
  assert.deepEqual(report.problems.map((p) => [p.kind, p.seq]), [['edited', 3]]);
});
