// Who holds the Nexus Network Fabric Service Reader or Writer role on a fabric, the way Method D
// v2.0 provisions break-glass users: users assigned directly, and the DIRECT members of groups that
// are assigned. A group inside such a group is flagged (nested groups are not supported, its members
// get no account); service principals are listed apart (they are no break-glass users); and the
// count of distinct users is held against the limit of 200 users per fabric.
// The one place this is worked out: preflight uses it, and anything else that needs "who can
// break-glass into this fabric" should too.
import { covers, roleOf, type FabricRole, type Grant, type RoleIds } from '../azure/role-grants';
import type { DirectoryMember } from './graph-directory';

/** Method D v2.0: at most 200 users per fabric, counting users from groups and direct assignments. */
export const MAX_USERS_PER_FABRIC = 200;

export interface HolderRoute {
  role: FabricRole;
  /** Direct assignment, or through this group. */
  group?: { id: string; name: string };
  /** The scope of the assignment, as Azure wrote it. */
  scope: string;
}

export interface RoleHolder {
  id: string;
  name: string;
  userPrincipalName?: string;
  /** Writer beats Reader. */
  role: FabricRole;
  routes: HolderRoute[];
}

export interface NestedGroup {
  id: string;
  name: string;
  /** The assigned group it sits in. */
  parent: { id: string; name: string };
  role: FabricRole;
}

export interface OtherPrincipal {
  id: string;
  name: string;
  kind: string;
  role: FabricRole;
}

export interface FabricRoleHolders {
  fabricId: string;
  holders: RoleHolder[];
  nestedGroups: NestedGroup[];
  /** Service principals and foreign groups holding a role: no break-glass user comes of them. */
  others: OtherPrincipal[];
  /** Groups whose members could not be read (the reason), so the holder list may be short. */
  unreadGroups: { id: string; reason: string }[];
  users: number;
  overLimit: boolean;
}

export interface DirectoryLookups {
  members(groupId: string): Promise<DirectoryMember[]>;
  /** Display name and UPN of a directly assigned user; undefined when it cannot be read. */
  user?(id: string): Promise<{ displayName: string; userPrincipalName?: string } | undefined>;
  groupName?(id: string): Promise<string | undefined>;
}

const rank = (r: FabricRole) => (r === 'Writer' ? 2 : 1);

/** `grants` may be any listing that includes the fabric's (e.g. all of its subscription's): only Reader/Writer grants reaching the fabric count. */
export async function fabricRoleHolders(fabricId: string, grants: Grant[], ids: RoleIds, directory: DirectoryLookups): Promise<FabricRoleHolders> {
  const holders = new Map<string, RoleHolder>();
  const nestedGroups: NestedGroup[] = [];
  const others: OtherPrincipal[] = [];
  const unreadGroups: { id: string; reason: string }[] = [];
  const add = (who: { id: string; name: string; userPrincipalName?: string }, route: HolderRoute): void => {
    const key = who.id.toLowerCase();
    const h = holders.get(key) ?? { id: who.id, name: who.name, ...(who.userPrincipalName ? { userPrincipalName: who.userPrincipalName } : {}), role: route.role, routes: [] };
    if (rank(route.role) > rank(h.role)) h.role = route.role;
    h.routes.push(route);
    holders.set(key, h);
  };
  for (const g of grants) {
    const role = roleOf(g.roleDefinitionId, ids);
    if (!role || !covers(g.scope, fabricId)) continue;
    const type = g.principalType.toLowerCase();
    if (type === 'user') {
      const u = await directory.user?.(g.principalId);
      add({ id: g.principalId, name: u?.displayName ?? g.principalId, ...(u?.userPrincipalName ? { userPrincipalName: u.userPrincipalName } : {}) }, { role, scope: g.scope });
    } else if (type === 'group') {
      let members: DirectoryMember[];
      try {
        members = await directory.members(g.principalId);
      } catch (err) {
        unreadGroups.push({ id: g.principalId, reason: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const group = { id: g.principalId, name: (await directory.groupName?.(g.principalId)) ?? g.principalId };
      for (const m of members) {
        if (m.kind === 'user') add({ id: m.id, name: m.displayName, ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}) }, { role, group, scope: g.scope });
        else if (m.kind === 'group') nestedGroups.push({ id: m.id, name: m.displayName, parent: group, role });
        else others.push({ id: m.id, name: m.displayName, kind: m.kind, role });
      }
    } else {
      others.push({ id: g.principalId, name: g.principalId, kind: g.principalType || 'unknown', role });
    }
  }
  const list = [...holders.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { fabricId, holders: list, nestedGroups, others, unreadGroups, users: list.length, overLimit: list.length > MAX_USERS_PER_FABRIC };
}
