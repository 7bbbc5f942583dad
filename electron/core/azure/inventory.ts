// The operator's fabrics and devices across every enabled subscription: one paged Resource Graph
// query (per-subscription REST listing when Resource Graph fails or is forbidden), roles from
// assignedTo() only where fabrics exist, and the last good result cached for offline use.
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { CloudEndpoints } from '../auth/config';
import { armIdKey, lastSegment, resourceGroupOf, sameArmId, subscriptionOf } from './arm-id';
import { azureAddress, azureHostName } from './azure-hosts';
import { printable } from '../../shared/host-address';
import { AzureApiError, AzureReplyError, AzureUnreachableError } from './errors';
import type { AzureHttp } from './http';
import type { InventoryCache } from './inventory-cache';
import { fabricAccess, KNOWN_ROLE_IDS, ROLE_NAMES, type FabricRole, type Grant, type RoleIds } from './role-grants';
import { mapLimit } from './concurrency';
import { withDeadline } from '../net/deadline';
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

export const API = {
  subscriptions: '2022-12-01',
  fabric: '2025-07-15',
  /** The first version whose devices carry operationalState (NetworkDevices_ListBySubscription, 2026-01-15-preview example). */
  fabricOperationalState: '2026-01-15-preview',
  authorization: '2022-04-01',
} as const;

const PARALLEL_REQUESTS = 8;
/** ARM's answers to an api-version a resource provider does not (or not here) offer. */
const VERSION_NOT_OFFERED = new Set(['NoRegisteredProviderFound', 'InvalidApiVersionParameter', 'InvalidResourceType']);
/** Resource Graph takes at most this many subscriptions per query. */
const RESOURCE_GRAPH_MAX_SUBSCRIPTIONS = 1000;
const USABLE_SUBSCRIPTION_STATES = new Set(['enabled', 'warned']);

import type { DeviceInfo, FabricInfo, InventorySnapshot, InventoryView, SubscriptionInfo } from './inventory-snapshot';

export * from './inventory-snapshot';

const str = z.string().nullish().transform((v) => v ?? '');

const subscriptionSchema = z.object({ subscriptionId: z.string(), displayName: str, state: str }).passthrough();

const armResource = <P extends z.ZodRawShape>(props: P) => z.object({
  id: z.string(), name: z.string(), location: str, properties: z.preprocess((p) => p ?? {}, z.object(props).passthrough()),
}).passthrough();
const fabricSchema = armResource({ provisioningState: str, administrativeState: str, configurationState: str });
const rackSchema = armResource({ networkFabricId: str });
const deviceSchema = armResource({
  networkFabricId: str, networkRackId: str, networkDeviceRole: str, hostName: str, managementIpv4Address: str, managementIpv6Address: str,
  serialNumber: str, version: str, administrativeState: str, configurationState: str, provisioningState: str, operationalState: str,
});
const grantSchema = z.object({
  properties: z.object({ roleDefinitionId: z.string(), principalId: z.string(), principalType: str, scope: z.string() }).passthrough(),
}).passthrough();
const roleDefinitionSchema = z.object({ name: z.string(), properties: z.object({ roleName: z.string() }).passthrough() }).passthrough();

// One row per device and one per fabric, ordered by id: no summarize, because Resource Graph pages
// a summarize only as far as its first page ("first page only"); a device's fabric comes through
// its rack when networkFabricId is empty (pre-2025 data).
export const INVENTORY_QUERY = `resources
| where type =~ 'microsoft.managednetworkfabric/networkdevices'
| extend rackId = tolower(tostring(properties.networkRackId)), directFabricId = tolower(tostring(properties.networkFabricId))
| join kind=leftouter (
    resources
    | where type =~ 'microsoft.managednetworkfabric/networkracks'
    | project rackId = tolower(id), rackFabricId = tolower(tostring(properties.networkFabricId))
  ) on rackId
| project kind = 'device', id, name, fabricId = iff(isempty(directFabricId), rackFabricId, directFabricId),
    role = tostring(properties.networkDeviceRole), host = tostring(properties.hostName),
    mgmt4 = tostring(properties.managementIpv4Address), mgmt6 = tostring(properties.managementIpv6Address),
    serial = tostring(properties.serialNumber), version = tostring(properties.version),
    adminState = tostring(properties.administrativeState), configState = tostring(properties.configurationState),
    provState = tostring(properties.provisioningState), operState = tostring(properties.operationalState)
| union (
    resources
    | where type =~ 'microsoft.managednetworkfabric/networkfabrics'
    | project kind = 'fabric', id, name, subscriptionId, resourceGroup, location,
        provState = tostring(properties.provisioningState), adminState = tostring(properties.administrativeState),
        configState = tostring(properties.configurationState)
  )
| order by id asc`;

