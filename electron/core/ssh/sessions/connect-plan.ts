// Connect planning: from "this device of this fabric" to the chain that dials it. The jump host
// (settings per fabric, then the default, then one the inventory knows), the device user name
// (the template applied to the signed-in identity), and the primary and backup addresses are
// decided here once, for the desktop app and for `nbg connect` alike.
import { NbgError } from '../../../../native/errors';
import type { Identity } from '../../../shared/identity';
import type { ClusterSummary, NetworkDevice } from '../../../shared/inventory';
import type { AccessMethod, ConnectPlanView, ConnectTarget, Hop, PathChoice } from '../../../shared/sessions';
import type { JumpHost, Settings } from '../../../shared/settings';
import { ErrorCode } from '../../../shared/error-codes';
import { bmmLogin, findMachine, oamAddress } from './bmm-plan';
import type { RecentAttempts } from './recent-attempts';

const SSH_PORT = 22;
/** How the inventory marks a device that has only Method D v1.5 accounts. */
const V15_ONLY = /v1\.5 only/i;

/** What the connect dialog should start with, and why (operator words). */
export interface ConnectSuggestion {
  method: AccessMethod;
  path: PathChoice;
  why?: string;
}

export class UnknownDeviceError extends NbgError {
  constructor(deviceId: string) {
    super(ErrorCode.UNKNOWN_DEVICE, `Device ${deviceId} is not in this fabric's inventory; refresh the fabric list.`);
  }
}

export class NoJumpHostError extends NbgError {
  constructor(fabric: string) {
    super(ErrorCode.NO_JUMP_HOST, `No jump host is set for ${fabric}. Add one in Settings → Jump hosts.`);
  }
}

export class NoAddressError extends NbgError {
  constructor(device: string, path: PathChoice) {
    super(ErrorCode.NO_ADDRESS, path === 'backup'
      ? `${device} has no backup (in-band loopback) address. Import backup addresses in Settings.`
      : `${device} has no management address in the inventory.`);
  }
}

export interface Address {
  host: string;
  port: number;
}

/** Everything needed to dial one device through its jump host. */
export interface ConnectPlan {
  title: string;
  jump: Hop;
  target: Hop;
  /** The other route, tried when the chosen one fails (primary → backup). */
  fallback?: Address;
  path: PathChoice;
  method: AccessMethod;
  drill: boolean;
}

/** The plan as the contract shows it: the chain in dialing order and the backup route. */
export function planView(plan: ConnectPlan): ConnectPlanView {
  return {
    title: plan.title, chain: [plan.jump, plan.target], path: plan.path, method: plan.method,
    ...(plan.fallback ? { backup: plan.fallback } : {}), drill: plan.drill,
  };
}

export interface ConnectRequest {
  fabricId: string;
  deviceId: string;
  path: PathChoice;
  method: AccessMethod;
  /** Absent: the settings' user name template applied to the signed-in identity (a BMM: the keyset login). */
  user?: string;
  /** 'bmm': fabricId is the cluster's id and deviceId the machine's. */
  target?: ConnectTarget;
}

/** What the planner reads; each front end passes the same services. */
export interface ConnectPlannerDeps {
  settings(): Promise<Settings>;
  devices(fabricId: string): Promise<NetworkDevice[]>;
  identity(): Promise<Identity | null>;
  /** A jump host the inventory itself knows (the drill fabric's); settings take precedence. */
  inventoryJumpHost?(fabricId: string): JumpHost | null;
  drill: boolean;
  /** The last connects per device (by host name): a recent primary failure suggests the backup. */
  recent?: RecentAttempts;
  /** Network Cloud clusters with their machines and keysets (for bare metal machines). */
  clusters?(): Promise<ClusterSummary[]>;
}

/** A device whose inventory state says it has only Method D v1.5 accounts. */
export function isV15Only(device: NetworkDevice): boolean {
  return V15_ONLY.test(device.configurationState ?? '');
}

/** Applies the user name template to the signed-in identity: {upn}, {alias}, {mail}. */
export function deviceUserName(template: string, identity: Identity | null): string {
  if (!identity) return template.includes('{') ? '' : template;
  const upn = identity.userPrincipalName;
  return template
    .replaceAll('{upn}', upn)
    .replaceAll('{alias}', upn.split('@')[0] ?? upn)
    .replaceAll('{mail}', identity.mail ?? upn);
}

/** An address as the inventory gives it may carry a prefix length (fd00::1/128). */
function stripPrefix(address: string | undefined): string | undefined {
  return address?.replace(/\/\d{1,3}$/, '');
}

/** The management (MA1) address, IPv4 first. */
export function primaryAddress(device: NetworkDevice): Address | undefined {
  const host = device.managementIpv4 ?? stripPrefix(device.managementIpv6);
  return host ? { host, port: device.sshPort ?? SSH_PORT } : undefined;
}

