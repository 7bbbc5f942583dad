// Readiness against the spec-shaped fake: roles from ARM assignedTo() (transitive, as ARM is),
// group memberships from Graph /me/memberOf and /me/transitiveMemberOf (paged by @odata.nextLink),
// and the keysets of BareMetalMachineKeySets_Get.json with the operator added to their user list.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entraReadiness, type ReadinessCheck } from '../../../electron/core/azure/key-readiness';
import type { ArmResource } from '../../support/fake-azure/arm';
import { startHarness, type Harness } from '../../support/azure-setup';
import { FIXTURE, READER_ROLE_ID } from '../../support/fake-azure/tenants';

const DIRECT = '0a1b2c3d-0000-4000-8000-00000000b001';
const NESTED = '0a1b2c3d-0000-4000-8000-00000000b002';
const KEYSET_ID = `${FIXTURE.clusterId}/bareMetalMachineKeySets/bareMetalMachineKeySetName`;

describe('readiness: fabric roles and BMM keysets against the fake', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(() => h.close());
  beforeEach(() => {
    h.resetTenant();
    h.fake.idp.user.nestedGroups = [NESTED];
    h.fake.idp.user.groupNames = { [DIRECT]: 'Fabric operators', [NESTED]: 'Nexus readers' };
    h.fake.graph.membershipPageSize = 1;
  });

  const checks = async (): Promise<Record<string, ReadinessCheck>> => {
    const c = await h.context();
    const r = await entraReadiness(c, { localKey: async () => null, securityKey: async () => ({ present: true }) }).check();
    return Object.fromEntries(r.checks.map((x) => [x.id, x]));
  };

  /** The spec example keyset with the operator added to userList and userListStatus. */
  const listOperator = (status: 'Active' | 'Invalid', expiresInDays: number, group: string): void => {
    const ks = h.fake.arm.resources.get(KEYSET_ID.toLowerCase()) as ArmResource & { properties: Record<string, unknown> };
    const p = ks.properties as { userList: unknown[]; userListStatus: unknown[] };
    p.userList = [...p.userList, { azureUserName: 'nexusop', description: 'break-glass', sshPublicKey: { keyData: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE' }, userPrincipalName: h.fake.idp.user.upn }];
    p.userListStatus = [...p.userListStatus, { azureUserName: 'nexusop', status, statusMessage: status === 'Active' ? 'User has been provisioned' : 'User is not a valid Azure user' }];
    ks.properties = { ...ks.properties, azureGroupId: group, expiration: new Date(Date.now() + expiresInDays * 86_400_000).toISOString() };
  };

  it('accepts a direct role and a role through a group the operator is directly in', async () => {
    const c = await checks();
    assert.equal(c['fabric-role']!.state, 'ok', c['fabric-role']!.message);
    assert.match(c['fabric-role']!.message, /on all 2 fabrics/);
    // The spec example keyset lists userABC and userXYZ, not this operator.
    assert.deepEqual([c['bmm-keysets']!.state, c['bmm-keysets']!.message], ['ok', 'you are in no bare metal machine keyset (needed only for SSH to bare metal machines)']);
    const graph = h.fake.log.filter((l) => l.service === 'graph' && /memberOf/i.test(l.path));
    assert.ok(graph.some((l) => l.path.includes('%24skiptoken') || l.path.includes('$skiptoken')), 'followed @odata.nextLink');
  });

  it('flags a role that comes only through a nested group, with the fix', async () => {
    h.fake.arm.roleAssignments = h.fake.arm.roleAssignments.map((a) => (a.properties.principalId === DIRECT
      ? { ...a, properties: { ...a.properties, principalId: NESTED, roleDefinitionId: a.properties.roleDefinitionId.replace(/[^/]+$/, READER_ROLE_ID) } } : a));
    const c = await checks();
    assert.equal(c['fabric-role']!.state, 'fail');
    assert.match(c['fabric-role']!.message, /fabric-b: Nexus Network Fabric Service Reader comes through group "Nexus readers", which you are in only through another group\. Nexus ignores nested groups: ask to be added to "Nexus readers" directly/);
  });

  it("reports the operator's keyset: expiring soon, invalid, or outside the keyset's group", async () => {
    listOperator('Active', 3, DIRECT);
    let c = await checks();
    assert.equal(c['bmm-keysets']!.state, 'warn');
    assert.match(c['bmm-keysets']!.message, /^keyset bareMetalMachineKeySetName \(cluster clusterName\) expires on \d{4}-\d\d-\d\d \(in 3 days\); ask to extend it\.$/);

    h.resetTenant();
    listOperator('Invalid', 30, DIRECT);
    c = await checks();
    assert.equal(c['bmm-keysets']!.state, 'fail');
    assert.match(c['bmm-keysets']!.message, /marks you \(nexusop\) invalid: User is not a valid Azure user/);

    // The spec example's own azureGroupId, which this operator is not in.
    h.resetTenant();
    listOperator('Active', 30, 'f110271b-XXXX-4163-9b99-214d91660f0e');
    c = await checks();
    assert.equal(c['bmm-keysets']!.state, 'fail');
    assert.match(c['bmm-keysets']!.message, /not in its Entra group \(f110271b-XXXX-4163-9b99-214d91660f0e\)/);

    h.resetTenant();
    listOperator('Active', 30, DIRECT);
    c = await checks();
    assert.equal(c['bmm-keysets']!.state, 'ok');
    assert.match(c['bmm-keysets']!.message, /active until/);
  });
});