// Resource Graph rows carry tens of thousands of devices: plain nullable strings (no per-field
// transforms, unknown keys stripped) keep validation cheap; defaults are applied when mapping.
const s = z.string().nullish();
const graphRow = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('device'), id: z.string(), name: z.string(), fabricId: s, role: s, host: s, mgmt4: s, mgmt6: s, serial: s, version: s,
    adminState: s, configState: s, provState: s, operState: s,
  }),
  z.object({
    kind: z.literal('fabric'), id: z.string(), name: z.string(), subscriptionId: z.string(), resourceGroup: s, location: s,
    provState: s, adminState: s, configState: s,
  }),
]);

type RawFabric = Omit<FabricInfo, 'role' | 'viaGroup' | 'groupId' | 'roleUnknown' | 'deviceCount' | 'subscriptionName'>;
type RawDevice = DeviceInfo;
interface Resources { fabrics: RawFabric[]; devices: RawDevice[]; warnings: string[] }

export interface InventoryOptions {
  /** Resource Graph page size (tests use small pages to exercise paging). */
  pageSize?: number;
  now?: () => Date;
  /** Overall budget of one live load (every request, retry and wait) before the cache answers. */
  deadlineMs?: number;
  /**
   * Whose cached inventory to read when no one is signed in now (the token cache gone or
   * unreadable while Entra is down): the last signed-in identity, kept without tokens.
   */
  lastPrincipal?: () => Promise<Principal | null>;
}

/** No account to take a token for: break-glass still reads the last signed-in operator's cache. */
const signInRequired = (err: unknown): boolean => err instanceof NbgError && err.code === ErrorCode.SIGN_IN_REQUIRED;

/**
 * Unreachable, out of time, still throttled after every retry, or answering what we cannot use
 * (endless or foreign pages, oversized replies): break-glass goes on with a cache.
 */
export function isOutage(err: unknown): err is AzureUnreachableError | AzureReplyError | AzureApiError {
  return err instanceof AzureUnreachableError || err instanceof AzureReplyError || (err instanceof AzureApiError && err.status === 429);
}

export class Inventory {
  constructor(
    private readonly http: AzureHttp,
    private readonly endpoints: CloudEndpoints,
    private readonly principal: () => Promise<Principal>,
    private readonly cache: InventoryCache,
    private readonly opts: InventoryOptions = {},
  ) {}

  private arm(path: string, apiVersion: string, extra = ''): string {
    return `${this.endpoints.armEndpoint}${path}?api-version=${apiVersion}${extra}`;
  }

  async subscriptions(): Promise<SubscriptionInfo[]> {
    const all = await this.http.listAll('list subscriptions', 'arm', this.arm('/subscriptions', API.subscriptions), subscriptionSchema, (s) => s.subscriptionId.toLowerCase());
    return all.filter((s) => USABLE_SUBSCRIPTION_STATES.has(s.state.toLowerCase()))
      .map((s) => ({ subscriptionId: s.subscriptionId, displayName: s.displayName, state: s.state }));
  }

