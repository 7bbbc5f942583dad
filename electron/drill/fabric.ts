// startDrillFabric: the simulated fabric the desktop app and `nbg drill` use — a jump host and
// one device per Nexus role on loopback, with persistent host keys, a dead primary path and a
// v1.5 password device. Everything listens on 127.0.0.0/8 only and stops with stop().
import { randomInt } from 'node:crypto';
import net from 'node:net';
import { isNodeError } from '../../native/errors';
import { appHome } from '../core/paths';
import { knownHostsName } from '../core/ssh/known-hosts';
import { passwordAccount, DrillAuthenticator } from './auth';
import type { DrillConfig } from './config';
import { deviceProfile, type DrillDeviceRole } from './device-profile';
import type { DrillRole } from './eos-shell';
import { newDeviceState } from './eos-show';
import { DrillListenError } from './errors';
import type { DrillEvent } from './events';
import { drillHostKeyDir, loadOrCreateHostKey, type DrillHostKey } from './host-keys';
import { listen, startDrillServer, type JumpOptions, type ListenAddress } from './ssh-server';
import { DRILL_ADDRESSES, DRILL_DEVICES, DRILL_MACHINES, JUMP_NAME, keysetUserName, V15_ACCOUNTS, type DrillDeviceSpec } from './topology';

const MAX_EVENTS = 1000;
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export interface DrillFabricOptions {
  config: DrillConfig;
  /** Where drill/hostkeys lives; default appHome(). */
  home?: string;
  /** The port every listener uses on its own 127.x address; 0 (default) = free ports. */
  port?: number;
  /** How the dead management path fails: connection refused, or accepted and silent (a timeout). */
  deadPrimary?: 'refused' | 'silent';
  /** The devices; default DRILL_DEVICES (benchmarks ask for more). */
  devices?: readonly DrillDeviceSpec[];
  onEvent?: (event: DrillEvent) => void;
}

