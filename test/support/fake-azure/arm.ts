// Fake Azure Resource Manager: subscriptions, a generic case-insensitive resource store (fabrics,
// racks, devices, clusters, BMMs, keysets), role assignments and definitions, and the routing to
// the behaviours kept in their own files: Resource Graph, keyset writes with ETags, long-running
// operations (operationStatuses) and throttling headers.
import { randomUUID } from 'node:crypto';
import { armError, json, type FakeReply, type FakeRequest } from './http-util';
import type { FakeUser } from './idp';
import { newEtag } from './etags';
import { FakeKeysets } from './keysets';
import { FakeOperations, OPERATION_STATUS_PATH } from './operations';
import { FakeThrottle } from './throttling';

export type ArmResource = Record<string, unknown> & { id: string; name: string; type: string; properties?: Record<string, unknown> };
export interface FakeSubscription { subscriptionId: string; displayName: string; state: string; tenantId: string }
export interface RoleAssignment { id: string; name: string; type: string; properties: { roleDefinitionId: string; principalId: string; principalType: string; scope: string } }
export interface RoleDefinition { id: string; name: string; type: string; properties: { roleName: string; type: string } }

const lc = (s: string): string => s.toLowerCase();
const KEYSET_TYPE = 'microsoft.networkcloud/clusters/baremetalmachinekeysets';

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

export class FakeArm {
  subscriptions: FakeSubscription[] = [];
  resources = new Map<string, ArmResource>();
  roleAssignments: RoleAssignment[] = [];
  roleDefinitions: RoleDefinition[] = [];
  /** Subscriptions that answer 403 AuthorizationFailed to everything. */
  forbiddenSubscriptions = new Set<string>();
  /** Make Resource Graph fail with this status (403 forbidden, 400 bad query, 503...). */
  resourceGraphStatus: number | undefined;
  /** Page sizes: ARM lists and the Resource Graph's cap on $top. */
  armPageSize = 1000;
  resourceGraphPageSize = 1000;
  readonly operations: FakeOperations;
  readonly throttle = new FakeThrottle();
  readonly keysets: FakeKeysets;
  private readonly pageTokens = new Map<string, unknown[]>();

  constructor(readonly base: string, readonly user: FakeUser) {
    this.operations = new FakeOperations(base);
    this.keysets = new FakeKeysets({
      get: (id) => this.resources.get(lc(id)),
      put: (r) => { this.resources.set(lc(r.id), r); },
      remove: (id) => { this.resources.delete(lc(id)); },
    }, this.operations, user);
  }

  /** Keysets carry an etag (NetworkCloud versions after the 2025-09-01 examples, which predate it). */
  add(...rs: ArmResource[]): void {
    for (const r of rs) {
      if (lc(r.type) === KEYSET_TYPE && r.etag === undefined) r.etag = newEtag();
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
    if (lc(path) === '/providers/microsoft.resourcegraph/resources' && req.method === 'POST') return this.resourceGraph(req);
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
    const ts = typeAndScope(path);
    if (!ts) return undefined;
    if (ts.isList && req.method === 'GET') {
      const items = [...this.resources.values()].filter((r) => lc(r.type) === ts.type && lc(r.id).startsWith(`${lc(ts.scope)}/`));
      return this.page(items, req);
    }
    if (ts.isList) return undefined;
    const existing = this.resources.get(lc(path));
    if (req.method === 'GET') {
      return existing
        ? json(200, existing, typeof existing.etag === 'string' ? { etag: existing.etag } : {})
        : armError(404, 'ResourceNotFound', `The Resource '${ts.type}/${path.split('/').pop()}' under resource group was not found.`);
    }
    if (ts.type === KEYSET_TYPE) return this.keysets.write(req, path);
    return undefined;
  }

  private listRoleAssignments(path: string, req: FakeRequest): FakeReply {
    const m = /assignedTo\('([^']+)'\)/.exec(req.url.searchParams.get('$filter') ?? '');
    if (!m) return armError(400, 'UnsupportedFilter', 'the fake supports only assignedTo()');
    const principals = new Set([m[1], ...(m[1] === this.user.oid ? this.user.groups : [])]);
    const scope = lc(path.replace(/\/providers\/Microsoft\.Authorization\/roleAssignments$/i, ''));
    const out = this.roleAssignments.filter((a) => {
      const s = lc(a.properties.scope);
      // Above (root, management group) or at/below the subscription asked about.
      return principals.has(a.properties.principalId) && (s === '/' || s.startsWith('/providers/microsoft.management/') || s === scope || s.startsWith(`${scope}/`));
    });
    return this.page(out, req);
  }