  /** A live scan; on success it replaces the offline cache. */
  async refresh(): Promise<InventorySnapshot> {
    const who = await this.principal();
    const subs = await this.subscriptions();
    const resources = await this.resources(subs.map((s) => s.subscriptionId));
    const fabricSubs = [...new Set(resources.fabrics.map((f) => f.subscriptionId.toLowerCase()))];
    const [roleIds, grants] = await Promise.all([this.roleIds(fabricSubs[0]), this.grants(fabricSubs, who.objectId)]);
    const counts = new Map<string, number>();
    for (const d of resources.devices) if (d.fabricId) counts.set(armIdKey(d.fabricId), (counts.get(armIdKey(d.fabricId)) ?? 0) + 1);
    const subName = new Map(subs.map((s) => [s.subscriptionId.toLowerCase(), s.displayName]));
    const fabrics: FabricInfo[] = resources.fabrics.map((f) => {
      const g = grants.bySub.get(f.subscriptionId.toLowerCase());
      const access = g ? fabricAccess(f.id, g, roleIds, who.objectId) : { role: null, viaGroup: false, groupId: null };
      return { ...f, subscriptionName: subName.get(f.subscriptionId.toLowerCase()) ?? '', ...access, roleUnknown: !g, deviceCount: counts.get(armIdKey(f.id)) ?? 0 };
    }).sort((a, b) => a.name.localeCompare(b.name));
    // Point each device at the fabric id exactly as the fabric list spells it; host names and
    // addresses pass the boundary check here, once, for both sources.
    const canonical = new Map(fabrics.map((f) => [armIdKey(f.id), f.id]));
    const hostWarnings: string[] = [];
    const warn = (m: string): void => { hostWarnings.push(m); };
    const devices = resources.devices.map((d) => {
      const what = `device ${printable(d.name)}`;
      return {
        ...d, fabricId: d.fabricId ? canonical.get(armIdKey(d.fabricId)) ?? d.fabricId : null, hostName: azureHostName(d.hostName, what, warn),
        managementIpv4: azureAddress(d.managementIpv4, `${what} management IPv4`, warn), managementIpv6: azureAddress(d.managementIpv6, `${what} management IPv6`, warn),
      };
    });
    const snapshot: InventorySnapshot = {
      fetchedAt: (this.opts.now?.() ?? new Date()).toISOString(),
      principal: { objectId: who.objectId, tenantId: who.tenantId, username: who.username },
      source: resources.source,
      subscriptions: subs,
      fabrics,
      devices,
      warnings: [...resources.warnings, ...grants.warnings, ...hostWarnings],
    };
    await this.cache.save(snapshot);
    return snapshot;
  }

  /**
   * Live when Azure answers; otherwise the last good inventory with its age, so break-glass
   * still works while Azure is unreachable. `offline` skips the network entirely.
   */
  async load(opts: { offline?: boolean } = {}): Promise<InventoryView> {
    const now = this.opts.now?.() ?? new Date();
    const view = (cached: InventorySnapshot, offlineReason: string): InventoryView =>
      ({ ...cached, fromCache: true, ageSeconds: Math.round((now.getTime() - Date.parse(cached.fetchedAt)) / 1000), offlineReason });
    if (!opts.offline) {
      try {
        const live = this.opts.deadlineMs ? await withDeadline(this.opts.deadlineMs, () => this.refresh()) : await this.refresh();
        return { ...live, fromCache: false, ageSeconds: 0 };
      } catch (err) {
        // So does a sign-in that is needed now: the devices are still those of the last operator.
        if (!(isOutage(err) || signInRequired(err))) throw err;
        const cached = await this.cache.load(await this.cacheOwner());
        if (!cached) throw err;
        return view(cached, (err as Error).message);
      }
    }
    const cached = await this.cache.load(await this.cacheOwner());
    if (!cached) throw new AzureUnreachableError('load inventory', 'offline and no cached inventory yet');
    return view(cached, 'offline mode');
  }

  /** Whose cache to read: who is signed in, else the last signed-in identity. */
  private async cacheOwner(): Promise<Principal> {
    try {
      return await this.principal();
    } catch (err) {
      const last = signInRequired(err) ? await this.opts.lastPrincipal?.() : null;
      if (!last) throw err;
      return last;
    }
  }

