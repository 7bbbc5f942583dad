// Tenants for the fake: one built from the Azure spec examples in ./fixtures (with the
// normalisations listed below), and a synthetic one of any size for benchmarks.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArmResource, FakeSubscription, RoleAssignment, RoleDefinition } from './arm';
import type { FakeAzure } from './server';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

export const READER_ROLE_ID = '05fdd44c-adc6-4aff-981c-61041f0c929a';
export const WRITER_ROLE_ID = 'a5eb8433-97a5-4a06-80b2-a877e1622c31';

function example(file: string, status = '200'): Record<string, unknown> {
  const doc = JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) as { responses: Record<string, { body: Record<string, unknown> }> };
  return structuredClone(doc.responses[status]!.body);
}
const firstValue = (file: string): ArmResource => (example(file).value as ArmResource[])[0]!;
const rewrite = <T>(v: T, from: string, to: string): T => JSON.parse(JSON.stringify(v).split(from).join(to)) as T;

export const FIXTURE = {
  fabricSub: '1234ABCD-0A1B-1234-5678-123456ABCDEF',
  groupSub: '291bba3f-e0a5-47bc-a099-3bdcb2a50a05',
  emptySub: '72ac930a-f34e-42d8-b06d-dc2a9e12ed71',
  forbiddenSub: '4d1e6f7a-0000-4000-8000-0000000f0403',
  cloudSub: '123e4567-e89b-12d3-a456-426655440000',
  fabricId: '/subscriptions/1234ABCD-0A1B-1234-5678-123456ABCDEF/resourceGroups/example-rg/providers/Microsoft.ManagedNetworkFabric/networkFabrics/example-fabric',
  clusterId: '/subscriptions/123e4567-e89b-12d3-a456-426655440000/resourceGroups/resourceGroupName/providers/Microsoft.NetworkCloud/clusters/clusterName',
};

export function roleDefinitions(): RoleDefinition[] {
  const shape = example('GetRoleDefinitionByName.json') as unknown as RoleDefinition;
  return [['Nexus Network Fabric Service Reader', READER_ROLE_ID], ['Nexus Network Fabric Service Writer', WRITER_ROLE_ID]].map(([roleName, id]) => ({
    ...shape, id: `/providers/Microsoft.Authorization/roleDefinitions/${id}`, name: id!, type: 'Microsoft.Authorization/roleDefinitions',
    properties: { ...shape.properties, roleName: roleName!, type: 'BuiltInRole' },
  }));
}

