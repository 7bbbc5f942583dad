import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fabricAccess, KNOWN_ROLE_IDS, roleOf, type Grant } from '../../../../../electron/core/azure/role-grants';

const ME = '6f1c2a1e-5b7d-4c3f-9e2a-1d4b8c7a9f01';
const GROUP = '0a1b2c3d-0000-4000-8000-00000000b001';
const FABRIC = '/subscriptions/1234ABCD-0A1B-1234-5678-123456ABCDEF/resourceGroups/example-rg/providers/Microsoft.ManagedNetworkFabric/networkFabrics/example-fabric';
const reader = `/providers/Microsoft.Authorization/roleDefinitions/${KNOWN_ROLE_IDS.Reader}`;
const writer = `/subscriptions/1234abcd-0a1b-1234-5678-123456abcdef/providers/Microsoft.Authorization/roleDefinitions/${KNOWN_ROLE_IDS.Writer.toUpperCase()}`;
const grant = (roleDefinitionId: string, scope: string, principalId = ME, principalType = 'User'): Grant => ({ roleDefinitionId, scope, principalId, principalType });

describe('fabricAccess', () => {
  it('matches subscription, resource group, fabric and management-group scopes case-insensitively', () => {
    for (const scope of [
      '/subscriptions/1234abcd-0a1b-1234-5678-123456abcdef',
      '/subscriptions/1234ABCD-0A1B-1234-5678-123456ABCDEF/resourcegroups/EXAMPLE-RG',
      FABRIC.toLowerCase(),
      '/providers/Microsoft.Management/managementGroups/nexus-ops',
      '/',
    ]) {
      assert.deepEqual(fabricAccess(FABRIC, [grant(reader, scope)], KNOWN_ROLE_IDS, ME), { role: 'Reader', viaGroup: false, groupId: null }, scope);
    }
  });

  it('ignores grants on other resource groups, other fabrics and other roles', () => {
    const grants = [
      grant(reader, '/subscriptions/1234abcd-0a1b-1234-5678-123456abcdef/resourceGroups/other-rg'),
      grant(writer, `${FABRIC}-2`),
      grant('/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7', FABRIC),
    ];
    assert.deepEqual(fabricAccess(FABRIC, grants, KNOWN_ROLE_IDS, ME), { role: null, viaGroup: false, groupId: null });
  });

  it('lets Writer beat Reader and prefers a direct grant over a group one', () => {
    assert.deepEqual(fabricAccess(FABRIC, [grant(reader, FABRIC), grant(writer, FABRIC, GROUP, 'Group')], KNOWN_ROLE_IDS, ME), { role: 'Writer', viaGroup: true, groupId: GROUP });
    assert.deepEqual(fabricAccess(FABRIC, [grant(writer, FABRIC, GROUP, 'Group'), grant(writer, FABRIC)], KNOWN_ROLE_IDS, ME), { role: 'Writer', viaGroup: false, groupId: null });
    assert.deepEqual(fabricAccess(FABRIC, [grant(reader, FABRIC, GROUP, 'Group')], KNOWN_ROLE_IDS, ME), { role: 'Reader', viaGroup: true, groupId: GROUP });
  });

  it('compares only the trailing role GUID and honours tenant-resolved ids', () => {
    const ids = { Reader: '11111111-1111-4111-8111-111111111111', Writer: KNOWN_ROLE_IDS.Writer };
    assert.equal(roleOf(`/providers/Microsoft.Authorization/roleDefinitions/${ids.Reader}`, ids), 'Reader');
    assert.equal(roleOf(reader, ids), null);
    assert.equal(roleOf(writer, ids), 'Writer');
  });
});
