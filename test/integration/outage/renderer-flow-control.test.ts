// Issue 18: back-pressure on the renderer path. Once the UI acknowledges output
// (core:sessions.ack), a session stops reading its channel when more than the high-water mark is
// unacknowledged, so a slow renderer slows the device instead of growing core's memory; acks
// bring the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionManager } from '../../../electron/core/ssh/sessions/index';
import { OUTPUT_HIGH_WATER_CHARS, sessionsService } from '../../../electron/core/ssh/sessions/sessions-service';
import { SoftSkSigner } from '../../support/soft-sk';
import { acceptNewHostKeys, jumpAndDevice, sessionInteraction, tempDir } from '../../support/sessions';

const TOTAL = 8_000_000;
const STALL_WAIT_MS = 2000;
const UNTIL_MS = 60_000;

test('a renderer that stops acknowledging output pauses the device; acks let the rest through', async (t) => {
  const { key, jump, device } = await jumpAndDevice(t, '127.0.0.6');
  const dir = tempDir(t, 'nbg-flow-');
  const manager = new SessionManager({ interaction: sessionInteraction(), signer: new SoftSkSigner([key]), hostKeys: acceptNewHostKeys(dir) });
  t.after(() => manager.closeAll());
  const service = sessionsService(manager, async () => ({ sessions: false, input: false }));
  let received = 0;
  let text = '';
  const info = await service.open({
    title: 'leaf-01', device: { fabricId: 'f', deviceId: 'leaf-01' }, jumps: [{ user: jump.user, host: jump.host, port: jump.port, label: 'jump-01' }], notes: [],
    target: { user: device.user, host: device.host, port: device.port, label: 'leaf-01' }, path: 'primary', method: 'v2.0', drill: false,
  }, { cols: 80, rows: 24 }, {
    output: (_id, data) => { received += data.length; text = (text + data).slice(-200); },
    state: () => undefined,
  });
  service.ack?.(info.id, received); // this UI acknowledges: flow control is on
  service.write(info.id, `yes 0123456789abcdef | head -c ${TOTAL}; echo; echo flow-$((6*7))\n`);
  await new Promise((r) => setTimeout(r, STALL_WAIT_MS));
  const stalledAt = received;
  assert.ok(stalledAt < TOTAL / 2, `output stopped near the high-water mark: ${stalledAt} chars`);
  assert.ok(stalledAt >= OUTPUT_HIGH_WATER_CHARS, `up to the high-water mark arrives: ${stalledAt}`);
  const deadline = Date.now() + UNTIL_MS;
  let acked = 0;
  while (!/flow-42/.test(text) && Date.now() < deadline) {
    service.ack?.(info.id, received - acked);
    acked = received;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.match(text, /flow-42/);
  assert.ok(received > TOTAL);
  await service.close(info.id);
});
