import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AuditLog, verifyAuditLog, type AuditEventInput } from '../../../../../electron/core/audit/index';
import { AuditEventInvalidError, AuditLogBusyError } from '../../../../../electron/core/audit/errors';
import { canonicalJson } from '../../../../../electron/core/audit/canonical-json';
import { entryHash } from '../../../../../electron/core/audit/chain';

const FP_A = `SHA256:${'A'.repeat(42)}E`;
const FP_B = `SHA256:${'B'.repeat(42)}E`;

async function tempLog(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'audit', 'audit.jsonl');
}

const sign = (keyFingerprint: string, counter: number): AuditEventInput =>
  ({ type: 'sign', keyFingerprint, purpose: 'publickey auth', hop: 'jump-01', flags: 0x05, counter });

test('entries round-trip through append and verify, chained from the genesis value', async (t) => {
  const file = await tempLog(t);
  const log = await AuditLog.open({ file });
  await log.append({ type: 'sign-in', account: 'op@contoso.com', outcome: 'ok' });
  await log.append({ type: 'connect-attempt', connectionId: 'c1', target: 'leaf-02', path: 'backup',
    hops: [{ name: 'jump-01', user: 'jumpuser', host: '127.0.0.2', port: 22 }, { user: 'op', host: '127.0.0.3', port: 22 }] });
  await log.append({ type: 'host-key', host: '127.0.0.3', port: 22, keyType: 'ssh-ed25519', fingerprint: FP_B, decision: 'trust-once' });
  await log.append({ type: 'session-end', connectionId: 'c1', target: 'leaf-02', bytesIn: 10, bytesOut: 20, durationMs: 1500,
    recording: { file: '/x.cast', sha256: 'a'.repeat(64), bytes: 99 } });
  await log.close();

  const result = await verifyAuditLog(file);
  assert.equal(result.ok, true, JSON.stringify(result.problems));
  assert.deepEqual(result.entries.map((e) => [e.seq, e.type]), [[1, 'sign-in'], [2, 'connect-attempt'], [3, 'host-key'], [4, 'session-end']]);
  assert.equal(result.entries[0]?.prev, '0'.repeat(64));
  for (let i = 1; i < result.entries.length; i++) assert.equal(result.entries[i]?.prev, result.entries[i - 1]?.hash);

  // The hash is SHA-256 over the canonical JSON of the line without `hash`: recompute independently.
  const first = JSON.parse((await fs.readFile(file, 'utf8')).split('\n')[0] ?? '') as Record<string, unknown>;
  const { hash, ...rest } = first;
  const { createHash } = await import('node:crypto');
  assert.equal(hash, createHash('sha256').update(canonicalJson(rest)).digest('hex'));
  assert.equal(Object.keys(first).join(','), 'seq,ts,type,account,outcome,prev,hash');
});

test('reopening continues the chain and the sequence', async (t) => {
  const file = await tempLog(t);
  let log = await AuditLog.open({ file });
  await log.append(sign(FP_A, 1));
  await log.close();
  log = await AuditLog.open({ file });
  assert.equal(log.openReport.entries, 1);
  assert.deepEqual(log.openReport.findings, []);
  const e = await log.append(sign(FP_A, 2));
  await log.close();
  assert.equal(e.seq, 2);
  const result = await verifyAuditLog(file);
  assert.equal(result.ok, true);
  assert.equal(e.prev, result.entries[0]?.hash);
});

test('concurrent appends are serialised into one valid chain', async (t) => {
  const file = await tempLog(t);
  const log = await AuditLog.open({ file });
  const written = await Promise.all(Array.from({ length: 40 }, (_, i) => log.append(sign(i % 2 ? FP_A : FP_B, 100 + i))));
  await log.close();
  assert.deepEqual(written.map((e) => e.seq), Array.from({ length: 40 }, (_, i) => i + 1));
  const result = await verifyAuditLog(file);
  assert.equal(result.ok, true, JSON.stringify(result.problems));
  assert.equal(result.entries.length, 40);
  assert.equal(result.entries.filter((e) => e.type === 'sign' && e.counterRegression).length, 0);
});

test('a counter that goes backwards for the same key is flagged, per key and across reopen', async (t) => {
  const file = await tempLog(t);
  let log = await AuditLog.open({ file });
  const a1 = await log.append(sign(FP_A, 50));
  const b1 = await log.append(sign(FP_B, 3)); // lower, but a different key
  await log.close();
  log = await AuditLog.open({ file });
  const a2 = await log.append(sign(FP_A, 49));
  // The caller cannot clear the flag, nor set it on a healthy counter.
  const a3 = await log.append({ ...sign(FP_A, 48), counterRegression: undefined } as AuditEventInput);
  const b2 = await log.append({ ...sign(FP_B, 4), counterRegression: true } as AuditEventInput);
  await log.close();
  const flag = (e: { type: string }) => (e as { counterRegression?: boolean }).counterRegression === true;
  assert.deepEqual([a1, b1, a2, a3, b2].map(flag), [false, false, true, true, false]);
  const verified = await verifyAuditLog(file);
  assert.equal(verified.ok, true);
  assert.deepEqual(verified.alerts.map((a) => [a.seq, a.kind]), [[3, 'counter-regression'], [4, 'counter-regression']]);
});

