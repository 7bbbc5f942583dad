// Drill mode: a simulated security key and the simulated fabric (electron/core/drill) behind the
// same ports as the real services, so an operator can practise the whole flow — enroll, connect
// through the jump host with PIN and touch, dead management path, v1.5 — with nothing configured.
// "Upload" registers the key with the drill fabric (restarting it) instead of Entra.
import { NbgError } from '../../native/errors';
import type { AuthService } from '../core/auth/auth-service';
import type { InventoryService } from '../core/azure/inventory-service';
import { sameKey } from '../core/azure/key-readiness';
import { startDrillFabric, type DrillFabric } from './fabric';
import type { Identity } from '../shared/identity';
import type { ClusterSummary, FabricSummary, NetworkDevice } from '../shared/inventory';
import { keysetUserName } from './topology';
import type { KeyState, Readiness, ReadinessCheck } from '../shared/keys';
import { ErrorCode } from '../shared/error-codes';

export const DRILL_FABRIC_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/drill/providers/Microsoft.ManagedNetworkFabric/networkFabrics/drill-fabric';
export const DRILL_CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/drill/providers/Microsoft.NetworkCloud/clusters/drill-cluster';
/** The drill keyset lasts as long as a real one may (a year), from when the fabric started. */
const KEYSET_LIFETIME_MS = 365 * 24 * 3_600_000;
export const DRILL_IDENTITY: Identity = {
  objectId: '00000000-0000-0000-0000-00000000d811',
  displayName: 'Drill Operator',
  userPrincipalName: 'operator@drill.nexus',
  mail: null,
  tenantId: '00000000-0000-0000-0000-000000000000',
};
/** firmware 5.2.3 is the first YubiKey firmware with ed25519 (the readiness check's threshold). */
const MIN_FIRMWARE = [5, 2, 3];

export class DrillNotReadyError extends NbgError {
  constructor() {
    super(ErrorCode.DRILL_NOT_READY, 'The drill fabric starts once your key is registered: finish the key setup (Upload) first.');
  }
}

export interface DrillOptions {
  home: string;
  /** Port of every drill listener on its own 127.x address; 0 = free ports (tests). */
  port: number;
  deadPrimary?: 'refused' | 'silent';
}

export interface DrillServices {
  auth: AuthService;
  inventory: InventoryService;
  /** (Re)starts the fabric with this public key line as the drill operator's key. */
  register(publicKeyLine: string): Promise<void>;
  registeredKey(): string | undefined;
  fabric(): DrillFabric | undefined;
  stop(): Promise<void>;
}

