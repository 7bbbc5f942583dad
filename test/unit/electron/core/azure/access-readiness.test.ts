// Readiness, the Azure half: the fabric role held the way Nexus honours it (direct, or one group
// deep; nested groups flagged with the fix) and the operator's standing in each BMM keyset.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accessChecks, fabricRoleFinding, keysetFinding, KEYSET_WARN_DAYS, type AccessFacts, type KeysetOfCluster } from '../../../../../electron/core/azure/access-readiness';
import type { GroupMemberships } from '../../../../../electron/core/azure/graph-groups';
import type { FabricInfo } from '../../../../../electron/core/azure/inventory-snapshot';
import type { KeysetInfo, KeysetUserStatus } from '../../../../../electron/core/azure/networkcloud';

const NOW = new Date('2026-12-03T12:00:00Z');
const ME = 'operator@contoso.com';
const DIRECT = '0a1b2c3d-0000-4000-8000-00000000b001';
const NESTED = '0a1b2c3d-0000-4000-8000-00000000b002';
const STRANGER = '0a1b2c3d-0000-4000-8000-00000000b003';
const KEYSET_GROUP = 'f110271b-0000-4163-9b99-214d91660f0e';

const memberships: GroupMemberships = {
  direct: new Map([[DIRECT, 'Fabric operators'], [KEYSET_GROUP, null]]),
  all: new Map([[DIRECT, 'Fabric operators'], [KEYSET_GROUP, null], [NESTED, 'Nexus writers']]),
};

