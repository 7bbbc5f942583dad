import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { armIdWithin, resourceGroupOf, sameArmId, subscriptionOf } from '../../../../../electron/core/azure/arm-id';

describe('ARM id helpers', () => {
  const a = '/subscriptions/1234ABCD-0A1B-1234-5678-123456ABCDEF/resourcegroups/example-rg/providers/Microsoft.ManagedNetworkFabric/networkRacks/example-rack';
  const b = '/subscriptions/1234abcd-0a1b-1234-5678-123456abcdef/resourceGroups/example-rg/providers/microsoft.managednetworkfabric/networkracks/example-rack/';
  it('compares ids case-insensitively and ignores a trailing slash', () => {
    assert.ok(sameArmId(a, b));
    assert.ok(!sameArmId(a, `${b}x`));
  });
  it('tells whether an id lies within a scope, not merely shares a prefix', () => {
    assert.ok(armIdWithin(a, '/SUBSCRIPTIONS/1234abcd-0a1b-1234-5678-123456abcdef/resourceGroups/EXAMPLE-RG'));
    assert.ok(!armIdWithin(a, '/subscriptions/1234abcd-0a1b-1234-5678-123456abcdef/resourceGroups/example'));
  });
  it('extracts subscription and resource group', () => {
    assert.equal(subscriptionOf(a), '1234ABCD-0A1B-1234-5678-123456ABCDEF');
    assert.equal(resourceGroupOf(b), 'example-rg');
  });

});
