// NetworkCloud against the fake ARM: keyset create (PUT + Azure-AsyncOperation), update (PATCH
// of mutable fields only), delete (Location), failed and endless operations, validation first.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AzureOperationError, AzureValidationError } from '../../../electron/core/azure/errors';
import type { KeysetSpec } from '../../../electron/core/azure/keyset-validation';
import { skPubLine } from '../../support/fake-azure/keys';
import { FIXTURE } from '../../support/fake-azure/tenants';
import { startHarness, type Harness } from '../../support/azure-setup';

describe('NetworkCloud keysets against the fake ARM', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(() => {
    h.resetTenant();
    h.fake.arm.writes.length = 0;
    h.fake.arm.lroPolls = 2;
  });

  const spec = (): KeysetSpec => ({
    name: 'ops-2026', azureGroupId: '0a1b2c3d-0000-4000-8000-00000000b001', expiration: new Date(Date.now() + 7 * 86400_000).toISOString(),
    jumpHostsAllowed: ['192.0.2.10'], privilegeLevel: 'Other', privilegeLevelName: 'SecurityScanner',
    users: [{ azureUserName: 'alice', userPrincipalName: 'alice@contoso.com', sshPublicKey: skPubLine('alice'), description: 'on call' }],
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
    const put = h.fake.arm.writes[0]!;
    assert.equal(put.method, 'PUT');
    assert.equal(put.headers['if-none-match'], '*');
    const body = JSON.parse(put.body) as { location: string; extendedLocation: { name: string; type: string }; properties: Record<string, unknown> };
    assert.deepEqual(body.extendedLocation, { name: cluster.customLocationId, type: 'CustomLocation' });
    assert.deepEqual(Object.keys(body.properties).sort(), ['azureGroupId', 'expiration', 'jumpHostsAllowed', 'privilegeLevel', 'privilegeLevelName', 'userList']);
    assert.equal(h.fake.count('arm', (l) => l.path.includes('operationStatuses')), 3, 'two InProgress polls, then Succeeded');
  });

  it('patches only the mutable fields and replaces the user list', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    await nc.createKeyset(cluster, spec());
    const users = [{ azureUserName: 'bob', userPrincipalName: 'bob@contoso.com', sshPublicKey: skPubLine('bob') }];
    const k = await nc.updateKeyset(cluster, 'ops-2026', { users, jumpHostsAllowed: ['2001:db8::1'] });
    const patch = h.fake.arm.writes.find((w) => w.method === 'PATCH')!;
    assert.deepEqual(Object.keys((JSON.parse(patch.body) as { properties: object }).properties).sort(), ['jumpHostsAllowed', 'userList']);
    assert.deepEqual(k.users.map((u) => u.azureUserName), ['bob']);
    assert.equal(k.privilegeLevelName, 'SecurityScanner');
    await assert.rejects(nc.updateKeyset(cluster, 'ops-2026', { expiration: '2020-01-01T00:00:00Z' }), AzureValidationError);
    assert.equal(h.fake.arm.writes.filter((w) => w.method === 'PATCH').length, 1);
  });

  it('deletes through the Location header', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    await nc.deleteKeyset(cluster, 'bareMetalMachineKeySetName');
    assert.equal((await nc.keysets(cluster)).length, 0);
    assert.equal(h.fake.count('arm', (l) => l.path.includes('kind=location')), 3);
  });

  it('surfaces a failed operation and gives up on one that never ends', async () => {
    const c = await h.context({ pollLimits: { timeoutMs: 60_000, maxPolls: 4 } });
    const cluster = await c.networkCloud.cluster('clusterName');
    h.fake.arm.failNextOperation = { code: 'InvalidUsers', message: 'user alice is not in group' };
    await assert.rejects(c.networkCloud.createKeyset(cluster, spec()), (e: unknown) => e instanceof AzureOperationError && /ended Failed: InvalidUsers: user alice is not in group/.test(e.message));
    h.fake.arm.lroPolls = 100;
    await assert.rejects(c.networkCloud.deleteKeyset(cluster, 'ops-2026'), { code: 'AZURE_OPERATION', message: /gave up after 4 polls/ });
  });

  it('validates before sending anything', async () => {
    const nc = (await h.context()).networkCloud;
    const cluster = await nc.cluster('clusterName');
    await assert.rejects(nc.createKeyset(cluster, { ...spec(), users: [{ azureUserName: 'eve', userPrincipalName: '', sshPublicKey: 'not a key' }] }), (e: unknown) => {
      assert.ok(e instanceof AzureValidationError);
      assert.equal(e.problems.length, 2);
      return true;
    });
    assert.equal(h.fake.arm.writes.length, 0);
  });
});
