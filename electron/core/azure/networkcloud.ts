// Microsoft.NetworkCloud: clusters, bare metal machines, and the cluster's keysets: BMM keysets
// (users + keys + jump hosts + expiry, SSH to the machines) and BMC keysets (users + keys + expiry,
// the baseboard management controllers). One code path serves both kinds (keyset-kinds.ts).
// Writes are long-running operations.
import { z } from 'zod';
import type { CloudEndpoints } from '../auth/config';
import { armIdKey, lastSegment, resourceGroupOf, sameArmId, subscriptionOf } from './arm-id';
import { azureAddress } from './azure-hosts';
import { mapLimit } from './concurrency';
import { AzureApiError, AzureConflictError, AzureReplyError, AzureValidationError } from './errors';
import { withDeadline } from '../net/deadline';
import type { AzureHttp } from './http';
import type { LongRunningPoller } from './long-running';
import { BMM_KEYSETS, type KeysetKind } from './keyset-kinds';
import {
  validateKeysetSpec, validateKeysetUpdate, type KeysetSpec, type KeysetUpdate, type KeysetUser,
} from './keyset-validation';

/** Conservative stable floor; privilege level "Other" needs 2025-07-01-preview or later. */
export const NETWORK_CLOUD_API = '2025-09-01';
const PARALLEL_REQUESTS = 8;

const str = z.string().nullish().transform((v) => v ?? '');
const props = <P extends z.ZodRawShape>(shape: P) => z.preprocess((p) => p ?? {}, z.object(shape).passthrough());

const clusterSchema = z.object({
  id: z.string(), name: z.string(), location: str,
  properties: props({
    clusterExtendedLocation: z.object({ name: z.string(), type: z.string() }).passthrough().nullish(),
    networkFabricId: str, clusterType: str, clusterVersion: str, detailedStatus: str, detailedStatusMessage: str,
  }),
}).passthrough();

const bmmSchema = z.object({
  id: z.string(), name: z.string(),
  properties: props({
    clusterId: str, machineName: str, oamIpv4Address: str, oamIpv6Address: str, powerState: str, readyState: str,
    detailedStatus: str, cordonStatus: str, provisioningState: str, rackSlot: z.number().nullish(),
  }),
}).passthrough();

const keysetUserSchema = z.object({
  azureUserName: z.string(),
  userPrincipalName: str,
  description: str,
  sshPublicKey: z.object({ keyData: z.string() }).passthrough(),
}).passthrough();

const keysetSchema = z.object({
  id: z.string(), name: z.string(), location: str, etag: z.string().nullish(),
  properties: props({
    azureGroupId: str, expiration: str, jumpHostsAllowed: z.array(z.string()).nullish().transform((v) => v ?? []),
    osGroupName: str, privilegeLevel: str, privilegeLevelName: str, provisioningState: str, detailedStatus: str,
    detailedStatusMessage: str, lastValidation: str,
    userList: z.array(keysetUserSchema).nullish().transform((v) => v ?? []),
    userListStatus: z.array(z.object({ azureUserName: z.string(), status: str, statusMessage: str }).passthrough()).nullish().transform((v) => v ?? []),
  }),
}).passthrough();

export interface ClusterInfo {
  id: string; name: string; subscriptionId: string; resourceGroup: string; location: string;
  customLocationId: string | null; networkFabricId: string | null; clusterType: string; clusterVersion: string;
  detailedStatus: string; detailedStatusMessage: string;
}

export interface BareMetalMachineInfo {
  id: string; name: string; machineName: string; oamIpv4: string | null; oamIpv6: string | null;
  powerState: string; readyState: string; detailedStatus: string; cordonStatus: string; provisioningState: string;
}

export interface KeysetUserStatus extends KeysetUser {
  status: 'Active' | 'Invalid' | 'Unknown';
  statusMessage: string;
}

export interface KeysetInfo {
  kind: KeysetKind['id'];
  id: string; name: string; clusterId: string; azureGroupId: string; expiration: string; jumpHostsAllowed: string[];
  privilegeLevel: string; privilegeLevelName: string; osGroupName: string; provisioningState: string;
  detailedStatus: string; detailedStatusMessage: string; lastValidation: string; users: KeysetUserStatus[];
  /** The version read, for If-Match; null where the service sends none. */
  etag: string | null;
}

