import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ageText, secondsLeft } from '../../../../../renderer/src/ui/format';

test('sync ages read naturally at every scale', () => {
  const now = 1_000_000_000;
  assert.equal(ageText(0, now), 'never');
  assert.equal(ageText(now - 4_000, now), '4 s ago');
  assert.equal(ageText(now - 5 * 60_000, now), '5 min ago');
  assert.equal(ageText(now - 3 * 3_600_000, now), '3 h ago');
  assert.equal(ageText(now - 5 * 86_400_000, now), '5 days ago');
  assert.equal(ageText(now + 10_000, now), '0 s ago', 'a clock slightly ahead is not a negative age');
});

test('prompt countdowns round up and stop at zero', () => {
  assert.equal(secondsLeft(10_500, 10_000), 1);
  assert.equal(secondsLeft(40_000, 10_000), 30);
  assert.equal(secondsLeft(9_000, 10_000), 0);
});