export function drillServices(options: DrillOptions): DrillServices {
  let fabric: DrillFabric | undefined;
  let key: string | undefined;
  let startedAt = 0;
  const user = DRILL_IDENTITY.userPrincipalName;

  const devices = (f: DrillFabric): NetworkDevice[] => f.devices.map((d) => ({
    id: `${DRILL_FABRIC_ID}/networkDevices/${d.name}`,
    name: d.name,
    fabricId: DRILL_FABRIC_ID,
    role: d.role,
    hostName: d.hostname,
    managementIpv4: d.primary.host,
    sshPort: d.primary.port,
    backupAddress: d.backup.host,
    backupPort: d.backup.port,
    provisioningState: 'Succeeded',
    administrativeState: 'Enabled',
    configurationState: d.v15 ? 'Method D v1.5 only' : 'Provisioned',
    ...(d.v15 ? { v15Only: true } : {}),
  }));

  // One cluster on the drill fabric: its machines, and one keyset that gives the drill operator a login with the registered key.
  const clusters = (f: DrillFabric): ClusterSummary[] => [{
    id: DRILL_CLUSTER_ID, name: 'drill-cluster', fabricId: DRILL_FABRIC_ID,
    machines: f.machines.map((m) => ({
      id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/drill-cluster-managed/providers/Microsoft.NetworkCloud/bareMetalMachines/${m.name}`,
      name: m.name, machineName: m.machineName, oamIpv4: m.address.host, sshPort: m.address.port, powerState: 'On', readyState: 'True',
    })),
    keysets: key ? [{
      id: `${DRILL_CLUSTER_ID}/bareMetalMachineKeySets/drill-operators`, name: 'drill-operators', privilegeLevel: 'Standard',
      expiration: new Date(startedAt + KEYSET_LIFETIME_MS).toISOString(), jumpHostsAllowed: [f.jump.host],
      users: [{ azureUserName: keysetUserName(user), userPrincipalName: user, sshPublicKey: key }], status: 'AllActive',
    }] : [],
  }];

  return {
    auth: {
      identity: async () => DRILL_IDENTITY,
      signIn: async () => DRILL_IDENTITY,
      signOut: async () => undefined,
    },
    inventory: {
      async fabrics(): Promise<FabricSummary[]> {
        if (!fabric) return [];
        return [{
          id: DRILL_FABRIC_ID, name: 'drill-fabric', resourceGroup: 'drill', subscriptionId: '00000000-0000-0000-0000-000000000000',
          location: 'loopback', role: 'Writer', viaGroup: 'Drill operators', deviceCount: fabric.devices.length,
          lastSynced: startedAt, offline: false, drill: true,
        }];
      },
      async devices(fabricId) {
        if (!fabric) throw new DrillNotReadyError();
        return fabricId.toLowerCase() === DRILL_FABRIC_ID.toLowerCase() ? devices(fabric) : [];
      },
      async clusters() {
        if (!fabric) throw new DrillNotReadyError();
        return clusters(fabric);
      },
      jumpHost: (fabricId) => (fabric && fabricId.toLowerCase() === DRILL_FABRIC_ID.toLowerCase()
        ? { host: fabric.jump.host, port: fabric.jump.port, user, name: 'drill-jump' } : null),
    },
    async register(publicKeyLine) {
      const line = publicKeyLine.trim();
      if (fabric && key === line) return;
      await fabric?.stop();
      fabric = undefined;
      fabric = await startDrillFabric({
        config: { users: [{ name: user, keys: [line], role: 'writer' }] },
        home: options.home,
        port: options.port,
        ...(options.deadPrimary ? { deadPrimary: options.deadPrimary } : {}),
      });
      key = line;
      startedAt = Date.now();
    },
    registeredKey: () => key,
    fabric: () => fabric,
    async stop() {
      await fabric?.stop();
      fabric = undefined;
    },
  };
}

/** The readiness preflight as it applies to a drill: key, firmware, PIN, key file, registration. */
export function drillReadiness(state: KeyState, registeredKey: string | undefined): Readiness {
  const device = state.devices[0];
  const checks: ReadinessCheck[] = [];
  checks.push(device
    ? { id: 'key-present', label: 'Security key connected', status: 'ok', detail: device.label }
    : { id: 'key-present', label: 'Security key connected', status: 'fail', detail: 'Plug in your security key.' });
  const fw = device?.firmware?.split('.').map(Number);
  checks.push(!fw ? { id: 'firmware', label: 'Firmware supports ed25519', status: 'unknown', detail: 'Firmware version not reported.' }
    : compareVersion(fw, MIN_FIRMWARE) >= 0
      ? { id: 'firmware', label: 'Firmware supports ed25519', status: 'ok', detail: `Firmware ${device?.firmware}` }
      : { id: 'firmware', label: 'Firmware supports ed25519', status: 'fail', detail: `Firmware ${device?.firmware} is older than 5.2.3.` });
  checks.push(device?.pinSet && device.pinRetries !== undefined
    ? { id: 'pin', label: 'PIN set, retries left', status: device.pinRetries > 3 ? 'ok' : 'warn', detail: `${device.pinRetries} PIN tries left` }
    : { id: 'pin', label: 'PIN set, retries left', status: 'fail', detail: 'Set a PIN on the key.' });
  checks.push(state.key
    ? { id: 'key-file', label: 'SSH key file present', status: 'ok', detail: state.key.path }
    : { id: 'key-file', label: 'SSH key file present', status: 'fail', detail: 'Create or import your key.' });
  const registered = state.key !== null && registeredKey !== undefined && sameKey(registeredKey, state.key.publicKey);
  checks.push(registered
    ? { id: 'registered', label: 'Key registered (drill fabric)', status: 'ok', detail: 'The drill devices accept this key.' }
    : { id: 'registered', label: 'Key registered (drill fabric)', status: 'fail', detail: 'Upload the key to the drill fabric.' });
  return { checks, checkedAt: Date.now() };
}

function compareVersion(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

