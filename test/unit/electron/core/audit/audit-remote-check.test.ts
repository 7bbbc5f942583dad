// The audit view's "Compare with Azure Monitor": the local log against the last checkpoint the
// security team's copy holds, with every answer in words (as `nbg audit verify --remote`).
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { NbgError } from '../../../../../native/errors';
import { auditService } from '../../../../../electron/core/audit/audit-service';
import { verifyAuditLog } from '../../../../../electron/core/audit/index';
import { ErrorCode } from '../../../../../electron/shared/error-codes';
import { writeFixtureLog } from './audit-fixture';

const WHERE = 'Azure Monitor (workspace ws-1, checkpoint of 2026-12-03T10:00:00Z)';
let dir: string;
let file: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-remote-'));
  file = await writeFixtureLog(dir);
});
after(() => fs.rm(dir, { recursive: true, force: true }));

test('a checkpoint that is in the log matches; a rewritten entry or a cut tail differs, named', async () => {
  const { entries } = await verifyAuditLog(file);
  const fifth = entries.find((e) => e.seq === 5);
  assert.ok(fifth);
  const at = (seq: number, hash: string) => auditService({ file, remote: async () => ({ seq, hash, where: WHERE }) }).checkRemote();
  assert.deepEqual(await at(5, fifth.hash), { state: 'matches', message: `The log agrees with ${WHERE}: entry 5 is the one that was sent.` });
  const rewritten = await at(5, 'f'.repeat(64));
  assert.equal(rewritten.state, 'differs');
  assert.match(rewritten.message, /^entry 5 is not the one whose checkpoint Azure Monitor .* holds: the chain was rewritten\. Keep the log file as it is/);
  const cut = await at(entries.length + 3, fifth.hash);
  assert.equal(cut.state, 'differs');
  assert.match(cut.message, new RegExp(`the log ends at entry ${entries.length} but Azure Monitor .* holds a checkpoint at entry ${entries.length + 3}: the end was cut off`));
  const gone = await auditService({ file: path.join(dir, 'deleted.jsonl'), remote: async () => ({ seq: 5, hash: fifth.hash, where: WHERE }) }).checkRemote();
  assert.equal(gone.state, 'differs');
  assert.match(gone.message, /the log is gone, but Azure Monitor .* holds a checkpoint at entry 5/);
});

test('nothing to compare with: no remote copy (drill), no workspace set, no checkpoint yet; Azure not answering is said with its reason, made inert', async () => {
  assert.equal((await auditService({ file }).checkRemote()).state, 'not-configured');
  const unset = await auditService({ file, remote: async () => { throw new NbgError(ErrorCode.USAGE, 'no workspace'); } }).checkRemote();
  assert.deepEqual(unset.state, 'not-configured');
  assert.match(unset.message, /Forwarding to Azure Monitor is not set up/);
  assert.deepEqual(await auditService({ file, remote: async () => undefined }).checkRemote(),
    { state: 'no-checkpoint', message: 'Azure Monitor holds no checkpoint from this computer yet: nothing to compare with.' });
  const down = await auditService({ file, remote: async () => { throw new Error('connect ECONNREFUSED\u001b[2J 127.0.0.1:443'); } }).checkRemote();
  assert.equal(down.state, 'unreachable');
  assert.match(down.message, /^Azure Monitor could not be asked: connect ECONNREFUSED/);
  assert.ok(!down.message.includes('\u001b'), 'control characters from outside are inert');
});
