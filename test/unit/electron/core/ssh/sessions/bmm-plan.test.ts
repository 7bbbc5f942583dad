// Bare metal machines: the operator's keyset login (current keysets only, by UPN), the OAM
// address, and the planner's chain over the cluster's fabric jump host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bmmLogin, findMachine, oamAddress } from '../../../../../../electron/core/ssh/sessions/bmm-plan';
import { ConnectPlanner } from '../../../../../../electron/core/ssh/sessions/connect-plan';
import type { Identity } from '../../../../../../electron/shared/identity';
import type { BmmKeyset, ClusterSummary } from '../../../../../../electron/shared/inventory';
import { Settings } from '../../../../../../electron/shared/settings';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const FABRIC = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedNetworkFabric/networkFabrics/f1';
const CLUSTER = '/subscriptions/s/resourceGroups/g/providers/Microsoft.NetworkCloud/clusters/c1';
const me: Identity = { objectId: 'o', displayName: 'Op', userPrincipalName: 'Alice.Ops@contoso.com', mail: null, tenantId: 't' };
const keyset = (name: string, expiration: string, users: BmmKeyset['users']): BmmKeyset => ({
  id: `${CLUSTER}/bareMetalMachineKeySets/${name}`, name, privilegeLevel: 'Standard', expiration, jumpHostsAllowed: ['10.9.0.1'], users,
});
const cluster: ClusterSummary = {
  id: CLUSTER, name: 'c1', fabricId: FABRIC,
  machines: [
    { id: '/subscriptions/s/resourceGroups/m/providers/Microsoft.NetworkCloud/bareMetalMachines/rack1compute01', name: 'rack1compute01', machineName: 'r01c001', oamIpv4: '10.20.0.5' },
    { id: '/subscriptions/s/resourceGroups/m/providers/Microsoft.NetworkCloud/bareMetalMachines/rack1compute02', name: 'rack1compute02', machineName: 'r01c002' },
  ],
  keysets: [
    keyset('old', '2026-01-01T00:00:00Z', [{ azureUserName: 'aliceold', userPrincipalName: 'alice.ops@contoso.com', sshPublicKey: 'k' }]),
    keyset('ops', '2027-06-01T00:00:00Z', [
      { azureUserName: 'bob', userPrincipalName: 'bob@contoso.com', sshPublicKey: 'k' },
      { azureUserName: 'aliceops', userPrincipalName: 'alice.ops@CONTOSO.com', sshPublicKey: 'k' },
    ]),
  ],
};

test('the login is the keyset user of a current keyset naming the operator (an expired keyset has no valid users)', () => {
  assert.equal(bmmLogin(cluster, me, NOW), 'aliceops');
  assert.throws(() => bmmLogin(cluster, me, Date.parse('2027-07-01T00:00:00Z')), { code: 'NO_BMM_KEYSET', message: /Alice\.Ops@contoso\.com is in no current BMM keyset of cluster c1/ });
  assert.throws(() => bmmLogin(cluster, null, NOW), { code: 'NO_BMM_KEYSET' });
});

test('machines are found by id, name or host name; the OAM address answers SSH', () => {
  assert.equal(findMachine([cluster], CLUSTER, 'R01C001').machine.name, 'rack1compute01');
  assert.equal(findMachine([cluster], 'c1', cluster.machines[0]!.id.toUpperCase()).machine.machineName, 'r01c001');
  assert.throws(() => findMachine([cluster], CLUSTER, 'r09c009'), { code: 'UNKNOWN_DEVICE' });
  assert.deepEqual(oamAddress(cluster.machines[0]!), { host: '10.20.0.5', port: 22 });
  assert.throws(() => oamAddress(cluster.machines[1]!), { code: 'NO_ADDRESS', message: /r01c002 has no OAM address/ });
});

test('the planner dials a machine over its fabric\'s jump host, as the keyset login, with no backup path', async () => {
  const settings = Settings.parse({ jumpHosts: { [FABRIC.toLowerCase()]: { host: '10.9.0.1', user: '{alias}', name: 'jump-1' } }, defaultJumpHost: { host: '10.8.0.1', user: 'op' } });
  const planner = new ConnectPlanner({
    settings: async () => settings, devices: async () => [], identity: async () => me, drill: false, clusters: async () => [cluster],
  });
  const plan = await planner.plan({ fabricId: CLUSTER, deviceId: 'r01c001', path: 'primary', method: 'v2.0', target: 'bmm' });
  assert.deepEqual([plan.jumps[0]?.host, plan.jumps[0]?.label], ['10.9.0.1', 'jump-1']);
  assert.deepEqual(plan.target, { user: 'aliceops', host: '10.20.0.5', port: 22, label: 'r01c001' });
  assert.equal(plan.fallback, undefined);
  const defaults = await planner.defaults(CLUSTER, 'rack1compute01', 'bmm');
  assert.deepEqual([defaults.user, defaults.backupAvailable, defaults.method, defaults.path], ['aliceops', false, 'v2.0', 'primary']);
  // Without clusters in the inventory (a build without Network Cloud) the machine is unknown.
  const bare = new ConnectPlanner({ settings: async () => settings, devices: async () => [], identity: async () => me, drill: false });
  await assert.rejects(bare.plan({ fabricId: CLUSTER, deviceId: 'r01c001', path: 'primary', method: 'v2.0', target: 'bmm' }), { code: 'UNKNOWN_DEVICE' });
});
