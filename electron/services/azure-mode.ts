// The configured (non-drill) core: the security key over USB HID, the operator's ~/.ssh, Entra
// sign-in through MSAL with the token cache protected by the OS (through main's safeStorage when
// there is one), the inventory from ARM / Resource Graph, and Network Cloud keysets.
import { Authenticator } from '../../native/authenticator/authenticator';
import type { KeySource } from '../../native/authenticator/key-source';
import type { AuthPort, InventoryPort } from '../app/dispatcher';
import type { AuditSink } from '../core/audit/index';
import type { CacheProtector } from '../core/auth/token-cache';
import { createAzureContext, type AzureContext } from '../core/azure/context';
import { devicesOf, type InventoryView } from '../core/azure/inventory';
import { KeyReadiness, type ReadinessReport } from '../core/azure/key-readiness';
import type { ClusterInfo, KeysetInfo } from '../core/azure/networkcloud';
import { auditedSignIn, uploadKey } from '../core/azure/audited';
import { uploadedAt } from '../core/azure/upload-record';
import { createTransport, transportOptionsFromEnv, type Transport } from '../core/net/transport';
import { authenticatorFromEnv } from '../core/keys/authenticator-factory';
import { desktopRelaunch } from '../core/keys/elevate';
import { KeyStore } from '../core/keys/store';
import type { PromptBroker } from '../core/prompts/broker';
import { sshDir } from '../core/paths';
import type { Progress } from '../shared/contract';
import type { OsServices } from '../shared/os';
import type { Identity } from '../shared/identity';
import type { BmmKeyset, ClusterSummary, FabricSummary, NetworkDevice } from '../shared/inventory';
import type { Readiness } from '../shared/keys';
import type { Settings } from '../shared/settings';
import { keysPort, primaryKey } from '../core/keys/keys-service';
import { FidoDeviceWatcher } from '../../native/hid/watch';

/** Electron's safeStorage (via main) as the MSAL token cache protector. */
export function osProtector(services: OsServices): CacheProtector {
  return {
    kind: 'operating system (Electron safeStorage)',
    protect: async (plain) => Buffer.from(await services.protect(plain)),
    unprotect: async (data) => Buffer.from(await services.unprotect(data)),
  };
}

export interface AzureModeOptions {
  home: string;
  settings: Settings;
  broker: PromptBroker;
  audit: AuditSink;
  env?: NodeJS.ProcessEnv;
  os?: OsServices;
  transport?: Transport;
  keySource?: KeySource;
  sshDir?: string;
  log: (message: string) => void;
  /** Where a step run in the elevated copy of the app stands (ui:progress). */
  progress: (progress: Progress) => void;
}

function toIdentity(p: { objectId: string; tenantId: string; username: string; name?: string }): Identity {
  return { objectId: p.objectId, tenantId: p.tenantId, userPrincipalName: p.username, displayName: p.name ?? p.username, mail: null };
}

function toReadiness(r: ReadinessReport): Readiness {
  const labels: Record<ReadinessReport['checks'][number]['id'], string> = {
    'local-key': 'SSH key file present', 'entra-key': 'Same key in Entra', 'security-key': 'Security key connected, PIN retries left',
    sync: 'Fabric sync window (4 h) passed',
  };
  return { checks: r.checks.map((c) => ({ id: c.id, label: labels[c.id], status: c.state, detail: c.message.slice(0, 1024) })), checkedAt: Date.now() };
}

function toKeyset(k: KeysetInfo): BmmKeyset {
  return {
    id: k.id, name: k.name, privilegeLevel: k.privilegeLevel, expiration: k.expiration, jumpHostsAllowed: k.jumpHostsAllowed,
    users: k.users.map((u) => ({ azureUserName: u.azureUserName, ...(u.description ? { description: u.description } : {}), sshPublicKey: u.sshPublicKey })),
    status: k.detailedStatus,
  };
}

export interface AzureServices {
  context: AzureContext;
  auth: AuthPort;
  inventory: InventoryPort;
  keys: ReturnType<typeof keysPort>;
  keyStore: KeyStore;
  authenticator: Authenticator;
  /** Stops watching USB keys come and go. */
  stop(): void;
}

