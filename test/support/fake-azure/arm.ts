// Fake Azure Resource Manager: subscriptions, a generic case-insensitive resource store (fabrics,
// racks, devices, clusters, BMMs, BMM and BMC keysets), role assignments and definitions, and the routing to
// the behaviours kept in their own files: Resource Graph, keyset writes with ETags, long-running
// operations (operationStatuses), throttling headers and fabric password rotation.
import { armError, json, type FakeReply, type FakeRequest } from './http-util';
import type { FakeUser } from './idp';
import { newEtag } from './etags';
import { FakeKeysets, keysetTypeOf } from './keysets';
import { FakeOperations, OPERATION_STATUS_PATH } from './operations';
import { FakeThrottle } from './throttling';
import { FakeResourceGraph } from './resource-graph';
import { FakeFabricPasswords } from './fabric-passwords';

export type ArmResource = Record<string, unknown> & { id: string; name: string; type: string; properties?: Record<string, unknown> };
export interface FakeSubscription { subscriptionId: string; displayName: string; state: string; tenantId: string }
export interface RoleAssignment { id: string; name: string; type: string; properties: { roleDefinitionId: string; principalId: string; principalType: string; scope: string } }
export interface RoleDefinition { id: string; name: string; type: string; properties: { roleName: string; type: string } }

const lc = (s: string): string => s.toLowerCase();

/** Type of an ARM id or list path, e.g. microsoft.networkcloud/clusters/baremetalmachinekeysets. */
function typeAndScope(path: string): { type: string; scope: string; isList: boolean } | undefined {
  const i = lc(path).lastIndexOf('/providers/');
  if (i < 0) return undefined;
  const [ns, ...tail] = path.slice(i + '/providers/'.length).split('/');
  if (!ns || tail.length === 0) return undefined;
  const types = tail.filter((_s, k) => k % 2 === 0);
  const isList = tail.length % 2 === 1;
  const scope = isList ? (tail.length === 1 ? path.slice(0, i) : `${path.slice(0, i)}/providers/${ns}/${tail.slice(0, -1).join('/')}`) : path;
  return { type: lc(`${ns}/${types.join('/')}`), scope, isList };
}

/**
 * A resource as the asked api-version shows it: devices carry operationalState only from
 * 2026-01-15-preview on (ManagedNetworkFabric .../preview/2026-01-15-preview/examples/NetworkDevices_ListBySubscription.json;
 * the 2025-07-15 examples have none).
 */
function atVersion(r: ArmResource, version: string): ArmResource {
  if (lc(r.type) !== 'microsoft.managednetworkfabric/networkdevices' || version >= '2026-01-15' || !r.properties || !('operationalState' in r.properties)) return r;
  const { operationalState: _hidden, ...properties } = r.properties;
  return { ...r, properties };
}

export class FakeArm {
  subscriptions: FakeSubscription[] = [];
  resources = new Map<string, ArmResource>();
  roleAssignments: RoleAssignment[] = [];
  roleDefinitions: RoleDefinition[] = [];
  /** Subscriptions that answer 403 AuthorizationFailed to everything. */
  forbiddenSubscriptions = new Set<string>();
  /** Page size of ARM lists. */
  armPageSize = 1000;
  /** api-versions answered 400 NoRegisteredProviderFound (a version not rolled out to this cloud). */
  readonly unofferedVersions = new Set<string>();
  readonly operations: FakeOperations;
  readonly throttle = new FakeThrottle();
  readonly keysets: FakeKeysets;
  readonly fabricPasswords: FakeFabricPasswords;
  readonly resourceGraph = new FakeResourceGraph(() => this.resources.values(), (_sub, id) => !this.isForbidden(id));

  constructor(readonly base: string, readonly user: FakeUser) {
    this.operations = new FakeOperations(base);
    this.keysets = new FakeKeysets({
      get: (id) => this.resources.get(lc(id)),
      put: (r) => { this.resources.set(lc(r.id), r); },
      remove: (id) => { this.resources.delete(lc(id)); },
    }, this.operations, user);
    this.fabricPasswords = new FakeFabricPasswords(() => this.resources.values(), (id) => this.resources.get(lc(id)), this.operations);
  }

  /** Keysets carry an etag (NetworkCloud versions after the 2025-09-01 examples, which predate it). */
  add(...rs: ArmResource[]): void {
    for (const r of rs) {
      if (keysetTypeOf(r.type) && r.etag === undefined) r.etag = newEtag();
      this.resources.set(lc(r.id), r);
    }
  }