/** What changed between the version an operator read and the latest one, and their change on top of it. */
export interface KeysetConflict {
  latest: KeysetInfo;
  /** From the version read to the latest (someone else's change). */
  theirs: KeysetDiff;
  /** From the latest to what this operator asks for; for a delete, every user losing access. */
  ours: KeysetDiff;
}

/** Asks the operator whether to go on after someone else changed the keyset (injected: a prompt). */
export type ConflictQuestion = (conflict: KeysetConflict) => Promise<boolean>;

export interface KeysetWriteOptions {
  /** The version the operator looked at (If-Match); read now when not given. */
  basis?: KeysetInfo;
  ask?: ConflictQuestion;
  /** BMM (default) or BMC keyset. */
  kind?: KeysetKind;
}

const PRECONDITION_FAILED = 412;
/** Re-reads after a 412 before giving up: each one means yet another concurrent change. */
const MAX_CONFLICT_ROUNDS = 3;

export interface KeysetDiff {
  added: string[];
  removed: string[];
  keyChanged: string[];
  otherChanged: string[];
  expiration?: { from: string; to: string };
  jumpHosts?: { from: string[]; to: string[] };
  /** Lines for a confirmation prompt. */
  lines: string[];
}

function clusterInfo(c: z.infer<typeof clusterSchema>): ClusterInfo {
  const p = c.properties;
  return {
    id: c.id, name: c.name, subscriptionId: subscriptionOf(c.id) ?? '', resourceGroup: resourceGroupOf(c.id) ?? '', location: c.location,
    customLocationId: p.clusterExtendedLocation?.name ?? null, networkFabricId: p.networkFabricId || null, clusterType: p.clusterType,
    clusterVersion: p.clusterVersion, detailedStatus: p.detailedStatus, detailedStatusMessage: p.detailedStatusMessage,
  };
}

function keysetInfo(kind: KeysetKind, k: z.infer<typeof keysetSchema>, etagHeader?: string): KeysetInfo {
  const p = k.properties;
  const status = new Map(p.userListStatus.map((s) => [s.azureUserName, s]));
  const segment = k.id.toLowerCase().lastIndexOf(`/${kind.segment.toLowerCase()}/`);
  return {
    kind: kind.id, id: k.id, name: k.name, clusterId: segment < 0 ? '' : k.id.slice(0, segment), azureGroupId: p.azureGroupId,
    expiration: p.expiration, jumpHostsAllowed: p.jumpHostsAllowed, privilegeLevel: p.privilegeLevel, privilegeLevelName: p.privilegeLevelName,
    osGroupName: p.osGroupName, provisioningState: p.provisioningState, detailedStatus: p.detailedStatus,
    detailedStatusMessage: p.detailedStatusMessage, lastValidation: p.lastValidation, etag: k.etag ?? etagHeader ?? null,
    users: p.userList.map((u) => {
      const s = status.get(u.azureUserName);
      return {
        azureUserName: u.azureUserName, userPrincipalName: u.userPrincipalName, sshPublicKey: u.sshPublicKey.keyData,
        ...(u.description ? { description: u.description } : {}),
        status: s?.status === 'Active' || s?.status === 'Invalid' ? s.status : 'Unknown', statusMessage: s?.statusMessage ?? '',
      };
    }),
  };
}

const wireUser = (u: KeysetUser): Record<string, unknown> => ({
  azureUserName: u.azureUserName, userPrincipalName: u.userPrincipalName, sshPublicKey: { keyData: u.sshPublicKey.trim() },
  ...(u.description ? { description: u.description } : {}),
});

