import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectScope, ConnectScopeDisposedError } from '../../../../../../electron/core/ssh/sessions/connect-scope';

test('asks the PIN once per scope, shares one prompt between concurrent hops, wipes it on dispose', async () => {
  const scope = new ConnectScope();
  let asked = 0;
  const ask = async () => {
    asked++;
    await new Promise((r) => setTimeout(r, 5));
    return '123456';
  };
  const [a, b] = await Promise.all([scope.pin(ask), scope.pin(ask)]);
  const c = await scope.pin(ask);
  assert.equal(asked, 1);
  assert.ok(a && a === b && b === c);
  assert.equal(a.toString(), '123456');
  let disposed = 0;
  scope.onDispose(() => disposed++);
  scope.dispose();
  scope.dispose();
  assert.equal(disposed, 1);
  assert.deepEqual([...a], [0, 0, 0, 0, 0, 0], 'the held PIN bytes are overwritten');
  await assert.rejects(scope.pin(ask), ConnectScopeDisposedError);
  let late = 0;
  scope.onDispose(() => late++);
  assert.equal(late, 1, 'a disposer registered after the end runs at once');
});

test('cancel is not held; forgetPin (wrong PIN) asks again', async () => {
  const scope = new ConnectScope();
  const answers: (string | null)[] = [null, '1111', '2222'];
  const ask = async () => answers.shift() ?? null;
  assert.equal(await scope.pin(ask), null);
  const first = await scope.pin(ask);
  assert.equal(first?.toString(), '1111');
  scope.forgetPin();
  assert.deepEqual([...(first ?? [])], [0, 0, 0, 0]);
  assert.equal((await scope.pin(ask))?.toString(), '2222');
  scope.dispose();
});
