// Which Nexus Network Fabric role the user holds on a fabric, from assignedTo() results:
// scope matching (management group or root, subscription, resource group, the fabric), Writer
// beats Reader, and grants that only come through a group are flagged (Nexus honours direct
// group membership only, while assignedTo() is transitive).
import { armIdKey, armIdWithin, lastSegment } from './arm-id';

export const KNOWN_ROLE_IDS = {
  Reader: '05fdd44c-adc6-4aff-981c-61041f0c929a',
  Writer: 'a5eb8433-97a5-4a06-80b2-a877e1622c31',
} as const;
export const ROLE_NAMES = {
  Reader: 'Nexus Network Fabric Service Reader',
  Writer: 'Nexus Network Fabric Service Writer',
} as const;

export type FabricRole = 'Reader' | 'Writer';
export interface RoleIds { Reader: string; Writer: string }

export interface Grant {
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  scope: string;
}

export interface FabricAccess {
  role: FabricRole | null;
  viaGroup: boolean;
  /** Object id of the group the best grant comes through, when it is a group grant. */
  groupId: string | null;
}

/** True when a grant at `scope` reaches the fabric (root, management group, subscription, group, the fabric). */
export function covers(scope: string, fabricId: string): boolean {
  const s = armIdKey(scope);
  // Root and management-group scopes reach every subscription below them; assignedTo() on a
  // subscription only returns such grants when they apply to it.
  if (s === '' || s === '/' || s.startsWith('/providers/microsoft.management/managementgroups/')) return true;
  return armIdWithin(fabricId, scope);
}

export function roleOf(roleDefinitionId: string, ids: RoleIds): FabricRole | null {
  const guid = lastSegment(roleDefinitionId).toLowerCase();
  if (guid === ids.Writer.toLowerCase()) return 'Writer';
  if (guid === ids.Reader.toLowerCase()) return 'Reader';
  return null;
}

/** `grants` must be the assignedTo() result for the fabric's subscription. */
export function fabricAccess(fabricId: string, grants: Grant[], ids: RoleIds, me: string): FabricAccess {
  let best: FabricAccess = { role: null, viaGroup: false, groupId: null };
  const rank = (r: FabricRole | null): number => (r === 'Writer' ? 2 : r === 'Reader' ? 1 : 0);
  for (const g of grants) {
    const role = roleOf(g.roleDefinitionId, ids);
    if (!role || !covers(g.scope, fabricId)) continue;
    const viaGroup = g.principalType === 'Group' || g.principalId.toLowerCase() !== me.toLowerCase();
    if (rank(role) > rank(best.role) || (rank(role) === rank(best.role) && best.viaGroup && !viaGroup)) best = { role, viaGroup, groupId: viaGroup ? g.principalId : null };
  }
  return best;
}
