// NetworkCloud against the spec-shaped fake ARM: keyset create (PUT 201 + Azure-AsyncOperation),
// update (PATCH 202 of mutable fields only, If-Match), delete (202 + Location, If-Match), every
// monitor an operationStatuses resource answering 200 {status}; failed, canceled and endless
// operations; 412 re-read and ask; a retried create that finds its own keyset; validation first.
// BMC keysets (clusters/bmcKeySets, ReadOnly/Administrator) go through the same code: their tests
// check the BMC example, the BMC fields on the wire, and that the two kinds stay apart.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AzureConflictError, AzureOperationError, AzureValidationError } from '../../../electron/core/azure/errors';
import type { KeysetConflict } from '../../../electron/core/azure/networkcloud';
import { LongRunningPoller } from '../../../electron/core/azure/long-running';
import type { KeysetSpec } from '../../../electron/core/azure/keyset-validation';
import { BMC_KEYSETS, BMM_KEYSETS } from '../../../electron/core/azure/keyset-kinds';
import { skPubLine } from '../../support/fake-azure/keys';
import { FIXTURE } from '../../support/fake-azure/tenants';
import { startHarness, type Harness } from '../../support/azure-setup';
import { azureInventory } from '../../../electron/core/azure/inventory-service';

describe('NetworkCloud keysets against the fake ARM', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(() => {
    h.resetTenant();
    h.fake.arm.keysets.writes.length = 0;
    h.fake.arm.operations.polls = 2;
  });

  const spec = (): KeysetSpec => ({
    name: 'ops-2026', azureGroupId: '0a1b2c3d-0000-4000-8000-00000000b001', expiration: new Date(Date.now() + 7 * 86400_000).toISOString(),
    jumpHostsAllowed: ['192.0.2.10'], privilegeLevel: 'Other', privilegeLevelName: 'SecurityScanner',
    users: [{ azureUserName: 'alice', userPrincipalName: 'alice@contoso.com', sshPublicKey: skPubLine('alice'), description: 'on call' }],
  });

  it('lists clusters with machines and keysets, and serves the last good listing (marked offline) when ARM is down', async () => {
    const inventory = azureInventory(await h.context({ policy: { maxRetries: 1 } }));
    const live = await inventory.clusters!();
    assert.ok(live.length > 0 && live.every((c) => c.offline === undefined && c.lastSynced !== undefined));
    assert.ok(live.some((c) => c.machines.length > 0), 'the fixture cluster has machines');
    assert.ok(live.some((c) => c.keysets.some((k) => k.users.some((u) => u.userPrincipalName))), 'keyset users carry their UPN');
    h.fake.faults.push({ service: 'arm', times: 1000, reply: { status: 503, headers: { 'retry-after-ms': '1' }, body: { error: { code: 'ServiceUnavailable', message: 'down' } } } });
    const offline = await azureInventory(await h.context({ policy: { maxRetries: 1 } })).clusters!();
    assert.deepEqual(offline.map((c) => ({ ...c, offline: undefined, lastSynced: undefined })), live.map((c) => ({ ...c, offline: undefined, lastSynced: undefined })));
    assert.ok(offline.every((c) => c.offline === true && c.lastSynced === live[0]!.lastSynced));
    h.fake.faults.length = 0;
  });

  it('shows the example keyset with per-user status', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    assert.equal(cluster.customLocationId, '/subscriptions/123e4567-e89b-12d3-a456-426655440000/resourceGroups/resourceGroupName/providers/Microsoft.ExtendedLocation/customLocations/clusterExtendedLocationName');
    const k = await nc.keyset(cluster, 'bareMetalMachineKeySetName');
    assert.equal(k.detailedStatus, 'SomeInvalid');
    assert.deepEqual(k.users.map((u) => [u.azureUserName, u.status, u.statusMessage]), [
      ['userABC', 'Active', 'User has been provisioned'], ['userXYZ', 'Invalid', 'User is not a valid Azure user'],
    ]);
  });

  it('creates with PUT on the cluster custom location and polls Azure-AsyncOperation to the end', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster(FIXTURE.clusterId);
    const k = await nc.createKeyset(cluster, spec());
    assert.equal(k.provisioningState, 'Succeeded');
    assert.equal(k.detailedStatus, 'AllActive');
    const put = h.fake.arm.keysets.writes[0]!;
    assert.equal(put.method, 'PUT');
    assert.equal(put.headers['if-none-match'], '*');
    const body = JSON.parse(put.body) as { location: string; extendedLocation: { name: string; type: string }; properties: Record<string, unknown> };
    assert.deepEqual(body.extendedLocation, { name: cluster.customLocationId, type: 'CustomLocation' });
    assert.deepEqual(Object.keys(body.properties).sort(), ['azureGroupId', 'expiration', 'jumpHostsAllowed', 'privilegeLevel', 'privilegeLevelName', 'userList']);
    assert.equal(h.fake.count('arm', (l) => l.path.includes('operationStatuses')), 3, 'Accepted, Provisioning, then Succeeded');
    assert.equal(h.fake.log.find((l) => l.method === 'PUT')?.status, 201);
  });

  it('patches only the mutable fields and replaces the user list', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    await nc.createKeyset(cluster, spec());
    const users = [{ azureUserName: 'bob', userPrincipalName: 'bob@contoso.com', sshPublicKey: skPubLine('bob') }];
    const k = await nc.updateKeyset(cluster, 'ops-2026', { users, jumpHostsAllowed: ['2001:db8::1'] });
    const patch = h.fake.arm.keysets.writes.find((w) => w.method === 'PATCH')!;
    assert.deepEqual(Object.keys((JSON.parse(patch.body) as { properties: object }).properties).sort(), ['jumpHostsAllowed', 'userList']);
    assert.deepEqual(k.users.map((u) => u.azureUserName), ['bob']);
    assert.equal(k.privilegeLevelName, 'SecurityScanner');
    await assert.rejects(nc.updateKeyset(cluster, 'ops-2026', { expiration: '2020-01-01T00:00:00Z' }), AzureValidationError);
    assert.equal(h.fake.arm.keysets.writes.filter((w) => w.method === 'PATCH').length, 1);
  });

  it('sends If-Match with the ETag it read on PATCH and DELETE', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    const before = await nc.keyset(cluster, 'bareMetalMachineKeySetName');
    assert.match(before.etag ?? '', /^"[0-9a-f-]{36}"$/);
    await nc.updateKeyset(cluster, before.name, { jumpHostsAllowed: ['192.0.2.9'] }, { basis: before });
    const after = await nc.keyset(cluster, before.name);
    assert.notEqual(after.etag, before.etag, 'an accepted write gets a new ETag');
    await nc.deleteKeyset(cluster, before.name, { basis: after });
    assert.deepEqual(h.fake.arm.keysets.writes.map((w) => [w.method, w.headers['if-match']]), [['PATCH', before.etag], ['DELETE', after.etag]]);
  });

  it('deletes through Location, done only when the operation status says Succeeded', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    await nc.deleteKeyset(cluster, 'bareMetalMachineKeySetName');
    // The first poll answers 200 {status: Accepted}: a poller that stops at "not 202" would end here.
    assert.equal(h.fake.count('arm', (l) => l.path.includes('operationStatuses')), 3);
    assert.equal(h.fake.log.find((l) => l.method === 'DELETE')?.status, 202);
    assert.equal((await nc.keysets(cluster)).length, 0);
  });

  it('reports Failed and Canceled operations as failures and gives up on one that never ends', async () => {
    const c = await h.context({ pollLimits: { timeoutMs: 60_000, maxPolls: 4 } });
    const cluster = await c.networkCloud.cluster('clusterName');
    h.fake.arm.operations.next = { status: 'Failed', error: { code: 'InvalidUsers', message: 'user alice is not in group' } };
    await assert.rejects(c.networkCloud.createKeyset(cluster, spec()), (e: unknown) => e instanceof AzureOperationError && /ended Failed: InvalidUsers: user alice is not in group/.test(e.message));
    h.fake.arm.operations.next = { status: 'Canceled', error: { code: 'OperationCanceled', message: 'canceled by an administrator' } };
    await assert.rejects(c.networkCloud.deleteKeyset(cluster, 'bareMetalMachineKeySetName'), { code: 'AZURE_OPERATION', message: /ended Canceled: OperationCanceled/ });
    assert.equal((await c.networkCloud.keysets(cluster)).some((k) => k.name === 'bareMetalMachineKeySetName'), true, 'a canceled delete leaves the keyset');
    h.fake.arm.operations.polls = 100;
    await assert.rejects(c.networkCloud.deleteKeyset(cluster, 'bareMetalMachineKeySetName'), { code: 'AZURE_OPERATION', message: /still Provisioning: gave up after 4 polls/ });
  });

  it('follows a Location monitor that answers 202 while running and 204 when done, on the ARM origin only', async () => {
    const c = await h.context();
    const cluster = await c.networkCloud.cluster('clusterName');
    const poller = new LongRunningPoller(c.http, { timeoutMs: 60_000, maxPolls: 10 }, async () => {});
    const monitor = `${h.fake.urls.arm}/subscriptions/${cluster.subscriptionId}/providers/Microsoft.NetworkCloud/locations/eastus/operationStatuses/loc-1?api-version=2025-09-01`;
    h.fake.faults.push({ service: 'arm', path: 'operationStatuses/loc-1', times: 2, reply: { status: 202, headers: { 'retry-after': '0' } } });
    h.fake.faults.push({ service: 'arm', path: 'operationStatuses/loc-1', times: 1, reply: { status: 204 } });
    await poller.follow('delete keyset x', { location: monitor });
    assert.equal(h.fake.count('arm', (l) => l.path.includes('loc-1')), 3);
    // A monitor URL on another origin is not polled (and gets no token).
    await assert.rejects(poller.follow('delete keyset x', { location: `${h.fake.urls.graph}/operationStatuses/x` }), { code: 'AZURE_BAD_REPLY', message: /not the configured arm endpoint; not followed, no token sent/ });
    assert.equal(h.fake.count('graph'), 0);
  });

  it('on 412 re-reads, shows the other operator\'s change, and applies ours only when told to', async () => {
    const [a, b] = [(await h.context()).networkCloud, (await h.context()).networkCloud];
    const cluster = await a.cluster('clusterName');
    const name = (await a.createKeyset(cluster, spec())).name;
    const readByA = await a.keyset(cluster, name);
    const carol = { azureUserName: 'carol', userPrincipalName: 'carol@contoso.com', sshPublicKey: skPubLine('carol') };
    const dave = { azureUserName: 'dave', userPrincipalName: 'dave@contoso.com', sshPublicKey: skPubLine('dave') };
    await b.updateKeyset(cluster, name, { users: [...readByA.users, carol] });
    const asked: KeysetConflict[] = [];
    await assert.rejects(a.updateKeyset(cluster, name, { users: [...readByA.users, dave] }, { basis: readByA, ask: async (c) => { asked.push(c); return false; } }), AzureConflictError);
    assert.deepEqual(asked[0]!.theirs.lines, ['+ user carol']);
    assert.deepEqual(asked[0]!.ours.lines, ['+ user dave', '- user carol (loses access)']);
    assert.ok((await a.keyset(cluster, name)).users.some((u) => u.azureUserName === 'carol'), 'declined: carol is still there');
    const k = await a.updateKeyset(cluster, name, { users: [...readByA.users, carol, dave] }, { basis: readByA, ask: async () => true });
    assert.deepEqual(k.users.map((u) => u.azureUserName), ['alice', 'carol', 'dave']);
    const patches = h.fake.arm.keysets.writes.filter((w) => w.method === 'PATCH');
    assert.equal(patches.length, 4, 'b, a refused, a refused again, a on the latest version');
    assert.equal(h.fake.log.filter((l) => l.method === 'PATCH' && l.status === 412).length, 2);
    await assert.rejects(a.deleteKeyset(cluster, name, { basis: readByA }), { code: 'AZURE_CONFLICT', message: /changed by someone else/ });
  });

  it('treats a retried create that meets its own keyset (412 from If-None-Match: *) as success', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    // The first PUT is applied but its reply is lost (a gateway 502); the HTTP layer retries it.
    h.fake.faults.push({ service: 'arm', method: 'PUT', times: 1, afterHandler: true, reply: { status: 502, body: { error: { code: 'BadGateway', message: 'lost' } } } });
    const k = await nc.createKeyset(cluster, spec());
    assert.equal(k.name, 'ops-2026');
    assert.deepEqual(h.fake.log.filter((l) => l.method === 'PUT').map((l) => l.status), [502, 412]);
    await assert.rejects(nc.createKeyset(cluster, { ...spec(), jumpHostsAllowed: ['192.0.2.77'] }), { code: 'AZURE_CONFLICT', message: /already exists with other settings/ });
  });

  it('validates before sending anything', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    await assert.rejects(nc.createKeyset(cluster, { ...spec(), users: [{ azureUserName: 'eve', userPrincipalName: '', sshPublicKey: 'not a key' }] }), (e: unknown) => {
      assert.ok(e instanceof AzureValidationError);
      assert.equal(e.problems.length, 2);
      return true;
    });
    assert.equal(h.fake.arm.keysets.writes.length, 0);
  });

  const bmcSpec = (): KeysetSpec => ({
    name: 'bmc-oncall', azureGroupId: '0a1b2c3d-0000-4000-8000-00000000b001', expiration: new Date(Date.now() + 7 * 86400_000).toISOString(),
    jumpHostsAllowed: [], privilegeLevel: 'ReadOnly',
    users: [{ azureUserName: 'alice', userPrincipalName: 'alice@contoso.com', sshPublicKey: skPubLine('alice') }],
  });
  const bmcPath = (name: string): string => `${FIXTURE.clusterId}/bmcKeySets/${name}`;

  it('BMC keysets: lists the BMC keyset of the example, apart from the BMM keysets, with per-user status', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    const bmc = await nc.keysets(cluster, BMC_KEYSETS);
    assert.deepEqual(bmc.map((k) => [k.kind, k.name, k.privilegeLevel, k.clusterId]), [['bmc', 'bmcKeySetName', 'Administrator', FIXTURE.clusterId]]);
    assert.deepEqual(bmc[0]!.users.map((u) => [u.azureUserName, u.status]), [['userABC', 'Active'], ['userXYZ', 'Invalid']]);
    assert.deepEqual((await nc.keysets(cluster, BMM_KEYSETS)).map((k) => k.name), ['bareMetalMachineKeySetName']);
    assert.ok(h.fake.log.some((l) => l.path.includes('/clusters/clusterName/bmcKeySets')), 'read from the bmcKeySets collection');
    const one = await nc.keyset(cluster, 'bmcKeySetName', BMC_KEYSETS);
    assert.match(one.etag ?? '', /^"[0-9a-f-]{36}"$/);
  });

  it('BMC keysets: creates with only the BMC fields and waits for the operation to succeed', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster(FIXTURE.clusterId);
    const k = await nc.createKeyset(cluster, { ...bmcSpec(), privilegeLevel: 'Administrator' }, BMC_KEYSETS);
    assert.deepEqual([k.kind, k.provisioningState, k.detailedStatus, k.privilegeLevel], ['bmc', 'Succeeded', 'AllActive', 'Administrator']);
    const put = h.fake.arm.keysets.writes[0]!;
    assert.equal(put.id, bmcPath('bmc-oncall'));
    assert.equal(put.headers['if-none-match'], '*');
    assert.deepEqual(Object.keys((JSON.parse(put.body) as { properties: object }).properties).sort(), ['azureGroupId', 'expiration', 'privilegeLevel', 'userList']);
    assert.equal(h.fake.count('arm', (l) => l.path.includes('operationStatuses')), 3, 'Accepted, Provisioning, then Succeeded');
    const stored = h.fake.arm.resources.get(bmcPath('bmc-oncall').toLowerCase())!;
    assert.equal(stored.type, 'Microsoft.NetworkCloud/clusters/bmcKeySets');
  });

  it('BMC keysets: patches expiration and users with If-Match, and deletes through Location', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    const before = await nc.keyset(cluster, 'bmcKeySetName', BMC_KEYSETS);
    const bob = { azureUserName: 'bob', userPrincipalName: 'bob@contoso.com', sshPublicKey: skPubLine('bob') };
    const expiration = new Date(Date.now() + 3 * 86400_000).toISOString();
    const k = await nc.updateKeyset(cluster, before.name, { users: [bob], expiration }, { basis: before, kind: BMC_KEYSETS });
    assert.deepEqual(k.users.map((u) => u.azureUserName), ['bob']);
    assert.equal(Date.parse(k.expiration), Date.parse(expiration));
    const patch = h.fake.arm.keysets.writes.find((w) => w.method === 'PATCH')!;
    assert.deepEqual(Object.keys((JSON.parse(patch.body) as { properties: object }).properties).sort(), ['expiration', 'userList']);
    assert.equal(patch.headers['if-match'], before.etag);
    await assert.rejects(nc.updateKeyset(cluster, before.name, { jumpHostsAllowed: ['192.0.2.1'] }, { kind: BMC_KEYSETS }), AzureValidationError);
    await nc.deleteKeyset(cluster, before.name, { kind: BMC_KEYSETS });
    assert.equal(h.fake.log.find((l) => l.method === 'DELETE')?.status, 202);
    assert.deepEqual(await nc.keysets(cluster, BMC_KEYSETS), []);
    assert.equal((await nc.keysets(cluster, BMM_KEYSETS)).length, 1, 'the BMM keyset is untouched');
  });

  it('BMC keysets: on 412 names the BMC keyset, shows the other change and asks; a retried create finds its own keyset', async () => {
    const [a, b] = [(await h.context()).networkCloud, (await h.context()).networkCloud];
    const cluster = await a.cluster('clusterName');
    const readByA = await a.createKeyset(cluster, bmcSpec(), BMC_KEYSETS);
    const carol = { azureUserName: 'carol', userPrincipalName: 'carol@contoso.com', sshPublicKey: skPubLine('carol') };
    await b.updateKeyset(cluster, readByA.name, { users: [...readByA.users, carol] }, { kind: BMC_KEYSETS });
    const asked: KeysetConflict[] = [];
    await assert.rejects(a.deleteKeyset(cluster, readByA.name, { basis: readByA, kind: BMC_KEYSETS, ask: async (c) => { asked.push(c); return false; } }),
      { code: 'AZURE_CONFLICT', message: /BMC keyset bmc-oncall was changed by someone else/ });
    assert.deepEqual(asked[0]!.theirs.lines, ['+ user carol']);
    assert.ok(asked[0]!.ours.lines.includes('- user carol (loses access)'));

    h.fake.faults.push({ service: 'arm', method: 'PUT', times: 1, afterHandler: true, reply: { status: 502, body: { error: { code: 'BadGateway', message: 'lost' } } } });
    const k = await a.createKeyset(cluster, { ...bmcSpec(), name: 'bmc-retry' }, BMC_KEYSETS);
    assert.equal(k.name, 'bmc-retry');
    assert.deepEqual(h.fake.log.filter((l) => l.method === 'PUT').map((l) => l.status), [201, 502, 412], 'our first create, then the retried one');
    await assert.rejects(a.createKeyset(cluster, { ...bmcSpec(), name: 'bmc-retry', privilegeLevel: 'Administrator' }, BMC_KEYSETS), { code: 'AZURE_CONFLICT', message: /a BMC keyset named bmc-retry already exists/ });
  });
});
