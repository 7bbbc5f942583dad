// Who holds the Nexus roles on a fabric: scope reach, Writer over Reader, group members, nested
// groups flagged, non-users apart, unreadable groups reported, the 200-user limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fabricRoleHolders, MAX_USERS_PER_FABRIC } from '../../../../../electron/core/admin/role-holders';
import type { DirectoryMember } from '../../../../../electron/core/admin/graph-directory';
import { KNOWN_ROLE_IDS } from '../../../../../electron/core/azure/role-grants';

const SUB = '/subscriptions/11111111-0000-4000-8000-000000000001';
const FABRIC = `${SUB}/resourceGroups/rg-nf/providers/Microsoft.ManagedNetworkFabric/networkFabrics/fab-1`;
const OTHER_FABRIC = `${SUB}/resourceGroups/rg-other/providers/Microsoft.ManagedNetworkFabric/networkFabrics/fab-2`;
const role = (r: 'Reader' | 'Writer') => `/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/${KNOWN_ROLE_IDS[r].toUpperCase()}`;
const grant = (r: 'Reader' | 'Writer', principalId: string, principalType: string, scope: string) => ({ roleDefinitionId: role(r), principalId, principalType, scope });
const user = (id: string, name = id): DirectoryMember => ({ kind: 'user', id, displayName: name, userPrincipalName: `${id}@contoso.com` });

test('direct users and group members, Writer beating Reader, every route kept; grants elsewhere and other roles ignored', async () => {
  const members: Record<string, DirectoryMember[]> = {
    g1: [user('u2', 'Bo'), user('u1', 'Ada'), { kind: 'group', id: 'g9', displayName: 'nested' }, { kind: 'servicePrincipal', id: 'sp1', displayName: 'robot' }],
  };
  const h = await fabricRoleHolders(FABRIC, [
    grant('Reader', 'u1', 'User', FABRIC.replace('resourceGroups', 'resourcegroups')),
    grant('Writer', 'g1', 'Group', SUB),
    grant('Writer', 'u3', 'User', OTHER_FABRIC),
    { roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7', principalId: 'u4', principalType: 'User', scope: SUB },
    grant('Reader', 'sp2', 'ServicePrincipal', '/'),
  ], KNOWN_ROLE_IDS, {
    members: async (id) => members[id] ?? [],
    user: async (id) => (id === 'u1' ? { displayName: 'Ada', userPrincipalName: 'ada@contoso.com' } : undefined),
    groupName: async (id) => (id === 'g1' ? 'nf-writers' : undefined),
  });
  assert.deepEqual(h.holders.map((x) => [x.name, x.role, x.routes.map((r) => r.group?.name ?? 'direct')]), [
    ['Ada', 'Writer', ['direct', 'nf-writers']],
    ['Bo', 'Writer', ['nf-writers']],
  ]);
  assert.equal(h.users, 2);
  assert.deepEqual(h.nestedGroups.map((n) => [n.name, n.parent.name, n.role]), [['nested', 'nf-writers', 'Writer']]);
  assert.deepEqual(h.others.map((o) => [o.name, o.kind]), [['robot', 'servicePrincipal'], ['sp2', 'ServicePrincipal']]);
  assert.equal(h.overLimit, false);
});

test('a group whose members cannot be read is reported, not silently empty', async () => {
  const h = await fabricRoleHolders(FABRIC, [grant('Reader', 'g1', 'Group', SUB)], KNOWN_ROLE_IDS, {
    members: async () => { throw new Error('HTTP 403 Authorization_RequestDenied'); },
  });
  assert.equal(h.users, 0);
  assert.deepEqual(h.unreadGroups, [{ id: 'g1', reason: 'HTTP 403 Authorization_RequestDenied' }]);
});

test('the limit counts distinct users across groups and direct grants', async () => {
  const many = Array.from({ length: MAX_USERS_PER_FABRIC }, (_v, i) => user(`u${i}`));
  const grants = [grant('Reader', 'g1', 'Group', SUB), grant('Reader', 'g2', 'Group', FABRIC), grant('Writer', 'u0', 'User', FABRIC)];
  const exactly = await fabricRoleHolders(FABRIC, grants, KNOWN_ROLE_IDS, { members: async (id) => (id === 'g1' ? many : many.slice(0, 10)) });
  assert.deepEqual([exactly.users, exactly.overLimit], [MAX_USERS_PER_FABRIC, false], 'the same users through two groups count once');
  const over = await fabricRoleHolders(FABRIC, [...grants, grant('Reader', 'extra', 'User', SUB)], KNOWN_ROLE_IDS, { members: async () => many });
  assert.deepEqual([over.users, over.overLimit], [MAX_USERS_PER_FABRIC + 1, true]);
});
