// Jump chains against private OpenSSH sshds: jump-01 → jump-02 → leaf-02, verify-required on
// every hop, signed by the real authenticator facade over the CTAPHID simulator: one PIN per
// connect (held in the connect scope), one touch per hop, jump reuse, ref-counted jumps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { authenticatorFromEnv } from '../../../electron/core/keys/authenticator-factory';
import { AuthenticatorSigner } from '../../../electron/core/keys/signer';
import { KeyStore } from '../../../electron/core/keys/store';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts-store';
import { SessionManager, type Hop, type SessionState, type Target } from '../../../electron/core/ssh/sessions/index';
import { nbg } from '../../support/nbg';
import { startSshd, type Sshd } from '../../support/sshd';
import { sessionInteraction, TEST_PIN, tempDir } from '../../support/sessions';
import { waitClosed, waitForOutput } from '../../support/sessions-sshd';

test('two-jump chain, verify-required everywhere: one PIN per connect, one touch per hop, jump reuse signs once', async (t) => {
  const dir = tempDir(t, 'nbg-chain-');
  const env = { NBG_SIMULATOR: path.join(dir, 'sim.json'), NBG_HOME: path.join(dir, 'home') };
  const keyDir = path.join(dir, 'ssh');
  assert.equal((await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${TEST_PIN}\n` })).code, 0);
  const enrolled = await nbg(['keys', 'enroll', '--dir', keyDir, '--pin-stdin', '--json'], { env, stdin: `${TEST_PIN}\n` });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const { publicKeyLine } = JSON.parse(enrolled.stdout) as { publicKeyLine: string };

  const sshds: Sshd[] = [];
  for (const listen of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) {
    const s = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen });
    t.after(() => s.stop());
    sshds.push(s);
  }
  const [j1, j2, dev] = sshds as [Sshd, Sshd, Sshd];
  const interaction = sessionInteraction('trust-always');
  const { authenticator } = await authenticatorFromEnv({ ...process.env, ...env }, interaction);
  const signer = new AuthenticatorSigner(authenticator, new KeyStore(keyDir));
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
  assert.equal(interaction.pins[0]?.context.hop, 'jump-01');
  assert.deepEqual(interaction.touches.map((c) => c.purpose), [
    'sign in to jump-01', 'sign in to jump-02 via jump-01', 'sign in to leaf-02 via jump-02',
  ]);
  assert.deepEqual(interaction.touches.map((c) => c.hop), ['jump-01', 'jump-02', 'leaf-02']);
  assert.equal(interaction.hostKeys.length, 3, 'each unknown host key asked once');
  assert.deepEqual(states.filter((s) => s.startsWith('connecting')), ['connecting:jump-01', 'connecting:jump-02', 'connecting:leaf-02']);
  assert.equal(states.at(-1), 'open');
  for (const s of sshds) await s.waitForLog(/sk_flags = 0x05/);

  const info = first.info;
  assert.deepEqual(info.chain, [`${j1.user}@127.0.0.2:${j1.port}`, `${j2.user}@127.0.0.3:${j2.port}`]);
  assert.equal(info.route, 'primary');
  assert.equal(info.method, 'security-key');
  assert.equal(info.signatures, 3);
  assert.equal(info.skFlags, 0x05);
  assert.ok((info.lastSkCounter ?? 0) >= 3, 'the simulator counter advanced with each signature');
  assert.equal(info.hostKeyFingerprint, dev.hostKeyFingerprint);

  first.write('echo "hello-$((40+2))"; tty; echo "term=$TERM"\n');
  const text = await waitForOutput(first, /term=xterm-256color/);
  assert.match(text, /hello-42/);
  assert.match(text, /\/dev\/pts\//);

  // Second device session through the open jumps: one signature (the device). Its first PIN is
  // wrong: the key counts it, the person is asked again (told it was wrong), nothing is retried.
  interaction.pinQueue = ['000000'];
  const second = await manager.connect(target, chain);
  assert.equal(second.info.signatures, 1);
  assert.equal(interaction.touches.length, 4);
  assert.equal(interaction.pins.length, 3);
  assert.deepEqual(interaction.pins.slice(1).map((p) => p.previousWrong), [false, true]);
  assert.equal(interaction.pins[2]!.retriesLeft, interaction.pins[1]!.retriesLeft - 1);
  assert.equal(interaction.hostKeys.length, 3, 'trusted-always keys are not asked again');
  assert.deepEqual(manager.pool.refs(chain), [2, 2]);
  second.resize(132, 40);
  second.write('stty size\n');
  await waitForOutput(second, /40 132/);

  first.close();
  assert.equal((await waitClosed(first)).reason, 'user');
  assert.deepEqual(manager.pool.refs(chain), [1, 1]);
  second.write('exit 3\n');
  assert.deepEqual(await waitClosed(second), { kind: 'closed', reason: 'remote-exit', exitCode: 3 });
  assert.equal(manager.pool.size, 0, 'jump connections closed with their last session');
});
