// Connect planning: from "this device of this fabric" to the chain that dials it. The jump host
// (settings per fabric, then the default, then one the inventory knows; by address or by ssh_config
// alias), the device user name (the template applied to the signed-in identity), and the primary
// and backup addresses are decided here once, for the desktop app and for `nbg connect` alike.
// A device of the ssh_config source (ssh-config-inventory.ts) is planned from the config alone.
import { NbgError, errorMessage } from '../../../../native/errors';
import type { Identity } from '../../../shared/identity';
import type { ClusterSummary, NetworkDevice } from '../../../shared/inventory';
import type { AccessMethod, ConnectPlanView, ConnectTarget, Hop, PathChoice } from '../../../shared/sessions';
import type { JumpHost, JumpInEffect, Settings } from '../../../shared/settings';
import { ErrorCode } from '../../../shared/error-codes';
import type { DeviceRef } from '../../../shared/workspace';
import type { HostKeyPolicy } from '../known-hosts-verify';
import { configHopAuth, configWarnings, hostKeyPolicy } from '../ssh-config-connect';
import { isSshConfigFabric } from '../ssh-config-inventory';
import type { ConfigHop, ConfigRoute } from '../ssh-config-route';
import type { SshConfigSource } from '../ssh-config-source';
import type { HopAuth } from './types';
import { bmmLogin, findMachine, oamAddress } from './bmm-plan';

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

/** A hop as the contract shows it, with what ssh_config decided for it. */
export interface PlanHop extends Hop {
  hostKeyAlias?: string;
  algorithms?: { kex?: string[]; serverHostKey?: string[] };
  auth?: HopAuth;
}

/** Everything needed to dial one device through its jump host(s). */
export interface ConnectPlan {
  title: string;
  /** The inventory's device, as the connect history records it. */
  device: DeviceRef;
  /** In dialling order; none for an ssh_config host without ProxyJump. */
  jumps: PlanHop[];
  target: PlanHop;
  /** The other route, tried when the chosen one fails (primary → backup). */
  fallback?: Address;
  path: PathChoice;
  method: AccessMethod;
  drill: boolean;
  /** The device is an ssh_config alias: its StrictHostKeyChecking, UserKnownHostsFile and ConnectTimeout. */
  config?: { policy: HostKeyPolicy; knownHostsFiles?: string[]; connectTimeoutS?: number };
  /** What ssh_config asks for that this connect will not do, in words. */
  notes: string[];
}