  private async resources(subscriptions: string[]): Promise<Resources & { source: InventorySnapshot['source'] }> {
    if (subscriptions.length === 0) return { fabrics: [], devices: [], warnings: [], source: 'resource-graph' };
    try {
      return { ...(await this.viaResourceGraph(subscriptions)), source: 'resource-graph' };
    } catch (err) {
      if (!(err instanceof AzureApiError || err instanceof AzureReplyError || err instanceof AzureUnreachableError)) throw err;
      const rest = await this.viaRest(subscriptions);
      return { ...rest, warnings: [`Resource Graph failed (${err.message}); listed each subscription instead`, ...rest.warnings], source: 'rest' };
    }
  }

  private async viaResourceGraph(subscriptions: string[]): Promise<Resources> {
    const rows = [];
    for (let i = 0; i < subscriptions.length; i += RESOURCE_GRAPH_MAX_SUBSCRIPTIONS) {
      rows.push(...await this.http.resourceGraph('query fabrics and devices (Resource Graph)', this.endpoints.armEndpoint, {
        subscriptions: subscriptions.slice(i, i + RESOURCE_GRAPH_MAX_SUBSCRIPTIONS), query: INVENTORY_QUERY,
        ...(this.opts.pageSize ? { pageSize: this.opts.pageSize } : {}),
      }, graphRow));
    }
    const fabrics: RawFabric[] = [];
    const devices: RawDevice[] = [];
    for (const r of rows) {
      if (r.kind === 'fabric') {
        fabrics.push({
          id: r.id, name: r.name, subscriptionId: r.subscriptionId, resourceGroup: r.resourceGroup || (resourceGroupOf(r.id) ?? ''), location: r.location ?? '',
          provisioningState: r.provState ?? '', administrativeState: r.adminState ?? '', configurationState: r.configState ?? '',
        });
      } else {
        devices.push({
          id: r.id, name: r.name, fabricId: r.fabricId || null, role: r.role ?? '', hostName: r.host ?? '',
          managementIpv4: r.mgmt4 ?? null, managementIpv6: r.mgmt6 ?? null, serialNumber: r.serial ?? '', version: r.version ?? '',
          administrativeState: r.adminState ?? '', configurationState: r.configState ?? '', provisioningState: r.provState ?? '', operationalState: r.operState ?? '',
        });
      }
    }
    return { fabrics, devices, warnings: [] };
  }

  private async viaRest(subscriptions: string[]): Promise<Resources> {
    const warnings: string[] = [];
    const per = await mapLimit(subscriptions, PARALLEL_REQUESTS, async (sub) => {
      const base = `/subscriptions/${sub}/providers/Microsoft.ManagedNetworkFabric`;
      try {
        const [fabrics, racks, devices] = await Promise.all([
          this.http.listAll(`list fabrics in ${sub}`, 'arm', this.arm(`${base}/networkFabrics`, API.fabric), fabricSchema),
          this.http.listAll(`list racks in ${sub}`, 'arm', this.arm(`${base}/networkRacks`, API.fabric), rackSchema),
          this.devicesWithState(sub, `${base}/networkDevices`, warnings),
        ]);
        return { fabrics, racks, devices };
      } catch (err) {
        if (err instanceof AzureApiError && (err.status === 403 || err.status === 404)) {
          warnings.push(`subscription ${sub}: ${err.apiCode} (HTTP ${err.status}); skipped`);
          return { fabrics: [], racks: [], devices: [] };
        }
        throw err;
      }
    });
    const rackFabric = new Map(per.flatMap((p) => p.racks.map((r) => [armIdKey(r.id), r.properties.networkFabricId] as const)));
    return {
      warnings,
      fabrics: per.flatMap((p) => p.fabrics.map((f) => ({
        id: f.id, name: f.name, subscriptionId: subscriptionOf(f.id) ?? '', resourceGroup: resourceGroupOf(f.id) ?? '', location: f.location,
        provisioningState: f.properties.provisioningState, administrativeState: f.properties.administrativeState, configurationState: f.properties.configurationState,
      }))),
      devices: per.flatMap((p) => p.devices.map((d) => {
        const q = d.properties;
        return {
          id: d.id, name: d.name, fabricId: q.networkFabricId || rackFabric.get(armIdKey(q.networkRackId)) || null, role: q.networkDeviceRole, hostName: q.hostName,
          managementIpv4: q.managementIpv4Address, managementIpv6: q.managementIpv6Address, serialNumber: q.serialNumber,
          version: q.version, administrativeState: q.administrativeState, configurationState: q.configurationState, provisioningState: q.provisioningState,
          operationalState: q.operationalState,
        };
      })),
    };
  }

