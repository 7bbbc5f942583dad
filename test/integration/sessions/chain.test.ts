// Jump chains against private OpenSSH sshds: jump-01 → jump-02 → leaf-02, verify-required on
// every hop, one PIN per connect, jump reuse, reference-counted jump connections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts-store';
import { SessionManager, type Hop, type SessionState, type Target } from '../../../electron/core/ssh/sessions';
import { startSshd, type Sshd } from '../../support/sshd';
import { SoftSk } from '../../support/soft-sk';
import { ScopedPinSigner, ScriptedInteraction, TEST_PIN, tempDir } from './support';
import { waitClosed, waitForOutput } from './support-sshd';

test('two-jump chain with verify-required: one PIN per connect, one touch per hop, jump reuse signs once', async (t) => {
  const key = new SoftSk();
  const sshds: Sshd[] = [];
  for (const listen of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
    const s = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen });
    t.after(() => s.stop());
    sshds.push(s);
  }
  const [j1, j2, dev] = sshds as [Sshd, Sshd, Sshd];
  const dir = tempDir(t, 'nbg-chain-');
  const interaction = new ScriptedInteraction();
  interaction.hostKeyAnswer = 'trust-always';
  const signer = new ScopedPinSigner(key, interaction);
  const store = new KnownHostsStore({ readOnly: [], managed: path.join(dir, 'known_hosts') });
  const manager = new SessionManager({ interaction, signer, hostKeys: { store, policy: 'ask' } });
  t.after(() => manager.closeAll());

  const chain: Hop[] = [
    { name: 'jump-01', user: j1.user, host: j1.host, port: j1.port },
    { name: 'jump-02', user: j2.user, host: j2.host, port: j2.port },
  ];
  const target: Target = { name: 'leaf-02', user: dev.user, host: dev.host, port: dev.port };
  const states: string[] = [];
  const first = manager.open(target, chain);
  first.on('state', (s: SessionState) => states.push(s.kind === 'connecting' || s.kind === 'authenticating' ? `${s.kind}:${s.hop}` : s.kind));
  await first.connect();

  assert.equal(interaction.pins.length, 1, 'one PIN for the whole chain');
  assert.deepEqual(signer.pinsUsed, [TEST_PIN, TEST_PIN, TEST_PIN]);
  assert.deepEqual(interaction.touches.map((c) => c.purpose), [
    'sign in to jump-01', 'sign in to jump-02 via jump-01', 'sign in to leaf-02 via jump-02',
  ]);
  assert.deepEqual(interaction.touches.map((c) => c.hop), ['jump-01', 'jump-02', 'leaf-02']);
  assert.equal(signer.signatures, 3);
  assert.equal(interaction.hostKeys.length, 3, 'each unknown host key asked once');
  assert.deepEqual(states.filter((s) => s.startsWith('connecting')), ['connecting:jump-01', 'connecting:jump-02', 'connecting:leaf-02']);
  assert.equal(states.at(-1), 'open');
  for (const s of sshds) assert.match(s.log(), /sk_flags = 0x05/);

  const info = first.info;
  assert.deepEqual(info.chain, [`${j1.user}@127.0.0.2:${j1.port}`, `${j2.user}@127.0.0.3:${j2.port}`]);
  assert.equal(info.route, 'primary');
  assert.equal(info.method, 'security-key');
  assert.equal(info.skFlags, 0x05);
  assert.equal(info.lastSkCounter, key.counter - 1);
  assert.equal(info.hostKeyFingerprint, dev.hostKeyFingerprint);

  first.write('echo "hello-$((40+2))"; tty; echo "term=$TERM"\n');
  const text = await waitForOutput(first, /term=xterm-256color/);
  assert.match(text, /hello-42/);
  assert.match(text, /\/dev\/pts\//);

  // Second device session through the same jumps: a new channel on jump-02, one signature (device).
  const second = await manager.connect(target, chain);
  assert.equal(signer.signatures, 4);
  assert.equal(interaction.pins.length, 2, 'a new connect asks its own PIN once');
  assert.equal(interaction.hostKeys.length, 3, 'trusted-always keys are not asked again');
  assert.deepEqual(manager.pool.refs(chain), [2, 2]);
  second.resize(132, 40);
  second.write('stty size\n');
  await waitForOutput(second, /40 132/);

  first.close();
  assert.equal((await waitClosed(first)).kind, 'closed');
  assert.deepEqual(manager.pool.refs(chain), [1, 1]);
  second.write('exit 3\n');
  const end = await waitClosed(second);
  assert.deepEqual(end, { kind: 'closed', reason: 'remote-exit', exitCode: 3 });
  assert.equal(manager.pool.size, 0, 'jump connections closed with their last session');
});
