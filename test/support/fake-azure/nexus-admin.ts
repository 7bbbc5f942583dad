// What the Method D v2.0 preflight reads, on the fake ARM and Graph:
//  - Providers - Get, GET /subscriptions/{id}/providers/{namespace}?api-version=2021-04-01, shaped
//    like Azure/azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/
//    stable/2021-04-01/examples/GetProvider.json (commit 96125316b83dfc7039e03c13f5b491df246ff3a3):
//    { id, namespace, registrationState, registrationPolicy, resourceTypes }; an unregistered
//    provider still answers 200 with registrationState "NotRegistered";
//  - role assignments listed at a scope WITHOUT assignedTo() (the fake ARM answers that filter
//    itself): no filter = at, above and below the scope; "principalId eq '{id}'" = that principal
//    only, not transitive (authorization stable/2022-04-01 RoleAssignments_ListForScope and the
//    role-assignments-list-rest doc);
//  - Microsoft Graph v1.0 "List group members" (GET /groups/{id}/members: directoryObjects with
//    "@odata.type", direct members only, paged with "@odata.nextLink"), and GET /users/{id},
//    /groups/{id} with $select; an unknown object is 404 Request_ResourceNotFound.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArmResource } from './arm';
import { armError, graphError, json, type FakeReply, type FakeRequest } from './http-util';
import type { FakeAzure } from './server';

/** A fabric in resource group rg-nf of `subscriptionId` in the shape of fixtures/NetworkFabrics_Get.json (2025-07-15), with this fabricVersion. */
export function fabricFromSpec(subscriptionId: string, name: string, fabricVersion: string): ArmResource {
  const shape = (JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'NetworkFabrics_Get.json'), 'utf8')) as { responses: { 200: { body: ArmResource } } }).responses[200].body;
  return { ...shape, id: `/subscriptions/${subscriptionId}/resourceGroups/rg-nf/providers/Microsoft.ManagedNetworkFabric/networkFabrics/${name}`, name, properties: { ...shape.properties, fabricVersion } };
}

export interface DirectoryObject { kind: 'user' | 'group' | 'servicePrincipal'; id: string; displayName: string; userPrincipalName?: string }

const lc = (s: string) => s.toLowerCase();
const PROVIDER = /^\/subscriptions\/([^/]+)\/providers\/([^/]+)$/i;
const ASSIGNMENTS = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments$/i;
/** Graph's default page of group members. */
const MEMBERS_PAGE = 100;

export class FakeNexusAdmin {
  /** registrationState per "subscription/namespace" (lower case); absent = NotRegistered. */
  readonly providers = new Map<string, string>();
  readonly directory = new Map<string, DirectoryObject>();
  /** Direct members of each group, by object id. */
  readonly members = new Map<string, string[]>();
  /** The largest page of members served, whatever $top asks (Graph's own cap is 999); lower it to make a listing page. */
  membersPageCap = 999;
  /** Groups whose member listing answers 403 (the admin may not read it). */
  readonly unreadableGroups = new Set<string>();

  constructor(private readonly fake: FakeAzure) {}

  static install(fake: FakeAzure): FakeNexusAdmin {
    const n = new FakeNexusAdmin(fake);
    fake.extraRoutes.push((service, req) => (service === 'arm' ? n.arm(req) : service === 'graph' ? n.graph(req) : undefined));
    return n;
  }

  setProvider(subscriptionId: string, namespace: string, state: 'Registered' | 'NotRegistered' | 'Registering' | 'Unregistered'): void {
    this.providers.set(lc(`${subscriptionId}/${namespace}`), state);
  }

  addObject(o: DirectoryObject, memberOf: string[] = []): void {
    this.directory.set(lc(o.id), o);
    for (const g of memberOf) this.members.set(lc(g), [...(this.members.get(lc(g)) ?? []), o.id]);
  }

  private arm(req: FakeRequest): FakeReply | undefined {
    const path = decodeURIComponent(req.url.pathname);
    const p = PROVIDER.exec(path);
    if (p && req.method === 'GET') {
      const [, sub, ns] = p as unknown as [string, string, string];
      return json(200, {
        id: `/subscriptions/${sub}/providers/${ns}`, namespace: ns, registrationState: this.providers.get(lc(`${sub}/${ns}`)) ?? 'NotRegistered', registrationPolicy: 'RegistrationRequired',
        resourceTypes: [{ resourceType: 'identitySets', locations: ['East US'], apiVersions: ['2024-02-15-preview'], capabilities: 'SupportsTags, SupportsLocation' }],
      });
    }
    const a = ASSIGNMENTS.exec(path);
    if (!a || req.method !== 'GET') return undefined;
    const filter = req.url.searchParams.get('$filter') ?? '';
    if (filter.includes('assignedTo(')) return undefined;
    const principal = /^principalId eq '([^']+)'$/.exec(filter.trim())?.[1];
    if (filter && !principal) return armError(400, 'UnsupportedFilter', `the fake does not support $filter=${filter}`);
    const scope = lc(a[1]!);
    const rows = this.fake.arm.roleAssignments.filter((r) => {
      const s = lc(r.properties.scope);
      const related = s === '/' || s.startsWith('/providers/microsoft.management/') || s === scope || s.startsWith(`${scope}/`) || scope.startsWith(`${s}/`);
      return related && (!principal || lc(r.properties.principalId) === lc(principal));
    });
    return json(200, { value: rows });
  }

  private graph(req: FakeRequest): FakeReply | undefined {
    if (req.method !== 'GET') return undefined;
    const m = /^\/v1\.0\/(users|groups)\/([^/]+)(\/members)?$/.exec(req.url.pathname);
    if (!m) return undefined;
    const [, kind, rawId, members] = m as unknown as [string, string, string, string | undefined];
    const id = decodeURIComponent(rawId);
    const o = this.directory.get(lc(id));
    const notFound = graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    if (!o || (kind === 'users') !== (o.kind === 'user') || (kind === 'groups' && o.kind !== 'group')) return notFound;
    const view = (x: DirectoryObject) => ({ '@odata.type': `#microsoft.graph.${x.kind}`, id: x.id, displayName: x.displayName, ...(x.kind === 'user' ? { userPrincipalName: x.userPrincipalName ?? null } : {}) });
    if (!members) return json(200, { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#${kind}(id,displayName)/$entity`, ...view(o) });
    if (this.unreadableGroups.has(lc(id))) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const all = (this.members.get(lc(id)) ?? []).map((x) => this.directory.get(lc(x))).filter((x): x is DirectoryObject => x !== undefined);
    const top = Math.min(Number(req.url.searchParams.get('$top') ?? MEMBERS_PAGE), this.membersPageCap);
    const skip = Number(req.url.searchParams.get('$skiptoken') ?? 0);
    const body: Record<string, unknown> = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id,displayName,userPrincipalName)', value: all.slice(skip, skip + top).map(view) };
    if (skip + top < all.length) {
      const next = new URL(req.url.toString());
      next.searchParams.set('$skiptoken', String(skip + top));
      body['@odata.nextLink'] = `${this.fake.urls.graph}${next.pathname}${next.search}`;
    }
    return json(200, body);
  }
}