export interface DrillEndpoint extends ListenAddress {
  hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA... nbg-drill-<name>` */
  hostKeyLine: string;
}

export interface DrillDeviceInfo {
  name: string;
  hostname: string;
  role: DrillDeviceRole;
  /** MA1 management address (dead on the device with primaryDead). */
  primary: ListenAddress;
  /** Loopback6 in-band address, reached through BGP on a real fabric. */
  backup: ListenAddress;
  primaryDead: boolean;
  v15: boolean;
  requireUv: boolean;
  hostKeyFingerprint: string;
  hostKeyLine: string;
}

/** A bare metal machine of the drill cluster, on its OAM address. */
export interface DrillMachineInfo {
  name: string;
  machineName: string;
  address: ListenAddress;
  hostKeyFingerprint: string;
  hostKeyLine: string;
}

export interface DrillFabric {
  jump: DrillEndpoint;
  devices: DrillDeviceInfo[];
  machines: DrillMachineInfo[];
  users: { name: string; role: DrillRole }[];
  /** Generated for this drill only; held in memory, shown in the briefing, never written to disk. */
  v15Accounts: { user: string; role: DrillRole; password: string }[];
  /** The latest server log lines (logins, refusals and why, forwards, commands). */
  events(): DrillEvent[];
  /** known_hosts lines for every drill address. */
  knownHosts(): string;
  stop(): Promise<void>;
}

export async function startDrillFabric(opts: DrillFabricOptions): Promise<DrillFabric> {
  const port = opts.port ?? 0;
  const keyDir = drillHostKeyDir(opts.home ?? appHome());
  const log: DrillEvent[] = [];
  const emit = (e: Omit<DrillEvent, 'ts'>) => {
    const event = { ts: new Date().toISOString(), ...e };
    log.push(event);
    if (log.length > MAX_EVENTS) log.shift();
    opts.onEvent?.(event);
  };
  const running: { close(): Promise<void> }[] = [];
  const stop = async () => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  };
  const binder = new LoopbackBinder(port);
  const forwardTargets = new Set<string>();
  const v15Accounts = V15_ACCOUNTS.map((a) => ({ user: a.user, role: a.role as DrillRole, password: generatePassword() }));

  try {
    const devices: DrillDeviceInfo[] = [];
    for (const [index, spec] of (opts.devices ?? DRILL_DEVICES).entries()) {
      const hostKey = await loadOrCreateHostKey(keyDir, spec.name);
      const authenticator = new DrillAuthenticator(opts.config, {
        requireUv: spec.requireUv,
        passwords: spec.v15 ? v15Accounts.map((a) => passwordAccount(a.user, a.role, a.password)) : undefined,
      });
      const state = newDeviceState(deviceProfile(spec.name, spec.role));
      const serverOpts = { kind: 'device' as const, name: spec.name, hostKey: hostKey.privateKey, authenticator, emit, device: state };
      const primary = spec.primaryDead
        ? await binder.dead(DRILL_ADDRESSES.primary(index), opts.deadPrimary ?? 'refused', running)
        : await binder.ssh(serverOpts, DRILL_ADDRESSES.primary(index), running);
      const backup = await binder.ssh(serverOpts, DRILL_ADDRESSES.backup(index), running);
      forwardTargets.add(key(primary)).add(key(backup));
      devices.push(deviceInfo(spec, state.hostname, primary, backup, hostKey));
    }
    // Bare metal machines take the keyset's login (the UPN's alias) with the same keys.
    const keysetUsers = { users: opts.config.users.map((u) => ({ ...u, name: keysetUserName(u.name) })) };
    const machines: DrillMachineInfo[] = [];
    for (const [index, spec] of DRILL_MACHINES.entries()) {
      const hostKey = await loadOrCreateHostKey(keyDir, spec.name);
      const address = await binder.ssh({
        kind: 'bmm', name: spec.name, machineName: spec.machineName, hostKey: hostKey.privateKey, emit,
        authenticator: new DrillAuthenticator(keysetUsers, { requireUv: true }),
      }, DRILL_ADDRESSES.machine(index), running);
      forwardTargets.add(key(address));
      machines.push({ name: spec.name, machineName: spec.machineName, address, hostKeyFingerprint: hostKey.fingerprint, hostKeyLine: hostKey.publicKeyLine });
    }
    const jumpKey = await loadOrCreateHostKey(keyDir, JUMP_NAME);
    const jumpOpts: JumpOptions = {
      kind: 'jump', name: JUMP_NAME, hostKey: jumpKey.privateKey, emit,
      authenticator: new DrillAuthenticator(opts.config, { requireUv: true }),
      mayForwardTo: (host, p) => forwardTargets.has(key({ host, port: p })),
    };
    const jump = await binder.ssh(jumpOpts, DRILL_ADDRESSES.jump, running);
    const jumpEndpoint = { ...jump, hostKeyFingerprint: jumpKey.fingerprint, hostKeyLine: jumpKey.publicKeyLine };
    return {
      jump: jumpEndpoint,
      devices,
      machines,
      users: opts.config.users.map((u) => ({ name: u.name, role: u.role })),
      v15Accounts,
      events: () => [...log],
      knownHosts: () => knownHostsText(jumpEndpoint, devices, machines),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function key(a: ListenAddress): string {
  return `${a.host}:${a.port}`;
}

function deviceInfo(spec: DrillDeviceSpec, hostname: string, primary: ListenAddress, backup: ListenAddress, hostKey: DrillHostKey): DrillDeviceInfo {
  return {
    name: spec.name, hostname, role: spec.role, primary, backup,
    primaryDead: spec.primaryDead ?? false, v15: spec.v15 ?? false, requireUv: spec.requireUv,
    hostKeyFingerprint: hostKey.fingerprint, hostKeyLine: hostKey.publicKeyLine,
  };
}

function knownHostsText(jump: DrillEndpoint, devices: DrillDeviceInfo[], machines: DrillMachineInfo[]): string {
  const entry = (a: ListenAddress, line: string) => `${knownHostsName(a.host, a.port)} ${line}\n`;
  return [
    entry(jump, jump.hostKeyLine),
    ...devices.flatMap((d) => [entry(d.primary, d.hostKeyLine), entry(d.backup, d.hostKeyLine)]),
    ...machines.map((m) => entry(m.address, m.hostKeyLine)),
  ].join('');
}

/** Readable, typeable, ~60 bits: xxxx-xxxx-xxxx. */
function generatePassword(): string {
  const chars = Array.from({ length: 12 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * Binds listeners on their planned 127.x address; when the OS has only 127.0.0.1 (EADDRNOTAVAIL),
 * every later listener goes there on a free port instead.
 */
class LoopbackBinder {
  private fallback = false;

  constructor(private readonly port: number) {}

  async ssh(opts: Parameters<typeof startDrillServer>[0], host: string, running: { close(): Promise<void> }[]): Promise<ListenAddress> {
    const listener = await this.attempt((h, p) => startDrillServer(opts, h, p), host);
    running.push(listener);
    return listener.address;
  }

  /** The dead management path: a port nobody listens on, or a listener that never says a word. */
  async dead(host: string, mode: 'refused' | 'silent', running: { close(): Promise<void> }[]): Promise<ListenAddress> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((sock) => {
      sockets.add(sock);
      sock.on('error', () => undefined);
      sock.on('close', () => sockets.delete(sock));
    });
    const listener = await this.attempt(async (h, p) => {
      try {
        return { address: await listen(server, h, p) };
      } catch (err) {
        throw new DrillListenError('the dead management path', `${h}:${p}`, err);
      }
    }, host);
    const close = () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (server.listening) server.close(() => resolve());
      else resolve();
    });
    // Refused: the port was free a moment ago; nobody listens there once this closes.
    if (mode === 'refused') await close();
    else running.push({ close });
    return listener.address;
  }

  private async attempt<T>(bind: (host: string, port: number) => Promise<T>, host: string): Promise<T> {
    if (!this.fallback) {
      try {
        return await bind(host, this.port);
      } catch (err) {
        if (!(err instanceof Error && isNodeError(err.cause, 'EADDRNOTAVAIL'))) throw err;
        this.fallback = true;
      }
    }
    return bind(DRILL_ADDRESSES.fallback, 0);
  }
}
