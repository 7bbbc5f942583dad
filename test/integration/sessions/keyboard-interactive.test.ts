// Method D v1.5 over keyboard-interactive (how many network OSes ask for TelcoRO/TelcoRW
// passwords): an ssh2 server that offers only keyboard-interactive. The server's own prompt
// text reaches the person; the answer is asked on every connect and never kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { AuthCancelledError, HopAuthError, SessionManager, type Target } from '../../../electron/core/ssh/sessions/index';
import { acceptNewHostKeys, sessionInteraction, tempDir } from '../../support/sessions';
import { generateEd25519OpenSshKey } from '../../../electron/drill/host-keys';
import { waitClosed } from '../../support/sessions-sshd';

const PASSWORD = 'Telco-RW-kbd';
const SERVER_PROMPT = 'TelcoRW password: ';

test('keyboard-interactive v1.5 login shows the server prompt, refuses a wrong answer, stops on cancel', async (t) => {
  // Not ssh2's keygen: it drops leading zero bytes of the public key (about one key in 256 unreadable).
  const hostKey = generateEd25519OpenSshKey('kbd-test');
  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'keyboard-interactive') return ctx.reject(['keyboard-interactive']);
      ctx.prompt([{ prompt: SERVER_PROMPT, echo: false }], 'Nexus fabric', (answers) => {
        if (answers[0] === PASSWORD) ctx.accept();
        else ctx.reject(['keyboard-interactive']);
      });
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          channel.write(`ran: ${info.command}\n`);
          channel.exit(0);
          channel.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.15', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;

  const dir = tempDir(t, 'nbg-kbd-');
  const interaction = sessionInteraction();
  const manager = new SessionManager({
    interaction, hostKeys: acceptNewHostKeys(dir),
  });
  t.after(() => manager.closeAll());
  const target: Target = { name: 'tor-01', user: 'TelcoRW', host: '127.0.0.15', port, auth: { password: true } };

  interaction.passwordAnswer = PASSWORD;
  const session = await manager.connect(target, [], { command: 'show version' });
  let out = '';
  session.on('data', (d: Buffer) => { out += d.toString(); });
  assert.equal((await waitClosed(session)).exitCode, 0);
  assert.equal(out, 'ran: show version\n');
  assert.equal(session.info.method, 'password');
  assert.deepEqual(interaction.passwords.map((q) => [q.prompt, q.user, q.context.hop]), [['TelcoRW password:', 'TelcoRW', 'tor-01']]);

  interaction.passwordAnswer = 'not-it';
  await assert.rejects(manager.connect(target, [], { command: 'true' }), HopAuthError);
  interaction.passwordAnswer = null;
  await assert.rejects(manager.connect(target, [], { command: 'true' }), AuthCancelledError);
  assert.equal(interaction.passwords.length, 3, 'asked on every attempt, never remembered');
});
