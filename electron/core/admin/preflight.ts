// The admin preflight for Method D v2.0 break-glass (`nbg admin preflight`, the app's Preflight
// page). Per subscription holding fabrics: the Microsoft.NexusIdentity resource provider is
// registered (ARM Providers - Get); the NexusIdentityRP service principal holds Reader over every
// fabric (role assignments); per fabric: the runtime (fabricVersion) is 4.0.0 or later, and who holds
// the Nexus Network Fabric Service Reader/Writer roles (role-holders.ts). Every check that is not a
// pass carries the fix to apply.
import { z } from 'zod';
import type { CloudEndpoints } from '../auth/config';
import { AzureApiError } from '../azure/errors';
import type { AzureHttp } from '../azure/http';
import { mapLimit } from '../azure/concurrency';
import { covers, KNOWN_ROLE_IDS, ROLE_NAMES, type Grant } from '../azure/role-grants';
import { errorMessage } from '../../../native/errors';
import type { FabricHoldersView, PreflightCheck, PreflightReport } from '../../shared/admin';
import { directoryName, groupMembers } from './graph-directory';
import { fabricRoleHolders, MAX_USERS_PER_FABRIC, type FabricRoleHolders } from './role-holders';

export const PREFLIGHT_API = {
  subscriptions: '2022-12-01',
  providers: '2021-04-01',
  fabrics: '2025-07-15',
  authorization: '2022-04-01',
} as const;

export const NEXUS_IDENTITY_PROVIDER = 'Microsoft.NexusIdentity';
/** The NexusIdentityRP service principal's object id, as the Method D v2.0 set-up doc gives it. */
export const NEXUS_IDENTITY_RP_OBJECT_ID = '71949d44-2def-42f7-b10b-993a3f952347';
/** The built-in Reader role. */
export const READER_ROLE_ID = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
/** Method D v2.0 needs Network Fabric runtime 4.0.0 or later. */
export const MIN_FABRIC_RUNTIME = [4, 0, 0] as const;

const subscription = z.object({ subscriptionId: z.string(), displayName: z.string().nullish(), state: z.string().nullish() }).passthrough();
const provider = z.object({ namespace: z.string(), registrationState: z.string().nullish() }).passthrough();
const fabric = z.object({ id: z.string(), name: z.string(), properties: z.object({ fabricVersion: z.string().nullish() }).passthrough().nullish() }).passthrough();
const assignment = z.object({
  properties: z.object({ roleDefinitionId: z.string(), principalId: z.string(), principalType: z.string().nullish(), scope: z.string() }).passthrough(),
}).passthrough();

interface Subscription { id: string; name: string }
type Fabric = z.infer<typeof fabric>;

export interface PreflightOptions {
  /** Subscriptions to check; default every enabled subscription that holds a fabric. */
  subscriptions?: string[];
  now?: () => Date;
}

