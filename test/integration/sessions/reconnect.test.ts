// A dropped session reconnects into the same scrollback, with a divider line between the two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionManager, reconnectDivider, type Hop } from '../../../electron/core/ssh/sessions/index';
import { SoftSkSigner } from '../../support/soft-sk';
import { acceptNewHostKeys, jumpAndDevice, sessionInteraction, tempDir } from '../../support/sessions';
import { waitClosed, waitForOutput } from '../../support/sessions-sshd';

test('reconnect after a drop keeps the scrollback and writes a divider', async (t) => {
  const { key, jump, device } = await jumpAndDevice(t, '127.0.0.9');
  const dir = tempDir(t, 'nbg-reconnect-');
  const interaction = sessionInteraction();
  const signer = new SoftSkSigner([key]);
  const at = new Date(2026, 0, 2, 3, 12, 44);
  const manager = new SessionManager({
    interaction, signer, clock: () => at,
    hostKeys: acceptNewHostKeys(dir),
  });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
  const session = await manager.connect({ name: 'leaf-04', user: device.user, host: device.host, port: device.port }, chain);

  session.write('echo "before-$((1+1))"\n');
  await waitForOutput(session, /before-2/);
  // The device side dies without an exit status: its sshd session process is killed.
  session.write("kill -9 $PPID\n");
  const dropped = await waitClosed(session);
  assert.equal(dropped.reason, 'connection-lost');
  assert.throws(() => session.write('x'), /not open/);

  await session.connect();
  session.write('echo "after-$((2+1))"\n');
  const text = await waitForOutput(session, /after-3/);
  const divider = reconnectDivider(at);
  assert.equal(divider, '\r\n── reconnected 03:12:44 ──\r\n');
  const before = text.indexOf('before-2');
  const div = text.indexOf(divider);
  assert.ok(before >= 0 && div > before && text.indexOf('after-3', div) > div, 'old output, divider, new output in order');
  assert.equal(session.info.signatures, 4, 'a reconnect signs in again on every hop');
  session.close();
  assert.equal((await waitClosed(session)).reason, 'user');
});

test('a reconnect that fails writes no divider: the scrollback ends with what the device last sent', async (t) => {
  const { key, jump, device } = await jumpAndDevice(t, '127.0.0.9');
  const dir = tempDir(t, 'nbg-reconnect-fail-');
  const manager = new SessionManager({
    interaction: sessionInteraction(), signer: new SoftSkSigner([key]), clock: () => new Date(2026, 0, 2, 3, 12, 44),
    hostKeys: acceptNewHostKeys(dir),
  });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
  const session = await manager.connect({ name: 'leaf-04', user: device.user, host: device.host, port: device.port }, chain);
  session.write('echo "before-$((1+1))"\n');
  await waitForOutput(session, /before-2/);
  session.write('kill -9 $PPID\n');
  assert.equal((await waitClosed(session)).reason, 'connection-lost');
  const held = session.scrollback().toString('utf8');

  // The device is gone now (its sshd stopped: the port refuses), so the reconnect fails.
  await device.stop();
  await assert.rejects(session.connect(), /refused|unreachable|did not answer|could not/i);
  assert.equal(session.state.kind, 'closed');
  const after = session.scrollback().toString('utf8');
  assert.doesNotMatch(after, /reconnected/, 'no divider for a reconnect that did not happen');
  assert.equal(after, held);
});
