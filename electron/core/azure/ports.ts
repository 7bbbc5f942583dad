// Adapters from the Azure services to the ports createCore() consumes (electron/core/app.ts),
// so composing the shipped app with real Entra/ARM is a few lines of wiring.
import type { AuthPort, InventoryPort } from '../app';
import type { AzureAuth } from '../auth/azure-auth';
import type { CacheProtector } from '../auth/token-cache';
import type { Identity } from '../../shared/identity';
import type { BmmKeyset, ClusterSummary, FabricSummary, NetworkDevice } from '../../shared/inventory';
import type { KeyState, Readiness, SshKeyInfo } from '../../shared/keys';
import type { OsServices } from '../../shared/os';
import { sameArmId } from './arm-id';
import type { AzureContext } from './context';
import { devicesOf, type InventoryView } from './inventory';
import { KeyReadiness, type ReadinessReport } from './key-readiness';
import type { KeysetInfo } from './networkcloud';
import { recordUpload, uploadedAt } from './upload-record';

const READINESS_LABELS: Record<ReadinessReport['checks'][number]['id'], string> = {
  'local-key': 'SSH key on this computer',
  'entra-key': 'Same key registered in Entra ID',
  'security-key': 'Security key plugged in, PIN usable',
  sync: 'Fabric devices have had time to sync (4 h)',
};

export function appReadiness(report: ReadinessReport, now: Date = new Date()): Readiness {
  return {
    checks: report.checks.map((c) => ({ id: c.id, label: READINESS_LABELS[c.id], status: c.state, detail: c.message })),
    checkedAt: now.getTime(),
  };
}

/** Electron's safeStorage (through main's OS services) as the MSAL token-cache protector. */
export function osServicesProtector(os: OsServices): CacheProtector {
  return {
    kind: 'Electron safeStorage',
    protect: async (b) => Buffer.from(await os.protect(b)),
    unprotect: async (b) => Buffer.from(await os.unprotect(b)),
  };
}

export function azureAuthPort(auth: AzureAuth): AuthPort {
  const identity = async (): Promise<Identity | null> => {
    const a = await auth.current();
    return a && { objectId: a.objectId, displayName: a.name ?? a.username, userPrincipalName: a.username, mail: null, tenantId: a.tenantId };
  };
  return {
    identity,
    signIn: async () => {
      await auth.signIn();
      return (await identity())!;
    },
    signOut: () => auth.signOut(),
  };
}

/** What keys-port needs for Entra: readiness and upload of the operator's key. */
export function entraKeyServices(ctx: Pick<AzureContext, 'keys' | 'uploadRecordFile'>, keyState: () => Promise<KeyState>) {
  return {
    async readiness(): Promise<Readiness> {
      const state = await keyState();
      const key = state.key;
      const first = state.devices[0];
      return appReadiness(await new KeyReadiness({
        localKey: async () => key && { pubLine: key.publicKey, fingerprint: key.fingerprint },
        securityKey: async () => (first ? { present: true, ...(first.pinRetries !== undefined ? { pinRetries: first.pinRetries } : {}) } : { present: false }),
        entraKey: () => ctx.keys.storedKey(),
        uploadedAt: async () => (key ? uploadedAt(ctx.uploadRecordFile, key.publicKey) : null),
      }).check());
    },
    async upload(key: SshKeyInfo): Promise<void> {
      await ctx.keys.upload(key.publicKey);
      await recordUpload(ctx.uploadRecordFile, key.publicKey, new Date());
    },
  };
}

function toKeyset(k: KeysetInfo): BmmKeyset {
  return {
    id: k.id, name: k.name, privilegeLevel: k.privilegeLevel, expiration: k.expiration, jumpHostsAllowed: k.jumpHostsAllowed,
    users: k.users.map((u) => ({ azureUserName: u.azureUserName, sshPublicKey: u.sshPublicKey, ...(u.description ? { description: u.description } : {}) })),
    ...(k.detailedStatus ? { status: k.detailedStatus } : {}),
  };
}

/**
 * Fabrics the user holds a Nexus role on (the UI lists only those) and their devices. The last
 * view is kept so device look-ups do not rescan; a refresh that cannot reach Azure serves the cache.
 */
export function azureInventoryPort(ctx: Pick<AzureContext, 'inventory' | 'networkCloud'>): InventoryPort {
  let last: InventoryView | undefined;
  const view = async (refresh: boolean): Promise<InventoryView> => {
    if (!last || refresh) last = await ctx.inventory.load();
    return last;
  };
  return {
    async fabrics(refresh) {
      const v = await view(refresh);
      return v.fabrics.filter((f) => f.role !== null).map((f): FabricSummary => ({
        id: f.id, name: f.name, resourceGroup: f.resourceGroup, subscriptionId: f.subscriptionId, ...(f.location ? { location: f.location } : {}),
        role: f.role!, ...(f.groupId ? { viaGroup: `group ${f.groupId}` } : {}), deviceCount: f.deviceCount,
        lastSynced: Date.parse(v.fetchedAt), offline: v.fromCache, drill: false,
      }));
    },
    async devices(fabricId) {
      const v = await view(false);
      const fabric = v.fabrics.find((f) => sameArmId(f.id, fabricId));
      if (!fabric) return [];
      return devicesOf(v, fabric).map((d): NetworkDevice => ({
        id: d.id, name: d.name, fabricId: fabric.id, role: d.role, hostName: d.hostName,
        ...(d.managementIpv4 ? { managementIpv4: d.managementIpv4 } : {}), ...(d.managementIpv6 ? { managementIpv6: d.managementIpv6 } : {}),
        ...(d.provisioningState ? { provisioningState: d.provisioningState } : {}), ...(d.administrativeState ? { administrativeState: d.administrativeState } : {}),
        ...(d.configurationState ? { configurationState: d.configurationState } : {}),
      }));
    },
    async clusters() {
      const clusters = await ctx.networkCloud.clusters();
      return Promise.all(clusters.map(async (c): Promise<ClusterSummary> => {
        const [machines, keysets] = await Promise.all([ctx.networkCloud.bareMetalMachines(c), ctx.networkCloud.keysets(c)]);
        return {
          id: c.id, name: c.name, ...(c.networkFabricId ? { fabricId: c.networkFabricId } : {}),
          machines: machines.map((m) => ({
            id: m.id, name: m.name, ...(m.machineName ? { machineName: m.machineName } : {}), ...(m.oamIpv4 ? { oamIpv4: m.oamIpv4 } : {}),
            ...(m.powerState ? { powerState: m.powerState } : {}), ...(m.readyState ? { readyState: m.readyState } : {}),
          })),
          keysets: keysets.map(toKeyset),
        };
      }));
    },
    async keysets(clusterId) {
      return (await ctx.networkCloud.keysets(await ctx.networkCloud.cluster(clusterId))).map(toKeyset);
    },
  };
}