/** "4.0.0", "4.1", "v4.0.2-rc1" → [4,0,0] ...; undefined when no version number can be read. */
export function parseRuntimeVersion(v: string | null | undefined): [number, number, number] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/i.exec((v ?? '').trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function atLeast(v: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  return true;
}

const MIN_TEXT = MIN_FABRIC_RUNTIME.join('.');

function versionCheck(f: Fabric): PreflightCheck {
  const raw = f.properties?.fabricVersion ?? '';
  const v = parseRuntimeVersion(raw);
  const base = { kind: 'fabric-version' as const, subject: `fabric ${f.name}`, title: `Runtime version ${MIN_TEXT} or later` };
  if (!v) {
    return { ...base, status: 'unknown', detail: raw ? `Azure reports the fabric version as "${raw}", which is not a version number.` : 'Azure reports no fabric version.',
      fix: `Look up the fabric's runtime version (az networkfabric fabric show --resource-name ${f.name} ... --query fabricVersion); Method D v2.0 needs ${MIN_TEXT} or later.` };
  }
  if (atLeast(v, MIN_FABRIC_RUNTIME)) return { ...base, status: 'pass', detail: `Runtime ${raw}.` };
  return { ...base, status: 'fail', detail: `Runtime ${raw} is older than ${MIN_TEXT}: break-glass with security keys (Method D v2.0) is not available on it.`,
    fix: `Upgrade the fabric to runtime ${MIN_TEXT} or later (az networkfabric fabric upgrade --action Start --version <4.x.y> --resource-name ${f.name} ...), then run preflight again.` };
}

function holdersCheck(f: Fabric, h: FabricRoleHolders): PreflightCheck {
  const base = { kind: 'role-holders' as const, subject: `fabric ${f.name}`, title: 'Who holds the Nexus Network Fabric roles (Service Reader, Service Writer)' };
  const writers = h.holders.filter((x) => x.role === 'Writer').length;
  const counts = `${h.users} user${h.users === 1 ? '' : 's'} (${writers} Writer, ${h.users - writers} Reader)`;
  if (h.overLimit) {
    return { ...base, status: 'fail', detail: `${counts}: more than the ${MAX_USERS_PER_FABRIC} users a fabric takes, so some will get no break-glass account.`,
      fix: `Bring the users holding the roles on ${f.name} down to ${MAX_USERS_PER_FABRIC} or fewer (remove direct assignments or members of the assigned groups).` };
  }
  if (h.users === 0) {
    return { ...base, status: 'fail', detail: 'Nobody holds either role on this fabric: nobody can break-glass into it.',
      fix: `Assign ${ROLE_NAMES.Writer} (or Reader, for show commands only) on the fabric to the break-glass users, or to a group they are direct members of.` };
  }
  const notes: string[] = [];
  if (h.nestedGroups.length) notes.push(`${h.nestedGroups.map((n) => `group ${n.name} inside ${n.parent.name}`).join(', ')}: nested groups are not supported, their members get no account`);
  if (h.unreadGroups.length) notes.push(`the members of ${h.unreadGroups.length} assigned group(s) could not be read`);
  if (h.others.length) notes.push(`${h.others.length} non-user principal(s) hold a role and get no account`);
  if (notes.length) {
    const fixes: string[] = [];
    if (h.nestedGroups.length) fixes.push('make the users of a nested group direct members of the assigned group, or assign the role to the nested group itself');
    if (h.unreadGroups.length) fixes.push('run preflight as someone who may read group members (GroupMember.Read.All)');
    const fix = fixes.join('; ');
    return { ...base, status: 'warn', detail: `${counts}; ${notes.join('; ')}.`, ...(fix ? { fix: `${fix[0]!.toUpperCase()}${fix.slice(1)}.` } : {}) };
  }
  return { ...base, status: 'pass', detail: `${counts}, within the limit of ${MAX_USERS_PER_FABRIC}.` };
}

function holdersView(f: Fabric, h: FabricRoleHolders): FabricHoldersView {
  return {
    fabricId: f.id, fabricName: f.name, users: h.users, limit: MAX_USERS_PER_FABRIC,
    holders: h.holders.map((x) => ({
      name: x.name, ...(x.userPrincipalName ? { userPrincipalName: x.userPrincipalName } : {}), role: x.role,
      how: [...new Set(x.routes.map((r) => (r.group ? `through group ${r.group.name}` : 'directly')))],
    })),
    nestedGroups: h.nestedGroups.map((n) => ({ name: n.name, parent: n.parent.name })),
    others: h.others.map((o) => ({ name: o.name, kind: o.kind })),
  };
}

export class Preflight {
  private readonly names = new Map<string, Promise<{ displayName: string; userPrincipalName?: string } | undefined>>();

  constructor(private readonly http: AzureHttp, private readonly endpoints: CloudEndpoints) {}

  private arm(path: string, version: string): string {
    return `${this.endpoints.armEndpoint}${path}?api-version=${version}`;
  }

  private lookup(kind: 'users' | 'groups', id: string) {
    const key = `${kind}/${id.toLowerCase()}`;
    let p = this.names.get(key);
    if (!p) {
      p = directoryName(this.http, this.endpoints, kind, id);
      this.names.set(key, p);
    }
    return p;
  }

  private async subscriptions(opts: PreflightOptions): Promise<Subscription[]> {
    if (opts.subscriptions?.length) return opts.subscriptions.map((id) => ({ id, name: id }));
    const subs = await this.http.listAll('list subscriptions', 'arm', this.arm('/subscriptions', PREFLIGHT_API.subscriptions), subscription);
    return subs.filter((s) => ['enabled', 'warned'].includes((s.state ?? '').toLowerCase())).map((s) => ({ id: s.subscriptionId, name: s.displayName || s.subscriptionId }));
  }

  private async providerCheck(sub: Subscription): Promise<PreflightCheck> {
    const base = { kind: 'provider' as const, subject: `subscription ${sub.name}`, title: `${NEXUS_IDENTITY_PROVIDER} resource provider registered` };
    const fix = `az provider register --namespace ${NEXUS_IDENTITY_PROVIDER} --subscription ${sub.id}`;
    const p = await this.http.get('read the resource provider', 'arm', this.arm(`/subscriptions/${sub.id}/providers/${NEXUS_IDENTITY_PROVIDER}`, PREFLIGHT_API.providers), provider);
    const state = p.registrationState ?? 'NotRegistered';
    if (state === 'Registered') return { ...base, status: 'pass', detail: 'Registered.' };
    if (state === 'Registering') return { ...base, status: 'warn', detail: 'Registration has started and is not finished yet.', fix: `Wait a few minutes and run preflight again (or: az provider show --namespace ${NEXUS_IDENTITY_PROVIDER} --query registrationState).` };
    return { ...base, status: 'fail', detail: `The provider is ${state === 'NotRegistered' ? 'not registered' : `in state ${state}`}: break-glass identities are not reconciled for this subscription.`, fix };
  }

  private rpReaderCheck(sub: Subscription, fabrics: Fabric[], grants: Grant[]): PreflightCheck {
    const base = { kind: 'rp-reader' as const, subject: `subscription ${sub.name}`, title: 'NexusIdentityRP holds Reader over the fabrics' };
    const readerScopes = grants.filter((g) => g.principalId.toLowerCase() === NEXUS_IDENTITY_RP_OBJECT_ID && g.roleDefinitionId.toLowerCase().endsWith(READER_ROLE_ID)).map((g) => g.scope);
    const uncovered = fabrics.filter((f) => !readerScopes.some((s) => covers(s, f.id)));
    const fix = `az role assignment create --assignee-object-id ${NEXUS_IDENTITY_RP_OBJECT_ID} --assignee-principal-type ServicePrincipal --role Reader --scope /subscriptions/${sub.id}`;
    if (uncovered.length === 0) return { ...base, status: 'pass', detail: `Reader at ${readerScopes.length === 1 ? 'one scope' : `${readerScopes.length} scopes`} covering all ${fabrics.length} fabric(s).` };
    if (readerScopes.length === 0) return { ...base, status: 'fail', detail: `The NexusIdentityRP service principal (${NEXUS_IDENTITY_RP_OBJECT_ID}) holds no Reader role here: it cannot read the fabrics and role assignments it provisions from.`, fix };
    return { ...base, status: 'fail', detail: `Reader does not reach ${uncovered.map((f) => f.name).join(', ')}.`, fix };
  }

  private async grants(sub: Subscription): Promise<Grant[]> {
    // No filter: assignments at, above and below the subscription (fabric-scope ones included).
    const rows = await this.http.listAll('list role assignments', 'arm', this.arm(`/subscriptions/${sub.id}/providers/Microsoft.Authorization/roleAssignments`, PREFLIGHT_API.authorization), assignment);
    return rows.map((r) => ({ roleDefinitionId: r.properties.roleDefinitionId, principalId: r.properties.principalId, principalType: r.properties.principalType ?? '', scope: r.properties.scope }));
  }

  private async subscriptionChecks(sub: Subscription, explicit: boolean): Promise<{ checks: PreflightCheck[]; fabrics: FabricHoldersView[] }> {
    let fabrics: Fabric[];
    try {
      fabrics = await this.http.listAll('list fabrics', 'arm', this.arm(`/subscriptions/${sub.id}/providers/Microsoft.ManagedNetworkFabric/networkFabrics`, PREFLIGHT_API.fabrics), fabric);
    } catch (err) {
      if (!(err instanceof AzureApiError) || (err.status !== 403 && err.status !== 404)) throw err;
      return { checks: [{ kind: 'access', subject: `subscription ${sub.name}`, title: 'Fabrics can be read', status: 'unknown', detail: errorMessage(err),
        fix: 'Run preflight as someone holding Reader on this subscription.' }], fabrics: [] };
    }
    if (fabrics.length === 0 && !explicit) return { checks: [], fabrics: [] };
    const checks: PreflightCheck[] = [await this.providerCheck(sub)];
    const grants = await this.grants(sub);
    checks.push(this.rpReaderCheck(sub, fabrics, grants));
    const views: FabricHoldersView[] = [];
    for (const f of fabrics) {
      checks.push(versionCheck(f));
      const holders = await fabricRoleHolders(f.id, grants, KNOWN_ROLE_IDS, {
        members: (id) => groupMembers(this.http, this.endpoints, id),
        user: (id) => this.lookup('users', id),
        groupName: async (id) => (await this.lookup('groups', id))?.displayName,
      });
      checks.push(holdersCheck(f, holders));
      views.push(holdersView(f, holders));
    }
    return { checks, fabrics: views };
  }

  async run(opts: PreflightOptions = {}): Promise<PreflightReport> {
    const subs = await this.subscriptions(opts);
    const per = await mapLimit(subs, 4, (s) => this.subscriptionChecks(s, Boolean(opts.subscriptions?.length)));
    const checks = per.flatMap((p) => p.checks);
    if (checks.length === 0) {
      checks.push({ kind: 'access', subject: `${subs.length} subscription(s)`, title: 'Fabrics found', status: 'unknown',
        detail: 'No Network Fabric was found in the subscriptions you can read.', fix: 'Name the fabric subscription with --subscription, or sign in as someone holding Reader on it.' });
    }
    return { checkedAt: (opts.now?.() ?? new Date()).toISOString(), ok: !checks.some((c) => c.status === 'fail'), checks, fabrics: per.flatMap((p) => p.fabrics) };
  }
}