export function assignment(scope: string, role: string, principalId: string, principalType: string, n: number): RoleAssignment {
  const shape = firstValue('RoleAssignments_ListForScope.json') as unknown as RoleAssignment;
  const name = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return { ...shape, id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, properties: { ...shape.properties, roleDefinitionId: `/subscriptions/${scope.split('/')[2]}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId, principalType, scope } };
}

/**
 * Spec examples as a small tenant. Normalisations: the rack's networkFabricId points at
 * "example-fabric" (the example says "example-networkFabric"); the 2023 device is renamed
 * example-device-2 with its own addresses; a second fabric (from the 2023 fabric example) lives in
 * groupSub; a third in forbiddenSub answers 403. Mixed-case ids and "2F::1/100" are kept as is.
 */
export function loadFixtureTenant(fake: FakeAzure): void {
  const user = fake.idp.user;
  const subs = (example('GetSubscriptions.json').value as FakeSubscription[]).map((s) => ({ ...s, tenantId: user.tid }));
  fake.arm.subscriptions = [
    ...subs,
    { subscriptionId: FIXTURE.fabricSub, displayName: 'Nexus Fabric Prod', state: 'Enabled', tenantId: user.tid },
    { subscriptionId: FIXTURE.forbiddenSub, displayName: 'Locked Down', state: 'Enabled', tenantId: user.tid },
    { subscriptionId: FIXTURE.cloudSub, displayName: 'Nexus Cloud', state: 'Enabled', tenantId: user.tid },
    { subscriptionId: '9f9f9f9f-0000-4000-8000-00000000dead', displayName: 'Old', state: 'Disabled', tenantId: user.tid },
  ];
  const fabric = example('NetworkFabrics_Get.json') as ArmResource;
  const rack = rewrite(example('NetworkRacks_Get.json') as ArmResource, 'networkFabrics/example-networkFabric', 'networkFabrics/example-fabric');
  const device = example('NetworkDevices_Get.json') as ArmResource;
  const device2 = rewrite(firstValue('NetworkDevices_ListBySubscription_MaximumSet_Gen.json'), 'networkDevices/example-device', 'networkDevices/example-device-2');
  device2.name = 'example-device-2';
  device2.properties = { ...device2.properties, hostName: 'NFA-Device-2', managementIpv4Address: '10.10.10.11', managementIpv6Address: '2F::2/100' };
  const fabricB = rewrite(rewrite(firstValue('NetworkFabrics_ListBySubscription_MaximumSet_Gen.json'), FIXTURE.fabricSub, FIXTURE.groupSub), 'example-fabric', 'fabric-b');
  fabricB.name = 'fabric-b';
  const fabricC = rewrite(rewrite(example('NetworkFabrics_Get.json') as ArmResource, FIXTURE.fabricSub, FIXTURE.forbiddenSub), 'example-fabric', 'fabric-locked');
  fabricC.name = 'fabric-locked';
  fake.arm.add(fabric, rack, device, device2, fabricB, fabricC);
  fake.arm.forbiddenSubscriptions.add(FIXTURE.forbiddenSub);
  fake.arm.roleDefinitions = roleDefinitions();
  // Writer on example-fabric (scope spelled with "resourcegroups"); Reader on fabric-b's subscription via a group.
  fake.arm.roleAssignments = [
    assignment(FIXTURE.fabricId.replace('resourceGroups', 'resourcegroups'), WRITER_ROLE_ID, user.oid, 'User', 1),
    assignment(`/subscriptions/${FIXTURE.groupSub}`, READER_ROLE_ID, user.groups[0]!, 'Group', 2),
    assignment(`/subscriptions/${FIXTURE.fabricSub}`, READER_ROLE_ID, user.oid, 'User', 3),
  ];
  const cluster = example('Clusters_Get.json') as ArmResource;
  const bmm = firstValue('BareMetalMachines_ListBySubscription.json');
  bmm.properties!.managedResourceGroup = undefined;
  const bmm2 = rewrite(example('BareMetalMachines_Get.json') as ArmResource, 'bareMetalMachines/bareMetalMachineName', 'bareMetalMachines/bmm-r01c002');
  bmm2.name = 'bmm-r01c002';
  bmm2.properties = { ...bmm2.properties, machineName: 'r01c002', oamIpv4Address: '192.0.2.2', powerState: 'Off', readyState: 'False' };
  const keyset = example('BareMetalMachineKeySets_Get.json') as ArmResource;
  const bmcKeyset = firstValue('BmcKeySets_ListByCluster.json');
  fake.arm.add(cluster, bmm, bmm2, keyset, bmcKeyset);
}

/** A tenant of `subscriptions` subscriptions; fabrics (with their devices) sit in the first few. */
export function loadSyntheticTenant(fake: FakeAzure, size: { subscriptions: number; fabrics: number; devicesPerFabric: number; fabricSubscriptions: number }): void {
  const user = fake.idp.user;
  const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
  const subId = (i: number): string => `${hex(i, 8)}-0000-4000-8000-${hex(i, 12)}`;
  fake.arm.subscriptions = Array.from({ length: size.subscriptions }, (_v, i) => ({ subscriptionId: subId(i), displayName: `sub-${i}`, state: 'Enabled', tenantId: user.tid }));
  fake.arm.roleDefinitions = roleDefinitions();
  const deviceShape = example('NetworkDevices_Get.json') as ArmResource;
  const fabricShape = example('NetworkFabrics_Get.json') as ArmResource;
  for (let f = 0; f < size.fabrics; f++) {
    const sub = subId(f % size.fabricSubscriptions);
    const rg = `/subscriptions/${sub}/resourceGroups/rg-${f}/providers/Microsoft.ManagedNetworkFabric`;
    const fabricId = `${rg}/networkFabrics/fab-${f}`;
    fake.arm.add({ ...fabricShape, id: fabricId, name: `fab-${f}` });
    for (let d = 0; d < size.devicesPerFabric; d++) {
      const n = f * size.devicesPerFabric + d;
      fake.arm.add({
        ...deviceShape, id: `${rg.replace('resourceGroups', 'resourcegroups')}/networkDevices/dev-${n}`, name: `dev-${n}`,
        properties: { ...deviceShape.properties, hostName: `dev-${n}`, networkFabricId: fabricId, networkRackId: `${rg}/networkRacks/rack-${f}`,
          managementIpv4Address: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`, managementIpv6Address: `fd00::${hex(n, 4)}/64` },
      });
    }
  }
  fake.arm.roleAssignments = Array.from({ length: size.fabricSubscriptions }, (_v, i) => assignment(`/subscriptions/${subId(i)}`, i % 2 ? READER_ROLE_ID : WRITER_ROLE_ID, user.oid, 'User', i + 1));
}
