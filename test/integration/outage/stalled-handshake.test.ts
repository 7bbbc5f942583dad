// Issue 18: a host that sends its SSH banner and then stalls is bounded by the connect timeout
// in the phase it stalls in (key exchange here), not by the 180 s login ceiling; with a backup
// address the backup is used, and both attempts are on record with why the first one failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { AuditLog, verifyAuditLog, type AuditEntry } from '../../../electron/core/audit/index';
import { PathUnreachableError, SessionManager, type Hop, type SessionState } from '../../../electron/core/ssh/sessions/index';
import { SoftSkSigner } from '../../support/soft-sk';
import { jumpAndDevice, acceptNewHostKeys, sessionInteraction, tempDir } from '../../support/sessions';
import { bannerThenStall } from '../../support/sessions-sshd';

const CONNECT_TIMEOUT_MS = 1500;
/** Far below the 180 s ceiling the stall used to wait for, and far above a busy machine's jitter. */
const BOUND_MS = 20 * CONNECT_TIMEOUT_MS;

test('a jump that stalls after its banner fails in the key exchange phase, within the connect timeout', async (t) => {
  const { key, device } = await jumpAndDevice(t, '127.0.0.6');
  const stall = await bannerThenStall('127.0.0.3');
  t.after(() => stall.stop());
  const dir = tempDir(t, 'nbg-stall-');
  const manager = new SessionManager({
    interaction: sessionInteraction(), signer: new SoftSkSigner([key]), hostKeys: acceptNewHostKeys(dir),
    timeouts: { bannerMs: CONNECT_TIMEOUT_MS, phaseMs: CONNECT_TIMEOUT_MS },
  });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: device.user, host: '127.0.0.3', port: stall.port }];
  const started = Date.now();
  await assert.rejects(manager.connect({ name: 'leaf-02', user: device.user, host: device.host, port: device.port }, chain),
    (err: unknown) => err instanceof PathUnreachableError && err.why === 'stalled' && /key exchange did not finish/.test(err.message));
  assert.ok(Date.now() - started < BOUND_MS, `took ${Date.now() - started} ms`);
});

test('a device primary that stalls after its banner: the backup path is used, both attempts on record', async (t) => {
  const { key, jump, device } = await jumpAndDevice(t, '127.0.0.6');
  const stall = await bannerThenStall('127.0.0.5');
  t.after(() => stall.stop());
  const dir = tempDir(t, 'nbg-stall-backup-');
  const audit = await AuditLog.open({ file: path.join(dir, 'audit.jsonl') });
  t.after(() => audit.close());
  const manager = new SessionManager({
    interaction: sessionInteraction(), signer: new SoftSkSigner([key]), hostKeys: acceptNewHostKeys(dir), audit,
    timeouts: { bannerMs: CONNECT_TIMEOUT_MS, phaseMs: CONNECT_TIMEOUT_MS },
  });
  t.after(() => manager.closeAll());
  const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
  const session = manager.open({ name: 'leaf-07', user: device.user, host: '127.0.0.5', port: stall.port,
    backup: { host: device.host, port: device.port } }, chain, { command: 'echo backup-ok' });
  const routes: string[] = [];
  const failures: string[] = [];
  session.on('state', (s: SessionState) => { if (s.kind === 'connecting' && s.route) routes.push(s.route); });
  session.on('route-failed', (route, err) => failures.push(`${route}: ${(err as Error).message}`));
  await session.connect();
  assert.deepEqual(routes, ['primary', 'backup']);
  assert.equal(session.info.route, 'backup');
  assert.equal(failures.length, 1);
  assert.match(failures[0]!, /^primary: .*stalled: key exchange did not finish/);
  assert.equal((await session.whenClosed()).exitCode, 0);

  const entries = (await verifyAuditLog(audit.file)).entries as AuditEntry[];
  const record = entries.filter((e) => e.type === 'connect-attempt' || e.type === 'connect-outcome')
    .map((e) => [e.type, e.path, e.type === 'connect-outcome' ? e.outcome : '']);
  assert.deepEqual(record, [
    ['connect-attempt', 'primary', ''], ['connect-outcome', 'primary', 'failed'],
    ['connect-attempt', 'backup', ''], ['connect-outcome', 'backup', 'ok'],
  ]);
  const failed = entries.find((e) => e.type === 'connect-outcome' && e.outcome === 'failed');
  assert.ok(failed?.type === 'connect-outcome' && /key exchange/.test(failed.error?.message ?? ''));
});