/** What an update would change, for the operator to confirm (PATCH replaces the whole user list). */
export function keysetDiff(current: KeysetInfo, update: KeysetUpdate): KeysetDiff {
  const d: KeysetDiff = { added: [], removed: [], keyChanged: [], otherChanged: [], lines: [] };
  if (update.users) {
    const before = new Map(current.users.map((u) => [u.azureUserName, u]));
    const after = new Map(update.users.map((u) => [u.azureUserName, u]));
    for (const [n, u] of after) {
      const old = before.get(n);
      if (!old) d.added.push(n);
      else if (old.sshPublicKey.trim() !== u.sshPublicKey.trim()) d.keyChanged.push(n);
      else if (old.userPrincipalName !== u.userPrincipalName || (old.description ?? '') !== (u.description ?? '')) d.otherChanged.push(n);
    }
    for (const n of before.keys()) if (!after.has(n)) d.removed.push(n);
  }
  if (update.expiration !== undefined && Date.parse(update.expiration) !== Date.parse(current.expiration)) d.expiration = { from: current.expiration, to: update.expiration };
  if (update.jumpHostsAllowed !== undefined && [...update.jumpHostsAllowed].sort().join() !== [...current.jumpHostsAllowed].sort().join()) {
    d.jumpHosts = { from: current.jumpHostsAllowed, to: update.jumpHostsAllowed };
  }
  for (const n of d.added) d.lines.push(`+ user ${n}`);
  for (const n of d.removed) d.lines.push(`- user ${n} (loses access)`);
  for (const n of d.keyChanged) d.lines.push(`~ user ${n}: new SSH key`);
  for (const n of d.otherChanged) d.lines.push(`~ user ${n}: UPN or description`);
  if (d.expiration) d.lines.push(`~ expiration ${d.expiration.from} -> ${d.expiration.to}`);
  if (d.jumpHosts) d.lines.push(`~ jump hosts ${d.jumpHosts.from.join(', ') || '(none)'} -> ${d.jumpHosts.to.join(', ')}`);
  return d;
}

/** The keyset as a full update, to diff one version against another. */
const asUpdate = (k: KeysetInfo): KeysetUpdate => ({ users: k.users, expiration: k.expiration, jumpHostsAllowed: k.jumpHostsAllowed });

const isPreconditionFailed = (err: unknown): boolean => err instanceof AzureApiError && err.status === PRECONDITION_FAILED;

/** True when an existing keyset is what `spec` would create (a retried create that already happened). */
export function keysetMatches(existing: KeysetInfo, spec: KeysetSpec): boolean {
  const same = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
  return same(existing.azureGroupId, spec.azureGroupId) && same(existing.privilegeLevel, spec.privilegeLevel)
    && same(existing.privilegeLevelName, spec.privilegeLevelName) && same(existing.osGroupName, spec.osGroupName)
    && keysetDiff(existing, { users: spec.users, expiration: spec.expiration, jumpHostsAllowed: spec.jumpHostsAllowed }).lines.length === 0;
}

export class NetworkCloud {
  constructor(
    private readonly http: AzureHttp,
    private readonly endpoints: CloudEndpoints,
    private readonly poller: LongRunningPoller,
    private readonly subscriptions: () => Promise<string[]>,
    private readonly now: () => Date = () => new Date(),
    /** Overall budget of one read (listing clusters, machines, keysets); writes' polling is bounded by PollLimits instead. */
    private readonly readDeadlineMs?: number,
  ) {}

  private read<T>(fn: () => Promise<T>): Promise<T> {
    return this.readDeadlineMs ? withDeadline(this.readDeadlineMs, fn) : fn();
  }

  private url(path: string): string {
    return `${this.endpoints.armEndpoint}${path}?api-version=${NETWORK_CLOUD_API}`;
  }

  clusters(): Promise<ClusterInfo[]> {
    return this.read(() => this.listClusters());
  }

