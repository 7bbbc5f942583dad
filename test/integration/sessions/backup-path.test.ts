// Backup path: when the device's primary (MA1) address is refused or never sends a banner, the
// session takes the in-band backup, shows it in info/state and records it in the audit log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AuditLog, verifyAuditLog, type AuditEntry } from '../../../electron/core/audit/index';
import { ConnectAbortedError, PathUnreachableError, SessionManager, type Hop, type SessionState, type Target } from '../../../electron/core/ssh/sessions/index';
import { startSshd } from '../../support/sshd';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { acceptNewHostKeys, sessionInteraction, tempDir } from '../../support/sessions';
import { refusedPort, silentListener, waitClosed, waitForOutput } from '../../support/sessions-sshd';

const BANNER_MS = 1500;

test('backup path through the jump when the primary is refused or silent; direct refused + no backup fails typed', async (t) => {
  const key = new SoftSk();
  const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.2' });
  t.after(() => jump.stop());
  const device = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.6' });
  t.after(() => device.stop());
  const silent = await silentListener('127.0.0.5');
  t.after(() => silent.stop());
  const dir = tempDir(t, 'nbg-backup-');
  const audit = await AuditLog.open({ file: path.join(dir, 'audit.jsonl') });
  t.after(() => audit.close());
  const interaction = sessionInteraction();
  const signer = new SoftSkSigner([key]);
  const manager = new SessionManager({
    interaction, signer, audit, timeouts: { bannerMs: BANNER_MS },
    hostKeys: acceptNewHostKeys(dir),
  });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
  const backup = { host: device.host, port: device.port };

  const cases = [
    { why: 'refused', primary: { host: '127.0.0.5', port: await refusedPort('127.0.0.5') } },
    { why: 'silent', primary: { host: '127.0.0.5', port: silent.port } },
  ];
  for (const c of cases) {
    const target: Target = { name: 'leaf-07', user: device.user, ...c.primary, backup };
    const session = manager.open(target, chain);
    const routes: string[] = [];
    session.on('state', (s: SessionState) => { if (s.kind === 'connecting' && s.route) routes.push(s.route); });
    await session.connect();
    assert.deepEqual(routes, ['primary', 'backup'], c.why);
    assert.equal(session.info.route, 'backup', c.why);
    assert.deepEqual(session.state, { kind: 'open', route: 'backup' }, c.why);
    session.write('echo via-$((6*7))\n');
    await waitForOutput(session, /via-42/);
    session.close();
    await waitClosed(session);
  }
  // The device's key is known under its primary name, whichever path carried the login.
  const known = readFileSync(path.join(dir, 'known_hosts'), 'utf8');
  assert.ok(known.includes(`[127.0.0.5]:${cases[0]!.primary.port} `) && !known.includes(`[${device.host}]:${device.port} `), known);
  assert.equal(signer.requests.length, 2 + 2, 'jump + device per connect (the jump closed with the first session); the dead primary costs no signature');

  await assert.rejects(
    manager.connect({ name: 'leaf-09', user: device.user, host: '127.0.0.5', port: await refusedPort('127.0.0.5') }, []),
    (err: unknown) => err instanceof PathUnreachableError && err.why === 'refused',
  );

  // Closing a session while its primary path is still being tried abandons the connect.
  const abandoned = manager.open({ name: 'leaf-08', user: device.user, host: '127.0.0.5', port: silent.port, backup }, chain);
  abandoned.on('state', (s: SessionState) => { if (s.kind === 'connecting' && s.route === 'primary') abandoned.close(); });
  await assert.rejects(abandoned.connect(), (err: unknown) => err instanceof ConnectAbortedError);
  assert.deepEqual(abandoned.state, { kind: 'closed', reason: 'user' });
  assert.equal(manager.pool.size, 0, 'the jump opened for it is let go');

  const verification = await verifyAuditLog(audit.file);
  assert.equal(verification.ok, true);
  const entries = verification.entries as AuditEntry[];
  const outcomes = entries.filter((e) => e.type === 'connect-outcome');
  // Each failed primary is on record (with its reason) before the backup is tried.
  assert.deepEqual(outcomes.map((e) => [e.path, e.outcome]), [
    ['primary', 'failed'], ['backup', 'ok'], ['primary', 'failed'], ['backup', 'ok'], ['primary', 'failed'], ['primary', 'cancelled'],
  ]);
  const attempts = entries.filter((e) => e.type === 'connect-attempt').map((e) => e.path);
  assert.deepEqual(attempts, ['primary', 'backup', 'primary', 'backup', 'primary', 'primary']);
  const okOutcome = outcomes[1];
  assert.ok(okOutcome && okOutcome.type === 'connect-outcome' && okOutcome.skFlags === 0x05 && okOutcome.keyFingerprint);
  assert.ok(entries.some((e) => e.type === 'host-key' && e.decision === 'trust-always'));
  assert.equal(entries.filter((e) => e.type === 'session-end').length, 2);
});