test('a signature without user verification is an alert, not a chain problem', async (t) => {
  const file = await tempLog(t);
  const log = await AuditLog.open({ file });
  await log.append({ ...sign(FP_A, 1), flags: 0x01 } as AuditEventInput);
  await log.append(sign(FP_A, 2));
  await log.close();
  const r = await verifyAuditLog(file);
  assert.equal(r.ok, true);
  assert.deepEqual(r.alerts.map((a) => [a.seq, a.kind]), [[1, 'no-user-verification']]);
});

test('events carrying secrets or unknown fields are refused and nothing is written', async (t) => {
  const file = await tempLog(t);
  const log = await AuditLog.open({ file });
  t.after(() => log.close());
  const bad: unknown[] = [
    { ...sign(FP_A, 1), pin: '123456' },
    { ...sign(FP_A, 1), keyHandle: 'c2VjcmV0' },
    { type: 'sign-in', account: 'op@contoso.com', outcome: 'ok', accessToken: 'eyJ0eXAi' },
    { type: 'connect-outcome', connectionId: 'c', target: 't', path: 'v1.5', outcome: 'ok', hops: [{ user: 'TelcoRO', host: 'h', port: 22, password: 'x' }] },
    { type: 'log-integrity', finding: 'head-missing' },
    { type: 'sign', keyFingerprint: 'not-a-fingerprint', purpose: 'p', flags: 1, counter: 1 },
  ];
  for (const event of bad) {
    await assert.rejects(log.append(event as AuditEventInput), (err: Error) => {
      assert.ok(err instanceof AuditEventInvalidError);
      for (const secret of ['123456', 'c2VjcmV0', 'eyJ0eXAi']) assert.ok(!err.message.includes(secret), err.message);
      return true;
    });
  }
  assert.equal(await fs.readFile(file, 'utf8'), '');
});

test('a second writer on the same log is refused while the first holds it', async (t) => {
  const file = await tempLog(t);
  const log = await AuditLog.open({ file });
  await assert.rejects(AuditLog.open({ file }), AuditLogBusyError);
  await log.close();
  const again = await AuditLog.open({ file });
  await again.close();
});

test('a torn last line is kept, recorded on open, and verify names it a repair', async (t) => {
  const file = await tempLog(t);
  let log = await AuditLog.open({ file });
  await log.append(sign(FP_A, 1));
  await log.append(sign(FP_A, 2));
  await log.close();
  // A crash half-way through an append: part of a line, no newline; the head never moved.
  await fs.appendFile(file, '{"seq":3,"ts":"2026-');
  const before = await verifyAuditLog(file);
  assert.deepEqual(before.problems.map((p) => p.kind), ['truncated']);

  log = await AuditLog.open({ file });
  assert.deepEqual(log.openReport.findings.map((f) => [f.finding, f.tornBytes]), [['torn-tail', 20]]);
  await log.append(sign(FP_A, 3));
  await log.close();
  const lines = (await fs.readFile(file, 'utf8')).split('\n');
  assert.equal(lines[2], '{"seq":3,"ts":"2026-', 'the torn bytes stay in the file as evidence');
  const after = await verifyAuditLog(file);
  assert.equal(after.ok, true, JSON.stringify(after.problems));
  assert.deepEqual(after.repairs, [{ line: 3, recordedBy: 3 }]);
  assert.deepEqual(after.entries.map((e) => e.seq), [1, 2, 3, 4]);
});

test('a cut-off tail found on open is written into the chain and stays a problem', async (t) => {
  const file = await tempLog(t);
  let log = await AuditLog.open({ file });
  for (let i = 1; i <= 4; i++) await log.append(sign(FP_A, i));
  await log.close();
  const lines = (await fs.readFile(file, 'utf8')).split('\n');
  await fs.writeFile(file, `${lines.slice(0, 2).join('\n')}\n`);
  log = await AuditLog.open({ file });
  assert.deepEqual(log.openReport.findings.map((f) => [f.finding, f.headSeq, f.logSeq]), [['head-ahead', 4, 2]]);
  await log.append(sign(FP_A, 5));
  await log.close();
  const result = await verifyAuditLog(file);
  assert.equal(result.ok, false);
  assert.deepEqual(result.problems.map((p) => [p.kind, p.seq]), [['truncated', 3]]);
});

test('entryHash ignores key order', () => {
  const a = { seq: 1, ts: 't', type: 'x', prev: '0', nested: { b: 1, a: 2 } };
  const b = { nested: { a: 2, b: 1 }, prev: '0', type: 'x', ts: 't', seq: 1 };
  assert.equal(entryHash(a), entryHash(b));
  assert.notEqual(entryHash(a), entryHash({ ...a, seq: 2 }));
});