  private async listClusters(): Promise<ClusterInfo[]> {
    const subs = await this.subscriptions();
    const per = await mapLimit(subs, PARALLEL_REQUESTS, async (sub) => {
      try {
        return await this.http.listAll(`list clusters in ${sub}`, 'arm', this.url(`/subscriptions/${sub}/providers/Microsoft.NetworkCloud/clusters`), clusterSchema);
      } catch (err) {
        if (err instanceof AzureApiError && (err.status === 403 || err.status === 404)) return [];
        throw err;
      }
    });
    return per.flat().map(clusterInfo).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A cluster by ARM id, or by name across the enabled subscriptions. */
  async cluster(nameOrId: string): Promise<ClusterInfo> {
    if (nameOrId.startsWith('/subscriptions/')) {
      return clusterInfo(await this.read(() => this.http.get(`read cluster ${lastSegment(nameOrId)}`, 'arm', this.url(nameOrId), clusterSchema)));
    }
    const matches = (await this.clusters()).filter((c) => c.name.toLowerCase() === nameOrId.toLowerCase());
    if (matches.length === 1) return matches[0]!;
    throw new AzureValidationError([matches.length === 0
      ? `no cluster named "${nameOrId}" in the subscriptions you can see`
      : `several clusters are named "${nameOrId}"; pass the ARM id: ${matches.map((m) => m.id).join(', ')}`]);
  }

  async bareMetalMachines(cluster: ClusterInfo): Promise<BareMetalMachineInfo[]> {
    const all = await this.read(() => this.http.listAll(`list bare metal machines in ${cluster.subscriptionId}`, 'arm',
      this.url(`/subscriptions/${cluster.subscriptionId}/providers/Microsoft.NetworkCloud/bareMetalMachines`), bmmSchema));
    // A refused OAM address shows as absent ("-"): this list has no warnings channel of its own.
    const ignore = (): void => {};
    return all.filter((m) => sameArmId(m.properties.clusterId, cluster.id)).map((m) => {
      const p = m.properties;
      const what = `machine ${m.name} OAM address`;
      return {
        id: m.id, name: m.name, machineName: p.machineName, oamIpv4: azureAddress(p.oamIpv4Address, what, ignore), oamIpv6: azureAddress(p.oamIpv6Address, what, ignore),
        powerState: p.powerState, readyState: p.readyState, detailedStatus: p.detailedStatus, cordonStatus: p.cordonStatus, provisioningState: p.provisioningState,
      };
    }).sort((a, b) => a.machineName.localeCompare(b.machineName) || a.name.localeCompare(b.name));
  }

  private keysetPath(cluster: ClusterInfo, kind: KeysetKind, name?: string): string {
    return `${cluster.id}/${kind.segment}${name ? `/${encodeURIComponent(name)}` : ''}`;
  }

  async keysets(cluster: ClusterInfo, kind: KeysetKind = BMM_KEYSETS): Promise<KeysetInfo[]> {
    const list = await this.read(() => this.http.listAll(`list ${kind.noun}s of ${cluster.name}`, 'arm', this.url(this.keysetPath(cluster, kind)), keysetSchema));
    // Spec examples repeat entries; keep one per id.
    const seen = new Set<string>();
    return list.filter((k) => !seen.has(armIdKey(k.id)) && Boolean(seen.add(armIdKey(k.id)))).map((k) => keysetInfo(kind, k));
  }

  async keyset(cluster: ClusterInfo, name: string, kind: KeysetKind = BMM_KEYSETS): Promise<KeysetInfo> {
    const op = `read ${kind.noun} ${name}`;
    const r = await this.read(() => this.http.send({ operation: op, resource: 'arm', method: 'GET', url: this.url(this.keysetPath(cluster, kind, name)), schema: keysetSchema }));
    if (!r.data) throw new AzureReplyError(op, `HTTP ${r.status} without the keyset`, r.requestId);
    return keysetInfo(kind, r.data, r.headers.etag);
  }

  async createKeyset(cluster: ClusterInfo, spec: KeysetSpec, kind: KeysetKind = BMM_KEYSETS): Promise<KeysetInfo> {
    validateKeysetSpec(spec, this.now(), kind);
    if (!cluster.customLocationId) throw new AzureValidationError([`cluster ${cluster.name} has no clusterExtendedLocation; cannot place a keyset`]);
    const machineAccess = kind.machineAccess ? {
      jumpHostsAllowed: spec.jumpHostsAllowed, ...(spec.privilegeLevelName ? { privilegeLevelName: spec.privilegeLevelName } : {}),
      ...(spec.osGroupName ? { osGroupName: spec.osGroupName } : {}),
    } : {};
    const body = {
      location: cluster.location,
      extendedLocation: { name: cluster.customLocationId, type: 'CustomLocation' },
      properties: {
        azureGroupId: spec.azureGroupId, expiration: new Date(spec.expiration).toISOString(), privilegeLevel: spec.privilegeLevel,
        ...machineAccess, userList: spec.users.map(wireUser),
      },
    };
    const op = `create ${kind.noun} ${spec.name}`;
    let r;
    try {
      r = await this.http.send({ operation: op, resource: 'arm', method: 'PUT', url: this.url(this.keysetPath(cluster, kind, spec.name)), body, headers: { 'if-none-match': '*' }, schema: keysetSchema });
    } catch (err) {
      if (!isPreconditionFailed(err)) throw err;
      // If-None-Match: * met a keyset of that name: a retry of our own create that went through
      // (its reply lost) is success; anything else is someone else's keyset and is left alone.
      const existing = await this.keyset(cluster, spec.name, kind);
      if (keysetMatches(existing, spec)) return existing;
      throw new AzureConflictError(op, `a ${kind.noun} named ${spec.name} already exists with other settings; nothing was changed (see 'nbg ${kind.id === 'bmm' ? 'keysets' : 'bmc-keysets'} show')`);
    }
    await this.poller.follow(op, r.headers);
    return this.keyset(cluster, spec.name, kind);
  }

  /**
   * Runs a conditional write (If-Match: the version read). On 412 it re-reads, shows what changed
   * through `ask`, and goes on against the latest version only when the operator says so.
   */
  private async conditional(op: string, target: { cluster: ClusterInfo; name: string; kind: KeysetKind }, basis: KeysetInfo, ours: (latest: KeysetInfo) => KeysetDiff,
    ask: ConflictQuestion | undefined, write: (etag: string | null) => Promise<Record<string, string>>): Promise<void> {
    const { cluster, name, kind } = target;
    let read = basis;
    for (let round = 0; ; round++) {
      let headers: Record<string, string>;
      try {
        headers = await write(read.etag);
      } catch (err) {
        if (!isPreconditionFailed(err)) throw err;
        const latest = await this.keyset(cluster, name, kind);
        const conflict: KeysetConflict = { latest, theirs: keysetDiff(read, asUpdate(latest)), ours: ours(latest) };
        if (round + 1 >= MAX_CONFLICT_ROUNDS) throw new AzureConflictError(op, `${kind.noun} ${name} keeps changing under us; nothing was changed, try again`);
        if (!ask || !(await ask(conflict))) throw new AzureConflictError(op, `${kind.noun} ${name} was changed by someone else since it was read; nothing was changed`);
        read = latest;
        continue;
      }
      await this.poller.follow(op, headers);
      return;
    }
  }

  /**
   * PATCH with only the mutable fields; the user list, when given, replaces the old one. Sent with
   * If-Match of `basis` (the version the operator looked at; read now when not given).
   */
  async updateKeyset(cluster: ClusterInfo, name: string, update: KeysetUpdate, opts: KeysetWriteOptions = {}): Promise<KeysetInfo> {
    const kind = opts.kind ?? BMM_KEYSETS;
    validateKeysetUpdate({ ...update }, this.now(), kind);
    const properties = {
      ...(update.expiration !== undefined ? { expiration: new Date(update.expiration).toISOString() } : {}),
      ...(update.jumpHostsAllowed !== undefined ? { jumpHostsAllowed: update.jumpHostsAllowed } : {}),
      ...(update.users !== undefined ? { userList: update.users.map(wireUser) } : {}),
    };
    const op = `update ${kind.noun} ${name}`;
    const basis = opts.basis ?? await this.keyset(cluster, name, kind);
    await this.conditional(op, { cluster, name, kind }, basis, (latest) => keysetDiff(latest, update), opts.ask, async (etag) => (await this.http.send({
      operation: op, resource: 'arm', method: 'PATCH', url: this.url(this.keysetPath(cluster, kind, name)), body: { properties }, schema: keysetSchema,
      headers: etag ? { 'if-match': etag } : {},
    })).headers);
    return this.keyset(cluster, name, kind);
  }

  /** DELETE with If-Match of `basis`, so a keyset someone just changed is not removed unseen. */
  async deleteKeyset(cluster: ClusterInfo, name: string, opts: KeysetWriteOptions = {}): Promise<void> {
    const kind = opts.kind ?? BMM_KEYSETS;
    const op = `delete ${kind.noun} ${name}`;
    const basis = opts.basis ?? await this.keyset(cluster, name, kind);
    await this.conditional(op, { cluster, name, kind }, basis, (latest) => keysetDiff(latest, { users: [] }), opts.ask, async (etag) => (await this.http.send({
      operation: op, resource: 'arm', method: 'DELETE', url: this.url(this.keysetPath(cluster, kind, name)), headers: etag ? { 'if-match': etag } : {},
    })).headers);
  }
}
