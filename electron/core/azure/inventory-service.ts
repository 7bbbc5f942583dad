// The inventory as the front ends see it: fabrics with the operator's role, their devices, and
// the Network Cloud clusters with their bare metal machines and keysets. The Azure implementation
// reads ARM / Resource Graph through the context; the drill fabric has its own.
import type { BmmKeyset, ClusterSummary, FabricSummary, NetworkDevice, PasswordRotationView } from '../../shared/inventory';
import type { JumpHost } from '../../shared/settings';
import type { AzureContext } from './context';
import { devicesOf, isOutage, type InventoryView } from './inventory';
import { BMC_KEYSETS } from './keyset-kinds';
import type { ClusterInfo, KeysetInfo } from './networkcloud';

export interface InventoryService {
  fabrics(refresh: boolean): Promise<FabricSummary[]>;
  devices(fabricId: string): Promise<NetworkDevice[]>;
  clusters?(): Promise<ClusterSummary[]>;
  keysets?(clusterId: string): Promise<BmmKeyset[]>;
  /** Where the fabric's Method D v1.5 password rotation stands (absent: the inventory cannot tell). */
  passwordRotation?(fabricId: string): Promise<PasswordRotationView>;
  /** A jump host the inventory itself knows (the drill fabric's); settings take precedence. */
  jumpHost?(fabricId: string): JumpHost | null;
}

function toKeyset(k: KeysetInfo): BmmKeyset {
  return {
    id: k.id, name: k.name, privilegeLevel: k.privilegeLevel, expiration: k.expiration, jumpHostsAllowed: k.jumpHostsAllowed,
    users: k.users.map((u) => ({
      azureUserName: u.azureUserName, ...(u.userPrincipalName ? { userPrincipalName: u.userPrincipalName } : {}),
      ...(u.description ? { description: u.description } : {}), sshPublicKey: u.sshPublicKey,
    })),
    status: k.detailedStatus,
  };
}

/** The Azure inventory, loaded once and kept until a refresh (or a sign-out: `forget`). */
export function azureInventory(context: Pick<AzureContext, 'inventory' | 'networkCloud' | 'fabricPasswords' | 'clusterCache' | 'tokens'>): InventoryService & { forget(): void } {
  let view: InventoryView | undefined;
  const load = async (refresh: boolean): Promise<InventoryView> => (view = refresh || !view ? await context.inventory.load() : view);
  const clusterCache = new Map<string, ClusterInfo>();
  return {
    forget: () => { view = undefined; },
    async fabrics(refresh) {
      const v = await load(refresh);
      const synced = Date.parse(v.fetchedAt);
      return v.fabrics.filter((f) => f.role !== null).map((f): FabricSummary => ({
        id: f.id, name: f.name, resourceGroup: f.resourceGroup, subscriptionId: f.subscriptionId, location: f.location,
        role: f.role ?? 'Reader', ...(f.viaGroup ? { viaGroup: f.groupId ?? 'an Entra group' } : {}),
        deviceCount: f.deviceCount, lastSynced: Number.isFinite(synced) ? synced : 0, offline: v.fromCache, drill: false,
      }));
    },
    async devices(fabricId) {
      const v = await load(false);
      const fabric = v.fabrics.find((f) => f.id.toLowerCase() === fabricId.toLowerCase());
      if (!fabric) return [];
      return devicesOf(v, fabric).map((d): NetworkDevice => ({
        id: d.id, name: d.name, fabricId: fabric.id, role: d.role, hostName: d.hostName,
        ...(d.managementIpv4 ? { managementIpv4: d.managementIpv4 } : {}), ...(d.managementIpv6 ? { managementIpv6: d.managementIpv6 } : {}),
        provisioningState: d.provisioningState, administrativeState: d.administrativeState, configurationState: d.configurationState,
      }));
    },
    async clusters() {
      try {
        const live = await liveClusters();
        const fetchedAt = new Date();
        // The cache is a convenience: failing to write it never fails the listing.
        await context.clusterCache.save(await context.tokens.principal(), { fetchedAt: fetchedAt.toISOString(), clusters: live }).catch(() => undefined);
        return live.map((c) => ({ ...c, lastSynced: fetchedAt.getTime() }));
      } catch (err) {
        if (!isOutage(err)) throw err;
        const cached = await context.clusterCache.load(await context.tokens.principal());
        if (!cached) throw err;
        const synced = Date.parse(cached.fetchedAt);
        return cached.clusters.map((c) => ({ ...c, offline: true, lastSynced: Number.isFinite(synced) ? synced : 0 }));
      }
    },
    passwordRotation: (fabricId) => context.fabricPasswords.state(fabricId),
    async keysets(clusterId) {
      const cluster = clusterCache.get(clusterId.toLowerCase()) ?? await context.networkCloud.cluster(clusterId);
      return (await context.networkCloud.keysets(cluster)).map(toKeyset);
    },
  };

  async function liveClusters(): Promise<ClusterSummary[]> {
    const out: ClusterSummary[] = [];
    for (const c of await context.networkCloud.clusters()) {
      clusterCache.set(c.id.toLowerCase(), c);
      const [machines, keysets, bmcKeysets] = await Promise.all([
        context.networkCloud.bareMetalMachines(c), context.networkCloud.keysets(c), context.networkCloud.keysets(c, BMC_KEYSETS),
      ]);
      out.push({
        id: c.id, name: c.name, ...(c.networkFabricId ? { fabricId: c.networkFabricId } : {}),
        machines: machines.map((m) => ({ id: m.id, name: m.name, machineName: m.machineName, ...(m.oamIpv4 ? { oamIpv4: m.oamIpv4 } : {}),
          powerState: m.powerState, readyState: m.readyState })),
        keysets: keysets.map(toKeyset),
        bmcKeysets: bmcKeysets.map(toKeyset),
      });
    }
    return out;
  }
}