/** The in-band loopback: an imported backup address wins over the inventory's. */
export function backupAddress(device: NetworkDevice, settings: Settings): Address | undefined {
  const configured = settings.backupAddresses[device.hostName.toLowerCase()];
  if (configured) return { host: configured, port: SSH_PORT };
  const known = stripPrefix(device.backupAddress);
  return known ? { host: known, port: device.backupPort ?? SSH_PORT } : undefined;
}

export class ConnectPlanner {
  constructor(private readonly deps: ConnectPlannerDeps) {}

  jumpHost(settings: Settings, fabricId: string): JumpHost | null {
    return settings.jumpHosts[fabricId.toLowerCase()] ?? settings.defaultJumpHost ?? this.deps.inventoryJumpHost?.(fabricId) ?? null;
  }

  async device(fabricId: string, deviceId: string): Promise<NetworkDevice> {
    const wanted = deviceId.toLowerCase();
    const devices = await this.deps.devices(fabricId);
    const device = devices.find((d) => d.id.toLowerCase() === wanted)
      ?? devices.find((d) => d.name.toLowerCase() === wanted || d.hostName.toLowerCase() === wanted);
    if (!device) throw new UnknownDeviceError(deviceId);
    return device;
  }

  async userName(settings: Settings): Promise<string> {
    return deviceUserName(settings.userNameTemplate, await this.deps.identity());
  }

  /**
   * What the connect dialog starts from: user name, jump host, whether a backup path exists, and
   * the method and path to preselect from what is known about the device.
   */
  async defaults(fabricId: string, deviceId: string, target: ConnectTarget = 'device'): Promise<{ user: string; jumpHost: JumpHost | null; backupAvailable: boolean } & ConnectSuggestion> {
    const settings = await this.deps.settings();
    if (target === 'bmm') {
      const { cluster, login } = await this.machineLogin(fabricId, deviceId);
      return { user: login, jumpHost: this.jumpHost(settings, cluster.fabricId ?? ''), backupAvailable: false, method: 'v2.0', path: 'primary' };
    }
    const device = await this.device(fabricId, deviceId);
    const backupAvailable = backupAddress(device, settings) !== undefined;
    return {
      user: await this.userName(settings),
      jumpHost: this.jumpHost(settings, fabricId),
      backupAvailable,
      ...this.suggestion(device, backupAvailable),
    };
  }

  private suggestion(device: NetworkDevice, backupAvailable: boolean): ConnectSuggestion {
    const method: AccessMethod = isV15Only(device) ? 'v1.5' : 'v2.0';
    const v15Why = method === 'v1.5' ? 'this device has only Method D v1.5 accounts' : undefined;
    if (backupAvailable && this.deps.recent?.primaryFailedRecently(device.hostName)) {
      const why = 'the management address failed minutes ago';
      return { method, path: 'backup', why: v15Why ? `${v15Why}; ${why}` : why };
    }
    return { method, path: 'primary', ...(v15Why ? { why: v15Why } : {}) };
  }

  /** A bare metal machine, the operator's keyset login on it and the cluster it belongs to. */
  private async machineLogin(clusterId: string, machineId: string) {
    const { cluster, machine } = findMachine(this.deps.clusters ? await this.deps.clusters() : [], clusterId, machineId);
    return { cluster, machine, login: bmmLogin(cluster, await this.deps.identity(), Date.now()) };
  }

  /** A bare metal machine over its cluster's fabric jump host, as its keyset user; no backup path. */
  private async planMachine(request: ConnectRequest, settings: Settings): Promise<ConnectPlan> {
    const { cluster, machine, login } = await this.machineLogin(request.fabricId, request.deviceId);
    const jump = this.jumpHost(settings, cluster.fabricId ?? '');
    if (!jump) throw new NoJumpHostError(cluster.fabricId ?? cluster.name);
    const address = oamAddress(machine);
    const label = machine.machineName ?? machine.name;
    return {
      title: label,
      jump: { user: jump.user, host: jump.host, port: jump.port, label: jump.name ?? jump.host },
      target: { user: request.user ?? login, host: address.host, port: address.port, label },
      path: 'primary', method: 'v2.0', drill: this.deps.drill,
    };
  }

  async plan(request: ConnectRequest): Promise<ConnectPlan> {
    const settings = await this.deps.settings();
    if (request.target === 'bmm') return this.planMachine(request, settings);
    const device = await this.device(request.fabricId, request.deviceId);
    const jump = this.jumpHost(settings, request.fabricId);
    if (!jump) throw new NoJumpHostError(request.fabricId);
    const primary = primaryAddress(device);
    const backup = backupAddress(device, settings);
    const address = request.path === 'backup' ? backup : primary;
    if (!address) throw new NoAddressError(device.hostName, request.path);
    const user = request.user ?? await this.userName(settings);
    return {
      title: device.hostName,
      jump: { user: jump.user, host: jump.host, port: jump.port, label: jump.name ?? jump.host },
      target: { user, host: address.host, port: address.port, label: device.hostName },
      ...(request.path === 'primary' && backup ? { fallback: backup } : {}),
      path: request.path,
      method: request.method,
      drill: this.deps.drill,
    };
  }
}
