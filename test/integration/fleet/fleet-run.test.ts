// FleetRun against the drill fabric (loopback, EOS-like shell, sk publickey): skip and stop, the
// jump logged in to once, the backup path per device, and the audit events of a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEventInput } from '../../../electron/core/audit/events';
import { FleetRun, type FleetTarget } from '../../../electron/core/fleet/fleet-run';
import { CommandRefusedError } from '../../../electron/core/fleet/read-only';
import { SessionManager } from '../../../electron/core/ssh/sessions/index';
import { startDrillFabric, type DrillFabric } from '../../../electron/drill/fabric';
import { acceptNewHostKeys, sessionInteraction, tempDir } from '../../support/sessions';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';

const USER = 'operator@fleet.test';

async function setup(t: { after(fn: () => unknown): void }) {
  const key = new SoftSk();
  const dir = tempDir(t, 'nbg-fleet-run-');
  const fabric = await startDrillFabric({ config: { users: [{ name: USER, keys: [key.publicKeyLine], role: 'reader' }] }, home: dir, port: 0 });
  t.after(() => fabric.stop());
  const signer = new SoftSkSigner([key]);
  const manager = new SessionManager({ interaction: sessionInteraction(), signer, hostKeys: acceptNewHostKeys(dir) });
  t.after(() => manager.closeAll());
  const events: AuditEventInput[] = [];
  const audit = { append: async (e: AuditEventInput) => { events.push(e); return e as never; } };
  return { fabric, signer, manager, events, audit };
}

const tors = (fabric: DrillFabric): FleetTarget[] => fabric.devices.filter((d) => d.role === 'ToR').map((d) => ({
  name: d.name, fabric: 'drill-fabric',
  route: { target: { user: USER, host: d.primary.host, port: d.primary.port, name: d.hostname, backup: d.backup },
    chain: [{ user: USER, host: fabric.jump.host, port: fabric.jump.port, name: 'drill-jump' }] },
}));

test('a fleet run: every ToR answers (two over the backup path), one jump login, audit start/output/end', { timeout: 120_000 }, async (t) => {
  const { fabric, signer, manager, events, audit } = await setup(t);
  const logins: string[] = [];
  const result = await new FleetRun(tors(fabric), ['show version', 'show hostname'], {
    manager, audit, perJump: 2, onProgress: (p) => { if (p.kind === 'login') logins.push(`${p.index}/${p.total} ${p.device} via ${p.via}`); },
  }).run();
  assert.deepEqual(result.devices.map((d) => [d.name, d.status, d.path]),
    [['ToR1', 'ok', 'backup'], ['ToR2', 'ok', 'primary'], ['ToR3', 'ok', 'backup'], ['ToR4', 'ok', 'primary']]);
  for (const d of result.devices) assert.match(d.commands[1]!.output, new RegExp(`Hostname: nx-${d.name.toLowerCase()}-`));
  assert.equal(signer.requests.length, 5, 'the jump once, each device once');
  assert.equal(result.signatures, 5);
  assert.deepEqual(logins.map((l) => l.split(' ')[0]), ['1/4', '2/4', '3/4', '4/4']);
  assert.ok(logins.every((l) => / via drill-jump$/.test(l)));
  assert.deepEqual(events.filter((e) => e.type.startsWith('fleet')).map((e) => e.type),
    ['fleet-run', ...Array(8).fill('fleet-output'), 'fleet-run']);
});

test('skip leaves one device out before it logs in; stop ends the run and the rest never log in', { timeout: 120_000 }, async (t) => {
  const { fabric, signer, manager } = await setup(t);
  const skipping = new FleetRun(tors(fabric), ['show version'], { manager, perJump: 1 });
  const running = skipping.run();
  skipping.skip('ToR4');
  const skipped = await running;
  assert.deepEqual(skipped.devices.map((d) => [d.name, d.status]), [['ToR1', 'ok'], ['ToR2', 'ok'], ['ToR3', 'ok'], ['ToR4', 'skipped']]);
  assert.equal(signer.requests.length, 4, 'jump + three devices; the skipped one never signed');

  const before = signer.requests.length;
  const stopping: FleetRun = new FleetRun(tors(fabric), ['show version'], {
    manager, perJump: 1, onProgress: (p) => { if (p.kind === 'device-done') stopping.stop(); },
  });
  const stopped = await stopping.run();
  const ok = stopped.devices.filter((d) => d.status === 'ok').length;
  assert.ok(ok >= 1 && ok < 4, `some finished before the stop (${ok})`);
  assert.ok(stopped.devices.slice(ok).every((d) => d.status === 'stopped'), JSON.stringify(stopped.devices.map((d) => d.status)));
  assert.ok(signer.requests.length - before <= ok + 1, 'no login after the stop (one jump login at most, then one per finished device)');
});

test('refused commands throw before anything is dialled', async (t) => {
  const { fabric, signer, manager } = await setup(t);
  assert.throws(() => new FleetRun(tors(fabric), ['show version', 'configure terminal'], { manager }), CommandRefusedError);
  assert.equal(signer.requests.length, 0);
  assert.equal(fabric.events().filter((e) => e.kind === 'auth').length, 0, 'the fabric saw no login');
});