  private isForbidden(path: string): boolean {
    const m = /^\/subscriptions\/([^/]+)/i.exec(path);
    return Boolean(m && [...this.forbiddenSubscriptions].some((s) => lc(s) === lc(m[1]!)));
  }

  private page(items: unknown[], req: FakeRequest): FakeReply {
    const skip = Number(req.url.searchParams.get('$skiptoken') ?? '0');
    const slice = items.slice(skip, skip + this.armPageSize);
    const body: Record<string, unknown> = { value: slice };
    if (skip + this.armPageSize < items.length) {
      const next = new URL(req.url.toString());
      next.searchParams.set('$skiptoken', String(skip + this.armPageSize));
      body.nextLink = `${this.base}${next.pathname}${next.search}`;
    }
    return json(200, body);
  }

  handle(req: FakeRequest): FakeReply | undefined {
    const quota = this.throttle.take(req);
    if (quota.refused) return quota.refused;
    const reply = this.route(req);
    return reply && { ...reply, headers: { ...quota.headers, ...reply.headers } };
  }

  private route(req: FakeRequest): FakeReply | undefined {
    const path = decodeURIComponent(req.url.pathname);
    if (!req.url.searchParams.get('api-version')) return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    if (path === '/subscriptions' && req.method === 'GET') {
      return this.page(this.subscriptions.map((s) => ({ id: `/subscriptions/${s.subscriptionId}`, authorizationSource: 'RoleBased', managedByTenants: [], ...s, subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'Fake', spendingLimit: 'Off' } })), req);
    }
    if (lc(path) === '/providers/microsoft.resourcegraph/resources' && req.method === 'POST') return this.resourceGraph.handle(req);
    if (this.isForbidden(path)) {
      return armError(403, 'AuthorizationFailed', `The client '${this.user.upn}' with object id '${this.user.oid}' does not have authorization to perform action over scope '${path}' or the scope is invalid.`);
    }
    if (/\/providers\/Microsoft\.Authorization\/roleAssignments$/i.test(path)) return this.listRoleAssignments(path, req);
    if (/\/providers\/Microsoft\.Authorization\/roleDefinitions$/i.test(path)) {
      const m = /roleName eq '([^']+)'/.exec(req.url.searchParams.get('$filter') ?? '');
      return json(200, { value: this.roleDefinitions.filter((d) => !m || d.properties.roleName === m[1]) });
    }
    const op = OPERATION_STATUS_PATH.exec(path);
    if (op && req.method === 'GET') return this.operations.poll(op[2]!);
    if (req.method === 'POST' && /\/networkFabrics\/[^/]+\/rotatePasswords$/i.test(path)) return this.fabricPasswords.rotate(path.replace(/\/rotatePasswords$/i, ''));
    const ts = typeAndScope(path);
    if (!ts) return undefined;
    const version = req.url.searchParams.get('api-version')!;
    if (this.unofferedVersions.has(version)) {
      return armError(400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'eastus' and API version '${version}' for type '${ts.type}'.`);
    }
    if (ts.isList && req.method === 'GET') {
      const items = [...this.resources.values()].filter((r) => lc(r.type) === ts.type && lc(r.id).startsWith(`${lc(ts.scope)}/`));
      return this.page(items.map((r) => atVersion(r, version)), req);
    }
    if (ts.isList) return undefined;
    const existing = this.resources.get(lc(path));
    if (req.method === 'GET') {
      return existing
        ? json(200, existing, typeof existing.etag === 'string' ? { etag: existing.etag } : {})
        : armError(404, 'ResourceNotFound', `The Resource '${ts.type}/${path.split('/').pop()}' under resource group was not found.`);
    }
    const keysetType = keysetTypeOf(ts.type);
    if (keysetType) return this.keysets.write(req, path, keysetType);
    return undefined;
  }

  private listRoleAssignments(path: string, req: FakeRequest): FakeReply {
    const m = /assignedTo\('([^']+)'\)/.exec(req.url.searchParams.get('$filter') ?? '');
    if (!m) return armError(400, 'UnsupportedFilter', 'the fake supports only assignedTo()');
    // assignedTo() is transitive: nested group memberships count here (Nexus is stricter).
    const principals = new Set([m[1], ...(m[1] === this.user.oid ? [...this.user.groups, ...(this.user.nestedGroups ?? [])] : [])]);
    const scope = lc(path.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments$/i, ''));
    const out = this.roleAssignments.filter((a) => {
      const s = lc(a.properties.scope);
      // Above (root, management group) or at/below the subscription asked about.
      return principals.has(a.properties.principalId) && (s === '/' || s.startsWith('/providers/microsoft.management/') || s === scope || s.startsWith(`${scope}/`));
    });
    return this.page(out, req);
  }

}