  /**
   * Devices at the version that has operationalState; where the service does not offer that
   * version (yet, or in this cloud), the stable one, with the state left empty and a warning.
   */
  private async devicesWithState(sub: string, path: string, warnings: string[]): Promise<Array<z.infer<typeof deviceSchema>>> {
    try {
      return await this.http.listAll(`list devices in ${sub}`, 'arm', this.arm(path, API.fabricOperationalState), deviceSchema);
    } catch (err) {
      if (!(err instanceof AzureApiError && err.status === 400 && VERSION_NOT_OFFERED.has(err.apiCode))) throw err;
      warnings.push(`subscription ${sub}: api-version ${API.fabricOperationalState} is not offered (${err.apiCode}); device operational state unknown`);
      return this.http.listAll(`list devices in ${sub}`, 'arm', this.arm(path, API.fabric), deviceSchema);
    }
  }

  /** Reader/Writer GUIDs looked up by name; the known built-in GUIDs when that fails. */
  private async roleIds(subscription: string | undefined): Promise<RoleIds> {
    if (!subscription) return { ...KNOWN_ROLE_IDS };
    const lookup = async (role: FabricRole): Promise<string> => {
      try {
        const filter = `&$filter=${encodeURIComponent(`roleName eq '${ROLE_NAMES[role]}'`)}`;
        const defs = await this.http.listAll(`look up role ${ROLE_NAMES[role]}`, 'arm',
          this.arm(`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions`, API.authorization, filter), roleDefinitionSchema);
        return defs.find((d) => d.properties.roleName === ROLE_NAMES[role])?.name ?? KNOWN_ROLE_IDS[role];
      } catch (err) {
        if (err instanceof AzureApiError || err instanceof AzureReplyError) return KNOWN_ROLE_IDS[role];
        throw err;
      }
    };
    const [Reader, Writer] = await Promise.all([lookup('Reader'), lookup('Writer')]);
    return { Reader, Writer };
  }

  private async grants(subscriptions: string[], oid: string): Promise<{ bySub: Map<string, Grant[]>; warnings: string[] }> {
    const warnings: string[] = [];
    const bySub = new Map<string, Grant[]>();
    const filter = `&$filter=${encodeURIComponent(`assignedTo('${oid}')`)}`;
    await mapLimit(subscriptions, PARALLEL_REQUESTS, async (sub) => {
      try {
        const list = await this.http.listAll(`list role assignments in ${sub}`, 'arm',
          this.arm(`/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments`, API.authorization, filter), grantSchema);
        bySub.set(sub, list.map((g) => g.properties));
      } catch (err) {
        if (!(err instanceof AzureApiError)) throw err;
        warnings.push(`subscription ${sub}: cannot read role assignments (${err.apiCode}); roles unknown there`);
      }
    });
    return { bySub, warnings };
  }
}

/** A fabric by name or ARM id; a name that matches several fabrics is an error. */
export function findFabric(inv: InventorySnapshot, nameOrId: string): FabricInfo | { ambiguous: FabricInfo[] } | undefined {
  const byId = inv.fabrics.find((f) => sameArmId(f.id, nameOrId));
  if (byId) return byId;
  const byName = inv.fabrics.filter((f) => f.name.toLowerCase() === nameOrId.toLowerCase() || lastSegment(f.id).toLowerCase() === nameOrId.toLowerCase());
  if (byName.length > 1) return { ambiguous: byName };
  return byName[0];
}

export function devicesOf(inv: InventorySnapshot, fabric: FabricInfo): DeviceInfo[] {
  return inv.devices.filter((d) => d.fabricId !== null && sameArmId(d.fabricId, fabric.id)).sort((a, b) => a.name.localeCompare(b.name));
}
