import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectHistoryStore, outcomeOfError } from '../../../../../electron/core/workspace/connect-history';
import { ErrorCode } from '../../../../../electron/shared/error-codes';

function home(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-history-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('connect history: the latest attempt per device, newest first; favourites on and off; the file is private', async (t) => {
  const store = ConnectHistoryStore.inHome(home(t));
  assert.deepEqual(await store.get(), { favourites: [], attempts: [] });
  await store.record({ fabricId: 'F', deviceId: 'a', at: 1, outcome: 'refused' });
  await store.record({ fabricId: 'F', deviceId: 'b', at: 2, outcome: 'answered' });
  await store.record({ fabricId: 'f', deviceId: 'A', at: 3, outcome: 'backup' });
  const h = await store.get();
  assert.deepEqual(h.attempts.map((a) => [a.deviceId, a.outcome]), [['A', 'backup'], ['b', 'answered']]);
  await Promise.all([store.setFavourite({ fabricId: 'F', deviceId: 'a' }, true), store.setFavourite({ fabricId: 'F', deviceId: 'b' }, true)]);
  assert.equal((await store.get()).favourites.length, 2, 'concurrent changes both land');
  await store.setFavourite({ fabricId: 'f', deviceId: 'A' }, false);
  assert.deepEqual((await store.get()).favourites.map((f) => f.deviceId), ['b']);
  assert.equal(statSync(store.file).mode & 0o777, 0o600);
});

test('connect history: a damaged file is reported and left as it was', async (t) => {
  const store = ConnectHistoryStore.inHome(home(t));
  writeFileSync(store.file, '{"favourites": 3}');
  await assert.rejects(store.get(), (err: Error & { code?: string }) => err.code === ErrorCode.HISTORY_INVALID && /delete it/.test(err.message));
  await assert.rejects(store.record({ fabricId: 'f', deviceId: 'd', at: 1, outcome: 'answered' }), { code: ErrorCode.HISTORY_INVALID });
  assert.equal(readFileSync(store.file, 'utf8'), '{"favourites": 3}');
});

test('outcomeOfError: refused, not answering, or nothing to say when the operator cancelled', () => {
  assert.equal(outcomeOfError(ErrorCode.HOP_AUTH_FAILED), 'refused');
  assert.equal(outcomeOfError(ErrorCode.PATH_UNREACHABLE), 'unreachable');
  assert.equal(outcomeOfError(ErrorCode.AUTH_CANCELLED), null);
  assert.equal(outcomeOfError('SOMETHING_ELSE'), 'failed');
});