/** The plan as the contract shows it: the chain in dialing order and the backup route. */
export function planView(plan: ConnectPlan): ConnectPlanView {
  return {
    title: plan.title, chain: [...plan.jumps, plan.target].map(contractHop), path: plan.path, method: plan.method,
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
  /** The connect history (shared with nbg, kept across restarts): a recent primary failure suggests the backup. */
  recent?: { primaryFailedRecently(ref: DeviceRef): Promise<boolean> };
  /** ssh_config: devices and jump hosts named by alias; the environment its IdentityAgent reads. */
  sshConfig?: { source: SshConfigSource; keyDir: string; env: NodeJS.ProcessEnv };
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

/** The contract's view of a hop (no algorithms, no agent socket). */
function contractHop(h: PlanHop): Hop {
  return { user: h.user, host: h.host, port: h.port, label: h.label };
}

const hopText = (h: Hop): string => `${h.user}@${h.host.includes(':') ? `[${h.host}]` : h.host}:${h.port}`;

/** Where a fabric's jump host setting came from, in words. */
type JumpOrigin = 'set for this fabric' | 'the default' | 'from the inventory';

interface ResolvedJump {
  hops: PlanHop[];
  view: JumpInEffect;
  notes: string[];
}

export class ConnectPlanner {
  constructor(private readonly deps: ConnectPlannerDeps) {}

  /** The jump host setting for a fabric (per fabric, then the default, then the inventory's), and where it came from. */
  jumpHost(settings: Settings, fabricId: string): { jump: JumpHost; origin: JumpOrigin } | null {
    const own = settings.jumpHosts[fabricId.toLowerCase()];
    if (own) return { jump: own, origin: 'set for this fabric' };
    if (settings.defaultJumpHost) return { jump: settings.defaultJumpHost, origin: 'the default' };
    const known = this.deps.inventoryJumpHost?.(fabricId);
    return known ? { jump: known, origin: 'from the inventory' } : null;
  }

  private configHop(h: ConfigHop): PlanHop {
    const auth = configHopAuth(h, this.deps.sshConfig?.env ?? {});
    return {
      user: h.user, host: h.host, port: h.port, label: h.alias,
      ...(h.hostKeyAlias !== undefined ? { hostKeyAlias: h.hostKeyAlias } : {}),
      ...(h.algorithms ? { algorithms: h.algorithms } : {}),
      ...(auth.systemAgent ? { auth } : {}),
    };
  }

  private source(): SshConfigSource {
    const source = this.deps.sshConfig?.source;
    if (!source) throw new NbgError(ErrorCode.SERVICE_UNAVAILABLE, 'ssh_config hosts are not available here.');
    return source;
  }

  private async configRoute(alias: string, user?: string): Promise<ConfigRoute> {
    return this.source().route(alias, user);
  }

  /** The jump host in effect for a fabric: an address as set, or an ssh_config alias resolved with its own ProxyJump. */
  async jumpInEffect(settings: Settings, fabricId: string): Promise<ResolvedJump | null> {
    const setting = this.jumpHost(settings, fabricId);
    if (!setting) return null;
    const { jump, origin } = setting;
    if (!('sshConfigAlias' in jump)) {
      const hop: PlanHop = { user: jump.user, host: jump.host, port: jump.port, label: jump.name ?? jump.host };
      return { hops: [hop], view: { ...jump, from: origin, via: [] }, notes: [] };
    }
    const alias = jump.sshConfigAlias;
    const route = await this.configRoute(alias);
    const hops = [...route.chain, route.target].map((h) => this.configHop(h));
    const last = hops.at(-1)!;
    // Fabric connects check host keys against the app's known_hosts files, as for any jump host.
    const notes = configWarnings(route, this.deps.sshConfig!.keyDir);
    const o = route.target.options;
    if (o.userKnownHostsFile || o.strictHostKeyChecking) notes.push(`UserKnownHostsFile and StrictHostKeyChecking of jump host ${alias} (fabric connects check host keys against the app's known_hosts)`);
    return {
      hops, notes,
      view: {
        user: last.user, host: last.host, port: last.port, name: alias,
        from: `${origin}: ssh_config alias ${alias} in ${await this.source().filesText()}`, via: hops.slice(0, -1).map(hopText),
      },
    };
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
   * the method and path to preselect from what is known about the device. A jump host that
   * cannot be resolved is reported in `jumpProblem`, not thrown: the dialog shows it.
   */
  async defaults(fabricId: string, deviceId: string, target: ConnectTarget = 'device'): Promise<ConnectDefaultsValue> {
    if (isSshConfigFabric(fabricId)) return this.configDefaults(deviceId);
    const settings = await this.deps.settings();
    if (target === 'bmm') {
      const { cluster, login } = await this.machineLogin(fabricId, deviceId);
      const jump = await this.jumpInEffect(settings, cluster.fabricId ?? '');
      return { user: login, jumpHost: jump?.view ?? null, backupAvailable: false, notes: jump?.notes ?? [], method: 'v2.0', path: 'primary' };
    }
    const device = await this.device(fabricId, deviceId);
    const backupAvailable = backupAddress(device, settings) !== undefined;
    let jumpHost: JumpInEffect | null = null;
    let jumpProblem: string | undefined;
    let notes: string[] = [];
    try {
      const jump = await this.jumpInEffect(settings, fabricId);
      jumpHost = jump?.view ?? null;
      notes = jump?.notes ?? [];
    } catch (err) {
      jumpProblem = errorMessage(err);
    }
    return {
      user: await this.userName(settings), jumpHost, ...(jumpProblem ? { jumpProblem } : {}), backupAvailable, notes,
      ...await this.suggestion(fabricId, device, backupAvailable),
    };
  }

  /** An ssh_config host: the user, the last ProxyJump as the jump host, the route, what is not honoured. */
  private async configDefaults(alias: string): Promise<ConnectDefaultsValue> {
    const route = await this.configRoute(alias);
    const hops = [...route.chain, route.target].map((h) => this.configHop(h));
    const jumps = hops.slice(0, -1);
    const last = jumps.at(-1);
    return {
      user: route.target.user,
      jumpHost: last ? { user: last.user, host: last.host, port: last.port, name: last.label, from: `ProxyJump of ${alias}`, via: jumps.slice(0, -1).map(hopText) } : null,
      backupAvailable: false, method: 'v2.0', path: 'primary',
      notes: configWarnings(route, this.deps.sshConfig!.keyDir),
      sshConfig: { route: hops.map((h) => `${h.label} (${hopText(h)})`), files: await this.source().filesText() },
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

  /** A bare metal machine, the operator's keyset login on it and the cluster it belongs to. */
  private async machineLogin(clusterId: string, machineId: string) {
    const { cluster, machine } = findMachine(this.deps.clusters ? await this.deps.clusters() : [], clusterId, machineId);
    return { cluster, machine, login: bmmLogin(cluster, await this.deps.identity(), Date.now()) };
  }

  /** A bare metal machine over its cluster's fabric jump host, as its keyset user; no backup path. */
  private async planMachine(request: ConnectRequest, settings: Settings): Promise<ConnectPlan> {
    const { cluster, machine, login } = await this.machineLogin(request.fabricId, request.deviceId);
    const jump = await this.jumpInEffect(settings, cluster.fabricId ?? '');
    if (!jump) throw new NoJumpHostError(cluster.fabricId ?? cluster.name);
    const address = oamAddress(machine);
    const label = machine.machineName ?? machine.name;
    return {
      title: label,
      device: { fabricId: request.fabricId, deviceId: machine.id },
      jumps: jump.hops,
      target: { user: request.user ?? login, host: address.host, port: address.port, label },
      path: 'primary', method: 'v2.0', drill: this.deps.drill, notes: jump.notes,
    };
  }

  async plan(request: ConnectRequest): Promise<ConnectPlan> {
    if (isSshConfigFabric(request.fabricId)) return this.configPlan(request);
    const settings = await this.deps.settings();
    if (request.target === 'bmm') return this.planMachine(request, settings);
    const device = await this.device(request.fabricId, request.deviceId);
    const jump = await this.jumpInEffect(settings, request.fabricId);
    if (!jump) throw new NoJumpHostError(request.fabricId);
    const primary = primaryAddress(device);
    const backup = backupAddress(device, settings);
    const address = request.path === 'backup' ? backup : primary;
    if (!address) throw new NoAddressError(device.hostName, request.path);
    const user = request.user ?? await this.userName(settings);
    return {
      title: device.hostName,
      device: { fabricId: request.fabricId, deviceId: device.id },
      jumps: jump.hops,
      target: { user, host: address.host, port: address.port, label: device.hostName },
      ...(request.path === 'primary' && backup ? { fallback: backup } : {}),
      path: request.path,
      method: request.method,
      drill: this.deps.drill,
      notes: jump.notes,
    };
  }

  /** An ssh_config host, dialled as `ssh [user@]alias` would: its chain, host-key rules and timeout. */
  private async configPlan(request: ConnectRequest): Promise<ConnectPlan> {
    const alias = request.deviceId;
    if (request.path === 'backup') throw new NoAddressError(alias, 'backup');
    const route = await this.configRoute(alias, request.user);
    const o = route.target.options;
    const target = this.configHop(route.target);
    return {
      title: alias,
      device: { fabricId: request.fabricId, deviceId: alias },
      jumps: route.chain.map((h) => this.configHop(h)),
      target: request.method === 'v1.5' ? { ...target, auth: { password: true, securityKey: false } } : target,
      path: 'primary',
      method: request.method,
      // A host of the operator's own config is real, even when the app is in drill mode.
      drill: false,
      config: {
        policy: hostKeyPolicy(o.strictHostKeyChecking),
        ...(o.userKnownHostsFile ? { knownHostsFiles: o.userKnownHostsFile } : {}),
        ...(o.connectTimeoutS !== undefined ? { connectTimeoutS: o.connectTimeoutS } : {}),
      },
      notes: configWarnings(route, this.deps.sshConfig!.keyDir),
    };
  }
}

export type ConnectDefaultsValue = {
  user: string;
  jumpHost: JumpInEffect | null;
  jumpProblem?: string;
  backupAvailable: boolean;
  notes: string[];
  sshConfig?: { route: string[]; files: string };
} & ConnectSuggestion;
