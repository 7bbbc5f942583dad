import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACK_EVERY_CHARS, drawnCounter } from '../../../../../../renderer/src/features/sessions/flowControl';

test('drawn output is acknowledged in batches, and every drawn character is counted once', () => {
  const acks: number[] = [];
  const drawn = drawnCounter((chars) => acks.push(chars), 100);
  for (const n of [40, 40, 40, 5, 300, 1]) drawn(n);
  assert.deepEqual(acks, [120, 305]);
  drawn(99);
  assert.deepEqual(acks, [120, 305, 100]);
});

test('the default batch is far below core\'s pause threshold, so a busy terminal keeps the session flowing', async () => {
  const { OUTPUT_LOW_WATER_CHARS } = await import('../../../../../../electron/core/ssh/sessions/sessions-service');
  assert.ok(ACK_EVERY_CHARS * 4 <= OUTPUT_LOW_WATER_CHARS);
});
