import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, after, test } from 'node:test';
import { AuditLog, verifyAuditLog } from '../../../../../electron/core/audit/index';
import { entryHash } from '../../../../../electron/core/audit/chain';

const FP = `SHA256:${'k'.repeat(42)}E`;
let dir: string;
let pristine: string;
let pristineHead: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-verify-'));
  const file = path.join(dir, 'pristine.jsonl');
  const log = await AuditLog.open({ file });
  for (let i = 1; i <= 6; i++) {
    await log.append({ type: 'sign', keyFingerprint: FP, purpose: `hop ${i}`, flags: 0x05, counter: i });
  }
  await log.close();
  pristine = await fs.readFile(file, 'utf8');
  pristineHead = await fs.readFile(`${file}.head`, 'utf8');
});
after(() => fs.rm(dir, { recursive: true, force: true }));

/** Writes a tampered copy of the pristine log (and its head) and verifies it. */
async function verifyTampered(name: string, tamper: (lines: string[]) => string[], head = pristineHead) {
  const file = path.join(dir, `${name}.jsonl`);
  const lines = pristine.split('\n').slice(0, -1);
  await fs.writeFile(file, tamper(lines).map((l) => `${l}\n`).join(''));
  await fs.writeFile(`${file}.head`, head);
  return verifyAuditLog(file);
}

const kinds = (r: Awaited<ReturnType<typeof verifyAuditLog>>) => r.problems.map((p) => [p.kind, p.seq ?? p.line]);

test('the untouched log verifies', async () => {
  const r = await verifyTampered('untouched', (l) => l);
  assert.equal(r.ok, true);
  assert.equal(r.entries.length, 6);
});

test('an edited field is detected', async () => {
  const r = await verifyTampered('edited', (l) => l.map((x, i) => (i === 2 ? x.replace('"counter":3', '"counter":30') : x)));
  assert.deepEqual(kinds(r), [['edited', 3]]);
});

test('an edited entry whose hash was recomputed breaks the next link', async () => {
  const r = await verifyTampered('rehashed', (l) => l.map((x, i) => {
    if (i !== 2) return x;
    const e = JSON.parse(x) as Record<string, unknown>;
    e.purpose = 'nothing to see';
    e.hash = entryHash(e);
    return JSON.stringify(e);
  }));
  assert.deepEqual(kinds(r), [['edited', 4]]);
});

test('a deleted line is detected', async () => {
  const r = await verifyTampered('deleted', (l) => l.filter((_, i) => i !== 3));
  assert.deepEqual(kinds(r), [['deleted', 4]]);
});

test('two swapped lines are detected as reordered', async () => {
  const r = await verifyTampered('swapped', (l) => [l[0], l[2], l[1], ...l.slice(3)] as string[]);
  assert.deepEqual(kinds(r), [['reordered', 2]]);
});

test('a duplicated line is detected', async () => {
  const r = await verifyTampered('duplicated', (l) => [...l, l[1] as string]);
  assert.deepEqual(kinds(r), [['reordered', 2]]);
});

test('a truncated tail is detected through the head file', async () => {
  const r = await verifyTampered('truncated', (l) => l.slice(0, 4));
  assert.deepEqual(kinds(r), [['truncated', 5]]);
});

test('a truncated tail without its head file cannot pass as complete', async () => {
  const file = path.join(dir, 'headless.jsonl');
  await fs.writeFile(file, pristine.split('\n').slice(0, 4).map((l) => `${l}\n`).join(''));
  const r = await verifyAuditLog(file);
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems.map((p) => p.kind), ['truncated']);
});

test('a garbage line is detected as malformed', async () => {
  const r = await verifyTampered('garbage', (l) => [...l.slice(0, 2), 'rm -rf / # not json', ...l.slice(2)]);
  assert.deepEqual(kinds(r), [['malformed', 3]]);
});

test('a line that is JSON but not an entry is malformed', async () => {
  const r = await verifyTampered('foreign', (l) => [...l.slice(0, 5), JSON.stringify({ seq: 6, type: 'sign', pin: '1234' })]);
  assert.deepEqual(r.problems.map((p) => p.kind).sort(), ['malformed', 'truncated']);
});

test('a rewritten head file is detected', async () => {
  const r = await verifyTampered('head', (l) => l, JSON.stringify({ seq: 6, hash: 'f'.repeat(64) }));
  assert.deepEqual(kinds(r), [['edited', 6]]);
});
