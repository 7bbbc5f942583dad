// Entra directory reads through Microsoft Graph for the admin checks. "List group members" (
// GET /v1.0/groups/{id}/members: directoryObjects, each with its "@odata.type", paged by
// "@odata.nextLink"). Direct members only, on purpose: Nexus provisions the direct members of a
// group that holds a fabric role, and a group inside that group is the "nested group" that does not
// work. Needs GroupMember.Read.All (or Directory.Read.All) for the signed-in admin.
import { z } from 'zod';
import type { CloudEndpoints } from '../auth/config';
import { AzureApiError, AzureReplyError } from '../azure/errors';
import type { AzureHttp } from '../azure/http';
import { originOf, sameOrigin } from '../net/origin';

export type MemberKind = 'user' | 'group' | 'servicePrincipal' | 'other';

export interface DirectoryMember {
  kind: MemberKind;
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

const member = z.object({
  '@odata.type': z.string().optional(),
  id: z.string(),
  displayName: z.string().nullish(),
  userPrincipalName: z.string().nullish(),
}).passthrough();
const page = z.object({ value: z.array(member), '@odata.nextLink': z.string().nullish() }).passthrough();

/** Graph's largest page for this call. */
const PAGE_SIZE = 999;
const MAX_PAGES = 100;

function kindOf(odataType: string | undefined): MemberKind {
  switch ((odataType ?? '').toLowerCase()) {
    case '#microsoft.graph.user': return 'user';
    case '#microsoft.graph.group': return 'group';
    case '#microsoft.graph.serviceprincipal': return 'servicePrincipal';
    default: return 'other';
  }
}

export async function groupMembers(http: AzureHttp, endpoints: CloudEndpoints, groupId: string): Promise<DirectoryMember[]> {
  const operation = `list the members of group ${groupId}`;
  const first = `${endpoints.graphEndpoint}/v1.0/groups/${encodeURIComponent(groupId)}/members?$select=id,displayName,userPrincipalName&$top=${PAGE_SIZE}`;
  const out: DirectoryMember[] = [];
  const seen = new Set<string>();
  let next: string | null | undefined = first;
  for (let n = 0; next; n++) {
    if (n >= MAX_PAGES) throw new AzureReplyError(operation, `more than ${MAX_PAGES} pages`);
    if (!sameOrigin(first, next)) throw new AzureReplyError(operation, `@odata.nextLink points to ${originOf(next) ?? 'an unreadable URL'}; not followed, no token sent`);
    if (seen.has(next)) throw new AzureReplyError(operation, '@odata.nextLink repeats a page already read');
    seen.add(next);
    const p: z.infer<typeof page> = await http.get(operation, 'graph', next, page);
    for (const m of p.value) {
      out.push({ kind: kindOf(m['@odata.type']), id: m.id, displayName: m.displayName ?? m.id, ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}) });
    }
    next = p['@odata.nextLink'];
  }
  return out;
}

const named = z.object({ id: z.string(), displayName: z.string().nullish(), userPrincipalName: z.string().nullish() }).passthrough();

/**
 * A user's or group's name (GET /v1.0/users/{id} or /v1.0/groups/{id} with $select); undefined when
 * Graph has no such object, or the token may not read it (403: then the object id stands for the name).
 */
export async function directoryName(http: AzureHttp, endpoints: CloudEndpoints, kind: 'users' | 'groups', id: string): Promise<{ displayName: string; userPrincipalName?: string } | undefined> {
  try {
    const o = await http.get(`read ${kind === 'users' ? 'user' : 'group'} ${id}`, 'graph', `${endpoints.graphEndpoint}/v1.0/${kind}/${encodeURIComponent(id)}?$select=id,displayName${kind === 'users' ? ',userPrincipalName' : ''}`, named);
    return { displayName: o.displayName ?? id, ...(o.userPrincipalName ? { userPrincipalName: o.userPrincipalName } : {}) };
  } catch (err) {
    if (err instanceof AzureApiError && (err.status === 404 || err.status === 403)) return undefined;
    throw err;
  }
}