const fabric = (name: string, over: Partial<FabricInfo>): FabricInfo => ({
  id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedNetworkFabric/networkFabrics/${name}`, name, subscriptionId: 's',
  subscriptionName: 'sub', resourceGroup: 'rg', location: 'eastus', role: 'Writer', viaGroup: false, groupId: null, roleUnknown: false,
  deviceCount: 1, provisioningState: 'Succeeded', administrativeState: 'Enabled', configurationState: 'Provisioned', ...over,
});

const user = (over: Partial<KeysetUserStatus>): KeysetUserStatus => ({
  azureUserName: 'operator', userPrincipalName: ME, sshPublicKey: 'ssh-ed25519 AAAA', status: 'Active', statusMessage: 'User has been provisioned', ...over,
});
// Shaped after BareMetalMachineKeySets_Get.json (2025-09-01): userList + userListStatus, expiration, azureGroupId.
const keyset = (name: string, days: number, users: KeysetUserStatus[], group = KEYSET_GROUP): KeysetOfCluster => ({
  clusterName: 'clusterName',
  keyset: {
    kind: 'bmm', id: `/x/bareMetalMachineKeySets/${name}`, name, clusterId: '/x', azureGroupId: group, expiration: new Date(NOW.getTime() + days * 86_400_000).toISOString(),
    jumpHostsAllowed: ['192.0.2.1'], privilegeLevel: 'Standard', privilegeLevelName: '', osGroupName: 'standardAccessGroup', provisioningState: 'Succeeded',
    detailedStatus: 'AllActive', detailedStatusMessage: '', lastValidation: '', users, etag: null,
  } satisfies KeysetInfo,
});

describe('fabric role as Nexus counts it', () => {
  it('accepts a role assigned to the operator or to a group they are directly in', () => {
    assert.deepEqual(fabricRoleFinding(fabric('f1', {}), memberships), { state: 'ok', text: 'f1: Nexus Network Fabric Service Writer, assigned to you' });
    const viaGroup = fabricRoleFinding(fabric('f2', { role: 'Reader', viaGroup: true, groupId: DIRECT.toUpperCase() }), memberships);
    assert.equal(viaGroup.state, 'ok');
    assert.match(viaGroup.text, /Reader through group "Fabric operators", which you are directly in/);
  });

  it('flags a role that only comes through a nested group, and says how to fix it', () => {
    const f = fabricRoleFinding(fabric('f3', { viaGroup: true, groupId: NESTED }), memberships);
    assert.equal(f.state, 'fail');
    assert.equal(f.text, 'f3: Nexus Network Fabric Service Writer comes through group "Nexus writers", which you are in only through another group. '
      + 'Nexus ignores nested groups: ask to be added to "Nexus writers" directly, or for the role to be assigned to you');
  });

  it('fails with no role, warns when the role or the memberships cannot be read', () => {
    assert.equal(fabricRoleFinding(fabric('f4', { role: null }), memberships).state, 'fail');
    assert.match(fabricRoleFinding(fabric('f4', { role: null }), memberships).text, /no Nexus Network Fabric Service Reader or Writer role; ask for one/);
    assert.equal(fabricRoleFinding(fabric('f5', { role: null, roleUnknown: true }), memberships).state, 'warn');
    assert.match(fabricRoleFinding(fabric('f6', { viaGroup: true, groupId: NESTED }), undefined).text, /memberships could not be read/);
    assert.match(fabricRoleFinding(fabric('f7', { viaGroup: true, groupId: STRANGER }), memberships).text, /not among your groups in Entra/);
  });
});

describe("the operator's BMM keysets", () => {
  it('is fine when active and not expiring within a week', () => {
    const f = keysetFinding(keyset('ks', 30, [user({})]), ME.toUpperCase(), memberships, NOW);
    assert.deepEqual(f, { state: 'ok', text: 'keyset ks (cluster clusterName): active until 2027-01-02' });
    assert.equal(keysetFinding(keyset('ks', 30, [user({ userPrincipalName: 'someone@contoso.com' })]), ME, memberships, NOW), undefined, 'not listed');
  });

  it('fails on Invalid status, expiry, or not being in the keyset group; warns within 7 days or with no status yet', () => {
    const invalid = keysetFinding(keyset('ks', 30, [user({ status: 'Invalid', statusMessage: 'User is not a valid Azure user' })]), ME, memberships, NOW);
    assert.deepEqual(invalid, { state: 'fail', text: 'keyset ks (cluster clusterName) marks you (operator) invalid: User is not a valid Azure user' });
    assert.match(keysetFinding(keyset('ks', -1, [user({})]), ME, memberships, NOW)!.text, /expired on 2026-12-02; ask a keyset administrator to extend it/);
    assert.match(keysetFinding(keyset('ks', 30, [user({})], STRANGER), ME, memberships, NOW)!.text, /not in its Entra group/);
    const soon = keysetFinding(keyset('ks', 2.5, [user({})]), ME, memberships, NOW)!;
    assert.deepEqual(soon, { state: 'warn', text: 'keyset ks (cluster clusterName) expires on 2026-12-06 (in 3 days); ask to extend it' });
    assert.equal(keysetFinding(keyset('ks', KEYSET_WARN_DAYS + 0.01, [user({})]), ME, memberships, NOW)!.state, 'ok', 'just over a week');
    assert.equal(keysetFinding(keyset('ks', 30, [user({ status: 'Unknown', statusMessage: '' })]), ME, memberships, NOW)!.state, 'warn');
  });
});

describe('accessChecks', () => {
  const facts = (over: Partial<AccessFacts>): AccessFacts => ({
    username: ME, now: NOW,
    fabrics: async () => ({ fabrics: [fabric('f1', {}), fabric('f2', { role: 'Reader', viaGroup: true, groupId: DIRECT })] }),
    memberships: async () => memberships,
    keysets: async () => [keyset('ks', 30, [user({})]), keyset('other', 1, [user({ userPrincipalName: 'x@contoso.com' })])],
    ...over,
  });

  it('sums up in one line per check when all is well', async () => {
    assert.deepEqual(await accessChecks(facts({})), [
      { id: 'fabric-role', state: 'ok', message: 'a Nexus role, held directly or through a group you are directly in, on all 2 fabrics' },
      { id: 'bmm-keysets', state: 'ok', message: 'keyset ks (cluster clusterName): active until 2027-01-02' },
    ]);
  });

  it('names the problems first, with the cache age, and keeps each check independent', async () => {
    const many = Array.from({ length: 6 }, (_, i) => fabric(`n${i}`, { viaGroup: true, groupId: NESTED }));
    const checks = await accessChecks(facts({
      fabrics: async () => ({ fabrics: [fabric('good', {}), ...many], cachedMinutesAgo: 12 }),
      keysets: async () => { throw new Error('list clusters: Azure is unreachable (timeout)'); },
    }));
    assert.equal(checks[0]!.state, 'fail');
    assert.match(checks[0]!.message, /^n0: .*nested groups.*\. n1: .*\. And 2 more\. \(from the inventory saved 12 min ago\)$/);
    assert.ok(!checks[0]!.message.includes('good:'));
    assert.deepEqual(checks[1], { id: 'bmm-keysets', state: 'warn', message: 'could not read the bare metal machine keysets: list clusters: Azure is unreachable (timeout)' });
  });

  it('says what to ask for when no fabric is visible, and that no keyset is needed only for machines', async () => {
    const checks = await accessChecks(facts({ fabrics: async () => ({ fabrics: [] }), keysets: async () => [keyset('other', 30, [])] }));
    assert.equal(checks[0]!.state, 'fail');
    assert.match(checks[0]!.message, /no network fabric is visible to you; ask for the Nexus Network Fabric Service Reader or Writer role/);
    assert.deepEqual(checks[1], { id: 'bmm-keysets', state: 'ok', message: 'you are in no bare metal machine keyset (needed only for SSH to bare metal machines)' });
    const failing = await accessChecks(facts({ memberships: async () => { throw new Error('Graph down'); }, fabrics: async () => ({ fabrics: [fabric('f', { viaGroup: true, groupId: DIRECT })] }) }));
    assert.equal(failing[0]!.state, 'warn', 'a group grant cannot be confirmed without the memberships');
  });
});
