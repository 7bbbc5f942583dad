// Opening reads the head file and the log's last lines; whatever else it finds must be what the
// full read always found. Each test leaves the files the way a crash or an edit would.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AuditLog, verifyAuditLog, type AuditEntry, type AuditEventInput } from '../../../../../electron/core/audit/index';
import { entryHash } from '../../../../../electron/core/audit/chain';
import { AuditLogCorruptError } from '../../../../../electron/core/audit/errors';

const FP_A = `SHA256:${'A'.repeat(42)}E`;
const FP_B = `SHA256:${'B'.repeat(42)}E`;

const sign = (keyFingerprint: string, counter: number): AuditEventInput =>
  ({ type: 'sign', keyFingerprint, purpose: 'publickey auth', flags: 0x05, counter });
const flagged = (e: AuditEntry) => e.type === 'sign' && e.counterRegression === true;
const findings = (log: AuditLog) => log.openReport.findings.map((f) => f.finding);

async function tempLog(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-open-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'audit.jsonl');
}

/** Appends the events in one session; returns the head file's text after each append. */
async function writeSession(file: string, events: AuditEventInput[]): Promise<string[]> {
  const log = await AuditLog.open({ file });
  const heads: string[] = [];
  for (const e of events) {
    await log.append(e);
    heads.push(await fs.readFile(`${file}.head`, 'utf8'));
  }
  await log.close();
  return heads;
}

async function readHead(file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await fs.readFile(`${file}.head`, 'utf8')) as Record<string, unknown>;
}

test('the head file carries the highest counter per key, which a reopened log continues from', async (t) => {
  const file = await tempLog(t);
  await writeSession(file, [sign(FP_A, 50), sign(FP_B, 3), { type: 'connect-outcome', connectionId: 'c', target: 'leaf', path: 'primary',
    hops: [{ user: 'op', host: '127.0.0.2', port: 22 }], outcome: 'ok', keyFingerprint: FP_B, skCounter: 9 }]);
  assert.deepEqual((await readHead(file)).counters, { [FP_A]: 50, [FP_B]: 9 });
  const log = await AuditLog.open({ file });
  assert.deepEqual(findings(log), []);
  const written = [await log.append(sign(FP_B, 8)), await log.append(sign(FP_A, 51))];
  await log.close();
  assert.deepEqual(written.map(flagged), [true, false]);
});

test('lowered counters in the head file do not hide a regression from verify', async (t) => {
  const file = await tempLog(t);
  await writeSession(file, [sign(FP_A, 50)]);
  const head = await readHead(file);
  await fs.writeFile(`${file}.head`, JSON.stringify({ ...head, counters: { [FP_A]: 1 } }));
  const written = await writeSession(file, [sign(FP_A, 10)]);
  assert.equal(written.length, 1);
  const r = await verifyAuditLog(file);
  assert.equal(r.entries.some(flagged), false, 'the writer trusted the head file');
  assert.deepEqual(r.alerts.map((a) => [a.seq, a.kind]), [[2, 'counter-regression']]);
});

test('a head one entry behind (a crash before its rename) is no finding; seq and counters continue from the log', async (t) => {
  const file = await tempLog(t);
  const heads = await writeSession(file, [sign(FP_A, 1), sign(FP_A, 2), sign(FP_A, 9)]);
  await fs.writeFile(`${file}.head`, heads[1] ?? '');
  const log = await AuditLog.open({ file });
  assert.deepEqual(findings(log), []);
  assert.equal(log.openReport.entries, 3);
  const e = await log.append(sign(FP_A, 5));
  await log.close();
  assert.equal(e.seq, 4);
  assert.equal(flagged(e), true, 'the counter of the entry the head missed counts');
  const r = await verifyAuditLog(file);
  assert.equal(r.ok, true, JSON.stringify(r.problems));
});

test('a head one entry behind and a torn line after the log: the torn line is recorded', async (t) => {
  const file = await tempLog(t);
  const heads = await writeSession(file, [sign(FP_A, 1), sign(FP_A, 2), sign(FP_A, 3)]);
  await fs.writeFile(`${file}.head`, heads[1] ?? '');
  await fs.appendFile(file, '{"seq":4,"ts":"2026-');
  const log = await AuditLog.open({ file });
  assert.deepEqual(log.openReport.findings.map((f) => [f.finding, f.seq, f.tornBytes]), [['torn-tail', 4, 20]]);
  await log.close();
  const r = await verifyAuditLog(file);
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  assert.deepEqual(r.repairs, [{ line: 4, recordedBy: 4 }]);
});

