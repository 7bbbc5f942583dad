// Connect planning: from "this device of this fabric" to the chain that dials it. The jump host
// (settings per fabric, then the default, then one the inventory knows), the device user name
// (the template applied to the signed-in identity), and the primary and backup addresses are
// decided here once, for the desktop app and for `nbg connect` alike.
import { NbgError } from '../../../../native/errors';
import type { Identity } from '../../../shared/identity';
import type { NetworkDevice } from '../../../shared/inventory';
import type { AccessMethod, ConnectPlanView, Hop, PathChoice } from '../../../shared/sessions';
import type { JumpHost, Settings } from '../../../shared/settings';
import { ErrorCode } from '../../../shared/error-codes';
import type { DeviceRef } from '../../../shared/workspace';

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
  /** The inventory's device, as the connect history records it. */
  device: DeviceRef;
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
  /** Absent: the settings' user name template applied to the signed-in identity. */
  user?: string;
}

/** What the planner reads; each front end passes the same services. */
export interface ConnectPlannerDeps {
  settings(): Promise<Settings>;
  devices(fabricId: string): Promise<NetworkDevice[]>;
  identity(): Promise<Identity | null>;
  /** A jump host the inventory itself knows (the drill fabric's); settings take precedence. */
  inventoryJumpHost?(fabricId: string): JumpHost | null;
  drill: boolean;
  /** The connect history (shared with nbg, kept across restarts): a recent primary failure suggests the backup. */
  recent?: { primaryFailedRecently(ref: DeviceRef): Promise<boolean> };
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
  async defaults(fabricId: string, deviceId: string): Promise<{ user: string; jumpHost: JumpHost | null; backupAvailable: boolean } & ConnectSuggestion> {
    const settings = await this.deps.settings();
    const device = await this.device(fabricId, deviceId);
    const backupAvailable = backupAddress(device, settings) !== undefined;
    return {
      user: await this.userName(settings),
      jumpHost: this.jumpHost(settings, fabricId),
      backupAvailable,
      ...await this.suggestion(fabricId, device, backupAvailable),
    };
  }

  private async suggestion(fabricId: string, device: NetworkDevice, backupAvailable: boolean): Promise<ConnectSuggestion> {
    const method: AccessMethod = isV15Only(device) ? 'v1.5' : 'v2.0';
    const v15Why = method === 'v1.5' ? 'this device has only Method D v1.5 accounts' : undefined;
    if (backupAvailable && await this.deps.recent?.primaryFailedRecently({ fabricId, deviceId: device.id })) {
      const why = 'the management address failed minutes ago';
      return { method, path: 'backup', why: v15Why ? `${v15Why}; ${why}` : why };
    }
    return { method, path: 'primary', ...(v15Why ? { why: v15Why } : {}) };
  }

  async plan(request: ConnectRequest): Promise<ConnectPlan> {
    const settings = await this.deps.settings();
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
      device: { fabricId: request.fabricId, deviceId: device.id },
      jump: { user: jump.user, host: jump.host, port: jump.port, label: jump.name ?? jump.host },
      target: { user, host: address.host, port: address.port, label: device.hostName },
      ...(request.path === 'primary' && backup ? { fallback: backup } : {}),
      path: request.path,
      method: request.method,
      drill: this.deps.drill,
    };
  }
}
