// Issue 18: connect defaults from what is known. A device the inventory marks "Method D v1.5
// only" starts on the password path; a device whose primary path failed minutes ago starts on
// the backup path, until the window passes or the primary works again. What failed is read from
// the connect history file, so it survives a restart and another process (nbg) sees it too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectPlanner } from '../../../../../../electron/core/ssh/sessions/connect-plan';
import { ConnectHistoryStore, RECENT_FAILURE_MS } from '../../../../../../electron/core/workspace/connect-history';
import type { NetworkDevice } from '../../../../../../electron/shared/inventory';
import { Settings } from '../../../../../../electron/shared/settings';

const FABRIC = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedNetworkFabric/networkFabrics/f1';
const device = (name: string, extra: Partial<NetworkDevice> = {}): NetworkDevice => ({
  id: `${FABRIC}/devices/${name}`, name, fabricId: FABRIC, role: 'TOR', hostName: `${name}.fabric`,
  managementIpv4: '10.0.0.1', backupAddress: '10.1.0.1', ...extra,
});
const ref = (name: string) => ({ fabricId: FABRIC, deviceId: `${FABRIC}/devices/${name}` });

function planner(devices: NetworkDevice[], recent: ConnectHistoryStore): ConnectPlanner {
  const settings = Settings.parse({ defaultJumpHost: { host: '10.9.0.1', user: 'op' } });
  return new ConnectPlanner({ settings: async () => settings, devices: async () => devices, identity: async () => null, drill: false, recent });
}

test('a v1.5-only device defaults to the Method D v1.5 password path; others to key login over the primary', async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-defaults-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  let now = 1_000_000;
  const store = new ConnectHistoryStore(path.join(home, 'connect-history.json'), () => now);
  const p = planner([device('tor1', { configurationState: 'Method D v1.5 only' }), device('tor2')], store);
  const v15 = await p.defaults(FABRIC, 'tor1');
  assert.equal(v15.method, 'v1.5');
  assert.equal(v15.path, 'primary');
  assert.match(v15.why ?? '', /only Method D v1\.5/);
  const plain = await p.defaults(FABRIC, 'tor2');
  assert.deepEqual([plain.method, plain.path, plain.why], ['v2.0', 'primary', undefined]);

  // The primary of tor2 just failed (the backup answered): the backup path is suggested, with the reason,
  await store.record({ ...ref('tor2'), at: now, outcome: 'backup', primaryFailed: true, address: '10.0.0.1' });
  const after = await p.defaults(FABRIC, 'tor2');
  assert.deepEqual([after.method, after.path], ['v2.0', 'backup']);
  assert.match(after.why ?? '', /failed minutes ago/);
  // ... by another process too (a fresh store on the same file: an app reload, or nbg),
  const reloaded = planner([device('tor2')], new ConnectHistoryStore(store.file, () => now));
  assert.equal((await reloaded.defaults(FABRIC, 'tor2')).path, 'backup');
  // ... until the window passes,
  now += RECENT_FAILURE_MS + 1;
  assert.equal((await p.defaults(FABRIC, 'tor2')).path, 'primary');
  // ... or the primary works again.
  await store.record({ ...ref('tor2'), at: now, outcome: 'unreachable', primaryFailed: true, address: '10.0.0.1' });
  assert.equal((await p.defaults(FABRIC, 'tor2')).path, 'backup');
  await store.record({ ...ref('tor2'), at: now, outcome: 'answered', address: '10.0.0.1' });
  assert.equal((await p.defaults(FABRIC, 'tor2')).path, 'primary');
  // A refused login over the primary says nothing about the address.
  await store.record({ ...ref('tor2'), at: now, outcome: 'refused', address: '10.0.0.1' });
  assert.equal((await p.defaults(FABRIC, 'tor2')).path, 'primary');
  // Without a backup address there is nothing to suggest.
  const noBackup = planner([device('tor3', { backupAddress: undefined })], store);
  await store.record({ ...ref('tor3'), at: now, outcome: 'unreachable', primaryFailed: true });
  assert.equal((await noBackup.defaults(FABRIC, 'tor3')).path, 'primary');
  // nbg ssh names addresses: the failure is found by the management address.
  assert.equal((await store.primaryFailedAt('10.0.0.1')), undefined, 'the last attempt there was a refused login');
  await store.record({ ...ref('tor2'), at: now, outcome: 'backup', primaryFailed: true, address: '10.0.0.1' });
  assert.equal((await store.primaryFailedAt('10.0.0.1'))?.deviceId, ref('tor2').deviceId);
});