test('a head further behind takes the full read: no finding, as before, and the head is brought up to date', async (t) => {
  const file = await tempLog(t);
  const heads = await writeSession(file, [sign(FP_A, 7), sign(FP_B, 2), sign(FP_B, 3)]);
  await fs.writeFile(`${file}.head`, heads[0] ?? '');
  const log = await AuditLog.open({ file });
  assert.deepEqual(findings(log), []);
  assert.equal(log.openReport.entries, 3);
  await log.close();
  assert.equal(await fs.readFile(`${file}.head`, 'utf8'), heads[2]);
});

test('a head file from before counters were kept: the full read finds them, and the head then carries them', async (t) => {
  const file = await tempLog(t);
  await writeSession(file, [sign(FP_A, 7), sign(FP_B, 2)]);
  const { counters: _counters, ...oldHead } = await readHead(file);
  await fs.writeFile(`${file}.head`, `${JSON.stringify(oldHead)}\n`);
  let log = await AuditLog.open({ file });
  assert.deepEqual(findings(log), []);
  await log.close();
  assert.deepEqual(await readHead(file), { ...oldHead, counters: { [FP_A]: 7, [FP_B]: 2 } });
  log = await AuditLog.open({ file });
  const e = await log.append(sign(FP_A, 6));
  await log.close();
  assert.equal(flagged(e), true);
});

test('a missing or unreadable head file is recorded as head-missing', async (t) => {
  for (const damage of ['remove', 'garble'] as const) {
    const file = await tempLog(t);
    await writeSession(file, [sign(FP_A, 1), sign(FP_A, 2)]);
    if (damage === 'remove') await fs.rm(`${file}.head`);
    else await fs.writeFile(`${file}.head`, '{"seq":2,');
    const log = await AuditLog.open({ file });
    assert.deepEqual(log.openReport.findings.map((f) => [f.finding, f.logSeq]), [['head-missing', 2]], damage);
    await log.close();
    assert.deepEqual((await verifyAuditLog(file)).problems.map((p) => [p.kind, p.seq]), [['truncated', 3]], damage);
  }
});

test('a last entry rewritten with a recomputed hash is recorded as head-mismatch', async (t) => {
  const file = await tempLog(t);
  await writeSession(file, [sign(FP_A, 1), sign(FP_A, 2)]);
  const lines = (await fs.readFile(file, 'utf8')).split('\n');
  const forged = JSON.parse(lines[1] ?? '') as Record<string, unknown>;
  forged.purpose = 'nothing to see';
  forged.hash = entryHash(forged);
  lines[1] = JSON.stringify(forged);
  await fs.writeFile(file, lines.join('\n'));
  const log = await AuditLog.open({ file });
  assert.deepEqual(log.openReport.findings.map((f) => [f.finding, f.headSeq, f.logSeq]), [['head-mismatch', 2, 2]]);
  await log.close();
  // The forgery chains and the head has moved on: only the recorded finding still tells.
  const r = await verifyAuditLog(file);
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems.map((p) => [p.kind, p.seq]), [['edited', 3]]);
});

test('an emptied log under a head that names entries is recorded as head-ahead', async (t) => {
  const file = await tempLog(t);
  await writeSession(file, [sign(FP_A, 1), sign(FP_A, 2)]);
  await fs.writeFile(file, '');
  const log = await AuditLog.open({ file });
  assert.deepEqual(log.openReport.findings.map((f) => [f.finding, f.headSeq, f.logSeq]), [['head-ahead', 2, 0]]);
  await log.close();
});

test('a first append torn by a crash, with no head file yet, is recorded', async (t) => {
  const file = await tempLog(t);
  await fs.writeFile(file, '{"seq":1,"ts":"2026-');
  const log = await AuditLog.open({ file });
  assert.deepEqual(log.openReport.findings.map((f) => [f.finding, f.seq]), [['torn-tail', 1]]);
  await log.close();
  assert.equal((await verifyAuditLog(file)).ok, true);
});

test('a log without a single valid entry is refused, and the writer lock is released', async (t) => {
  const file = await tempLog(t);
  await fs.writeFile(file, 'not an audit log\n');
  await assert.rejects(AuditLog.open({ file }), AuditLogCorruptError);
  await fs.writeFile(file, '');
  const log = await AuditLog.open({ file });
  await log.close();
});
