import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineDiff } from '../../../../../../renderer/src/features/fleet-run/lineDiff';

test('lineDiff: same lines kept, baseline-only removed, device-only added, in order', () => {
  const d = lineDiff('a\nb\nc\nd', 'a\nc\nX\nd');
  assert.deepEqual(d.map((l) => `${l.kind[0]}${l.text}`), ['sa', 'rb', 'sc', 'aX', 'sd']);
  assert.deepEqual(lineDiff('same\n', 'same\n').filter((l) => l.kind !== 'same'), []);
  assert.deepEqual(lineDiff('x\r\ny', 'x\ny').filter((l) => l.kind !== 'same'), [], 'CRLF is not a difference');
});
