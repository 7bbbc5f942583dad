// Issue 18: connect defaults from what is known. A device the inventory marks "Method D v1.5
// only" starts on the password path; a device whose primary path failed minutes ago starts on
// the backup path, until the window passes or the primary works again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectPlanner } from '../../../../../../electron/core/ssh/sessions/connect-plan';
import { RECENT_FAILURE_MS, RecentAttempts } from '../../../../../../electron/core/ssh/sessions/recent-attempts';
import type { NetworkDevice } from '../../../../../../electron/shared/inventory';
import { Settings } from '../../../../../../electron/shared/settings';

const FABRIC = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedNetworkFabric/networkFabrics/f1';
const device = (name: string, extra: Partial<NetworkDevice> = {}): NetworkDevice => ({
  id: `${FABRIC}/devices/${name}`, name, fabricId: FABRIC, role: 'TOR', hostName: `${name}.fabric`,
  managementIpv4: '10.0.0.1', backupAddress: '10.1.0.1', ...extra,
});

function planner(devices: NetworkDevice[], recent: RecentAttempts): ConnectPlanner {
  const settings = Settings.parse({ defaultJumpHost: { host: '10.9.0.1', user: 'op' } });
  return new ConnectPlanner({ settings: async () => settings, devices: async () => devices, identity: async () => null, drill: false, recent });
}

test('a v1.5-only device defaults to the Method D v1.5 password path; others to key login over the primary', async () => {
  let now = 1_000_000;
  const recent = new RecentAttempts(() => now);
  const p = planner([device('tor1', { configurationState: 'Method D v1.5 only' }), device('tor2')], recent);
  const v15 = await p.defaults(FABRIC, 'tor1');
  assert.equal(v15.method, 'v1.5');
  assert.equal(v15.path, 'primary');
  assert.match(v15.why ?? '', /only Method D v1\.5/);
  const plain = await p.defaults(FABRIC, 'tor2');
  assert.deepEqual([plain.method, plain.path, plain.why], ['v2.0', 'primary', undefined]);

  // The primary of tor2 just failed: the backup path is suggested, with the reason.
  recent.record('tor2.fabric', 'primary', false, 'stalled: key exchange did not finish');
  const after = await p.defaults(FABRIC, 'tor2');
  assert.deepEqual([after.method, after.path], ['v2.0', 'backup']);
  assert.match(after.why ?? '', /failed minutes ago/);
  // ... until the window passes,
  now += RECENT_FAILURE_MS + 1;
  assert.equal((await p.defaults(FABRIC, 'tor2')).path, 'primary');
  // ... or the primary works again.
  recent.record('tor2.fabric', 'primary', false);
  recent.record('tor2.fabric', 'primary', true);
  assert.equal((await p.defaults(FABRIC, 'tor2')).path, 'primary');
  // Without a backup address there is nothing to suggest.
  const noBackup = planner([device('tor3', { backupAddress: undefined })], recent);
  recent.record('tor3.fabric', 'primary', false);
  assert.equal((await noBackup.defaults(FABRIC, 'tor3')).path, 'primary');
});
