// Method D v1.5 fallback: a TelcoRO-style local account with a password on a private sshd. The
// password is asked through CoreInteraction.password on every connect and never kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { AuditLog, verifyAuditLog } from '../../../electron/core/audit/index';
import { AuthCancelledError, HopAuthError, SessionManager, type Target } from '../../../electron/core/ssh/sessions/index';
import { nbg } from '../../support/nbg';
import { startSshd } from '../../support/sshd';
import { acceptNewHostKeys, sessionInteraction, tempDir } from '../../support/sessions';
import { waitClosed, waitForOutput } from '../../support/sessions-sshd';

const USER = 'nbgtelco';
const PASSWORD = `Telco-${process.pid}-ro!`;

test('v1.5 password login: asked each connect, wrong password refused, cancel stops, nothing stored', async (t) => {
  t.after(() => {
    try {
      execFileSync('userdel', [USER], { stdio: 'ignore' });
    } catch { /* already gone */ }
  });
  const device = await startSshd({ authorizedKeys: [], passwordAuth: { user: USER, password: PASSWORD }, listen: '127.0.0.7' });
  t.after(() => device.stop());
  const dir = tempDir(t, 'nbg-v15-');
  const audit = await AuditLog.open({ file: path.join(dir, 'audit.jsonl') });
  t.after(() => audit.close());
  const interaction = sessionInteraction();
  const manager = new SessionManager({
    interaction, audit, hostKeys: acceptNewHostKeys(dir),
  });
  t.after(() => manager.closeAll());
  const target: Target = { name: 'ce-01', user: USER, host: device.host, port: device.port, auth: { password: true } };

  interaction.passwordAnswer = PASSWORD;
  for (let i = 1; i <= 2; i++) {
    const session = await manager.connect(target, [], { command: 'id -un' });
    await waitForOutput(session, new RegExp(USER));
    assert.equal(session.info.method, 'password');
    const closed = await waitClosed(session);
    assert.equal(closed.exitCode, 0);
    assert.equal(interaction.passwords.length, i, 'asked again on every connect');
  }
  assert.equal(interaction.passwords[0]?.user, USER);
  assert.equal(interaction.passwords[0]?.context.hop, 'ce-01');

  interaction.passwordAnswer = 'wrong-password';
  await assert.rejects(manager.connect(target, []), HopAuthError);
  interaction.passwordAnswer = null;
  await assert.rejects(manager.connect(target, []), AuthCancelledError);
  await device.waitForLog(/Failed password for nbgtelco/);

  // The same from the command line: the password comes from stdin (--pin-stdin), asked once.
  const cli = await nbg(['ssh', '--password', '--pin-stdin', '--accept-new', '--known-hosts', path.join(dir, 'known_hosts'),
    `${USER}@${device.host}:${device.port}`, '--', 'echo', 'cli-$USER'], { env: { NBG_HOME: path.join(dir, 'home') }, stdin: `${PASSWORD}\n` });
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(cli.stdout, `cli-${USER}\n`);
  assert.ok(!cli.stderr.includes(PASSWORD));

  const { entries } = await verifyAuditLog(audit.file);
  const outcomes = entries.filter((e) => e.type === 'connect-outcome').map((e) => [e.path, e.outcome]);
  assert.deepEqual(outcomes, [['v1.5', 'ok'], ['v1.5', 'ok'], ['v1.5', 'failed'], ['v1.5', 'cancelled']]);
  const raw = JSON.stringify(entries);
  assert.ok(!raw.includes(PASSWORD) && !raw.includes('wrong-password'), 'no password reaches the audit log');
});