  private resourceGraph(req: FakeRequest): FakeReply {
    if (this.resourceGraphStatus) {
      return this.resourceGraphStatus === 403
        ? armError(403, 'AuthorizationFailed', 'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read')
        : armError(this.resourceGraphStatus, 'ServiceUnavailable', 'Resource Graph is unavailable');
    }
    const body = JSON.parse(req.body) as { subscriptions?: string[]; query?: string; options?: { $top?: number; $skipToken?: string } };
    const q = lc(body.query ?? '');
    if (!(q.includes('networkdevices') && q.includes('networkfabrics') && q.includes('networkracks') && q.includes('make_list'))) {
      return armError(400, 'BadRequest', 'the fake Resource Graph only evaluates the inventory query');
    }
    const top = Math.min(body.options?.$top ?? 100, this.resourceGraphPageSize);
    let rows: unknown[];
    let offset = 0;
    if (body.options?.$skipToken) {
      const [key, off] = Buffer.from(body.options.$skipToken, 'base64').toString().split(':');
      const cached = this.pageTokens.get(key ?? '');
      if (!cached) return armError(400, 'InvalidSkipToken', 'The $skipToken is invalid');
      rows = cached;
      offset = Number(off);
    } else {
      rows = this.inventoryRows(body.subscriptions);
    }
    const key = randomUUID();
    const data = rows.slice(offset, offset + top);
    const more = offset + top < rows.length;
    if (more) this.pageTokens.set(key, rows);
    return json(200, {
      totalRecords: rows.length, count: data.length, resultTruncated: 'false', facets: [], data,
      ...(more ? { $skipToken: Buffer.from(`${key}:${offset + top}`).toString('base64') } : {}),
    });
  }

  /** What the inventory KQL returns: one row per fabric, one row per fabric's device list. */
  private inventoryRows(subscriptions: string[] | undefined): unknown[] {
    const subs = subscriptions && new Set(subscriptions.map(lc));
    const inScope = (r: ArmResource): boolean => !subs || subs.has(lc(r.id.split('/')[2] ?? '')) && !this.isForbidden(r.id);
    const of = (t: string): ArmResource[] => [...this.resources.values()].filter((r) => lc(r.type) === t && inScope(r));
    const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
    const racks = new Map(of('microsoft.managednetworkfabric/networkracks').map((r) => [lc(r.id), lc(str(r.properties?.networkFabricId))]));
    const groups = new Map<string, unknown[]>();
    for (const d of of('microsoft.managednetworkfabric/networkdevices')) {
      const p = d.properties ?? {};
      const fabricId = lc(str(p.networkFabricId)) || racks.get(lc(str(p.networkRackId))) || '';
      const list = groups.get(fabricId) ?? [];
      list.push({
        id: d.id, name: d.name, role: str(p.networkDeviceRole), host: str(p.hostName), mgmt4: str(p.managementIpv4Address), mgmt6: str(p.managementIpv6Address),
        serial: str(p.serialNumber), version: str(p.version), adminState: str(p.administrativeState), configState: str(p.configurationState),
        provState: str(p.provisioningState), operState: str(p.operationalState),
      });
      groups.set(fabricId, list);
    }
    const deviceRows = [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([fabricId, devices]) => ({ kind: 'devices', fabricId, devices }));
    const fabricRows = of('microsoft.managednetworkfabric/networkfabrics').sort((a, b) => lc(a.id).localeCompare(lc(b.id))).map((f) => ({
      kind: 'fabric', id: f.id, name: f.name, subscriptionId: f.id.split('/')[2], resourceGroup: f.id.split('/')[4], location: str(f.location),
      provState: str(f.properties?.provisioningState), adminState: str(f.properties?.administrativeState), configState: str(f.properties?.configurationState),
    }));
    return [...deviceRows, ...fabricRows];
  }
}
