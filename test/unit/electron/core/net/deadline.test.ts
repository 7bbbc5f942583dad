import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentDeadline, remainingMs, withDeadline } from '../../../../../electron/core/net/deadline';

describe('action deadline', () => {
  it('is carried through awaits, and a nested one may shorten it but never extend it', async () => {
    assert.equal(remainingMs(), Infinity);
    await withDeadline(10_000, async () => {
      await new Promise((r) => setImmediate(r));
      assert.equal(currentDeadline()?.budgetMs, 10_000);
      await withDeadline(60_000, async () => assert.equal(currentDeadline()?.budgetMs, 10_000, 'the outer, shorter one stays'));
      await withDeadline(1_000, async () => {
        await Promise.resolve();
        assert.equal(currentDeadline()?.budgetMs, 1_000);
        assert.ok(remainingMs() <= 1_000);
      });
      assert.equal(currentDeadline()?.budgetMs, 10_000);
    }, Date.now());
    assert.equal(currentDeadline(), undefined);
  });
});