export async function azureServices(o: AzureModeOptions): Promise<AzureServices> {
  const env = o.env ?? process.env;
  const azure = o.settings.azure;
  const context = await createAzureContext({
    env, appHome: o.home,
    transport: o.transport ?? createTransport(transportOptionsFromEnv(env)),
    ...(azure ? { settings: { clientId: azure.clientId, tenant: azure.tenantId } } : {}),
    ...(o.os ? { openBrowser: (url: string) => o.os!.openExternal(url), protector: osProtector(o.os) } : {}),
    warn: o.log,
  });
  // Non-elevated Windows cannot open FIDO HID: enroll and sign then go through webauthn.dll, its
  // dialogs parented to the app window (the handle comes from main; stable for the window's life);
  // import and PIN changes run in an elevated copy of the app that main starts.
  const windowHandle = process.platform === 'win32' && o.os ? await o.os.windowHandle().catch(() => null) : null;
  // The USB keys (NBG_SIMULATOR selects the software key, as for the CLI) unless a source is given.
  const { authenticator, transport } = o.keySource
    ? { authenticator: new Authenticator(o.keySource, o.broker), transport: 'hid' as const }
    : await authenticatorFromEnv(env, o.broker, {
      ...(windowHandle ? { hwnd: () => windowHandle } : {}),
      ...(o.os ? { relaunchElevated: desktopRelaunch(o.os, o.progress) } : {}),
    });
  const keyStore = new KeyStore(o.sshDir ?? sshDir(env));
  const readiness = async (): Promise<Readiness> => {
    const local = await primaryKey(keyStore);
    const devices = await authenticator.listKeys().catch(() => ({ keys: [] }));
    const first = devices.keys[0];
    return toReadiness(await new KeyReadiness({
      localKey: async () => (local ? { pubLine: local.publicKeyLine, fingerprint: local.fingerprint } : null),
      securityKey: async () => ({ present: first !== undefined, ...(first?.pinRetries !== undefined ? { pinRetries: first.pinRetries } : {}) }),
      entraKey: () => context.keys.storedKey(),
      uploadedAt: async () => (local ? uploadedAt(context.uploadRecordFile, local.publicKeyLine) : null),
    }).check());
  };
  const keys = keysPort({
    auth: authenticator, store: keyStore, interaction: o.broker, transport, audit: o.audit, readiness,
    upload: async (key) => { await uploadKey(context, key.publicKey, o.audit); },
  });

  let view: InventoryView | undefined;
  const load = async (refresh: boolean): Promise<InventoryView> => (view = refresh || !view ? await context.inventory.load() : view);
  const clusterCache = new Map<string, ClusterInfo>();
  const inventory: InventoryPort = {
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
      const out: ClusterSummary[] = [];
      for (const c of await context.networkCloud.clusters()) {
        clusterCache.set(c.id.toLowerCase(), c);
        const [machines, keysets] = await Promise.all([context.networkCloud.bareMetalMachines(c), context.networkCloud.keysets(c)]);
        out.push({
          id: c.id, name: c.name, ...(c.networkFabricId ? { fabricId: c.networkFabricId } : {}),
          machines: machines.map((m) => ({ id: m.id, name: m.name, machineName: m.machineName, ...(m.oamIpv4 ? { oamIpv4: m.oamIpv4 } : {}),
            powerState: m.powerState, readyState: m.readyState })),
          keysets: keysets.map(toKeyset),
        });
      }
      return out;
    },
    async keysets(clusterId) {
      const cluster = clusterCache.get(clusterId.toLowerCase()) ?? await context.networkCloud.cluster(clusterId);
      return (await context.networkCloud.keysets(cluster)).map(toKeyset);
    },
  };

  const auth: AuthPort = {
    identity: async () => {
      // Without MSAL (az CLI or environment tokens) the token itself says who is signed in.
      const current = context.auth ? await context.auth.current().catch(() => null) : await context.tokens.principal().catch(() => null);
      return current ? toIdentity(current) : null;
    },
    signIn: async () => {
      if (!context.auth) return toIdentity(await context.tokens.principal());
      const msal = context.auth;
      return toIdentity(await auditedSignIn(() => msal.signIn(), o.audit));
    },
    signOut: async () => { await context.auth?.signOut(); view = undefined; },
  };
  // USB keys plugged in or pulled out reach the UI (ui:keys) without the operator pressing refresh.
  const source = o.keySource;
  const watcher = new FidoDeviceWatcher({
    ...(source ? { list: () => source.list() } : {}),
    onChange: () => keys.notify(),
    onError: (err) => o.log(`security key watch: ${(err as Error).message}`),
  }).start();
  return { context, auth, inventory, keys, keyStore, authenticator, stop: () => watcher.stop() };
}
