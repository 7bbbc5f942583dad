// The desktop app's core, composed from the one service layer (services.ts). With nothing
// configured (no Entra app registration in the settings) the app starts in drill mode: a simulated
// key and the simulated fabric on loopback, so a first launch shows something real. Drill key
// files live under the app home, never in ~/.ssh.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { KeySource } from '../../native/authenticator/key-source';
import { FidoDeviceWatcher } from '../../native/hid/watch';
import type { PresenceDecider, Simulator } from '../../native/simulator/index';
import { CoreEvents, createCore, type Core, type HostProbe } from './dispatcher';
import { probeHost } from '../core/ssh/probe-host';
import { auditService, type AuditService } from '../core/audit/audit-service';
import { adminService } from '../core/admin/admin-service';
import { auditLogPath } from '../core/audit/log-path';
import { forwardPeriodically, type ForwardingLoop } from '../core/audit/forward/schedule';
import type { CacheProtector } from '../core/auth/token-cache';
import type { Transport } from '../core/net/transport';
import { desktopRelaunch } from '../core/keys/elevate';
import { keysService, primaryKey } from '../core/keys/keys-service';
import { KeyStore } from '../core/keys/store';
import { appHome } from '../core/paths';
import { PromptBroker } from '../core/prompts/broker';
import { SettingsStore } from '../core/settings/store';
import { agentSwitch } from '../core/ssh/agent/agent-switch';
import type { SkSigner } from '../core/ssh/agent/types';
import { KnownHostsStore } from '../core/ssh/known-hosts-store';
import { sessionsService } from '../core/ssh/sessions/sessions-service';
import { ConnectHistoryStore } from '../core/workspace/connect-history';
import { fleetService, type FleetService } from '../core/fleet/fleet-service';
import type { ConnectPlanner } from '../core/ssh/sessions/connect-plan';
import type { SessionManager } from '../core/ssh/sessions/index';
import { DRILL_DEFAULT_PORT } from '../drill/topology';
import { openDrillKey } from '../drill/drill-key';
import { drillReadiness, drillServices, type DrillServices } from '../drill/mode';
import type { OsServices, SaveFileRequest } from '../shared/os';
import type { PromptKind } from '../shared/prompts';
import { APP_VERSION, CoreServices } from '../services/services';
import { errorMessage } from '../../native/errors';

export { APP_VERSION } from '../services/services';

/** In a drill nobody can touch a simulated key: it "is touched" this long after it starts waiting. */
const DRILL_TOUCH_DELAY_MS = 1500;

export interface ComposeOptions {
  os?: OsServices;
  home?: string;
  drill?: {
    /** Listener port on each drill address; 0 = free ports (tests). Default 2222. */
    port?: number;
    presence?: PresenceDecider;
    upTimeoutMs?: number;
    deadPrimary?: 'refused' | 'silent';
  };
  promptTimeoutsMs?: Partial<Record<PromptKind, number>>;
  log?: (message: string) => void;
  /** Where an export is saved; default: the OS save dialog through main (`os`). */
  saveAs?: (request: SaveFileRequest) => Promise<string | null>;
}

export interface DrillCore {
  core: Core;
  simulator: Simulator;
  drill: DrillServices;
  broker: PromptBroker;
  keyStore: KeyStore;
  knownHostsFile: string;
}

export async function composeAppCore(options: ComposeOptions): Promise<Core> {
  const home = options.home ?? appHome();
  const settings = SettingsStore.inHome(home);
  if ((await settings.get()).azure === undefined) return (await composeDrillCore({ ...options, home })).core;
  return composeAzureCore({ ...options, home });
}

/** Audit forwarding to the settings' sinks, in the background; none configured, nothing runs. */
async function startForwarding(services: CoreServices, log: (m: string) => void): Promise<ForwardingLoop | undefined> {
  const forwarder = await services.auditForwarder().catch((err: unknown) => {
    log(`audit forwarding is off: ${errorMessage(err).split('\n')[0]}`);
    return undefined;
  });
  if (!forwarder) return undefined;
  const seconds = (await services.settings.get()).auditForward?.intervalSeconds ?? DEFAULT_FORWARD_INTERVAL_S;
  return forwardPeriodically(forwarder, seconds * 1000, log);
}
const DEFAULT_FORWARD_INTERVAL_S = 300;

/** The audit view's service: the log, its key store, the forwarding cursors, the save dialog. */
async function auditViewFor(services: CoreServices, home: string, options: ComposeOptions, drill: boolean): Promise<AuditService> {
  const saveAs = options.saveAs ?? (options.os ? (r: SaveFileRequest) => (options.os as OsServices).chooseSaveFile(r) : undefined);
  return auditService({
    file: auditLogPath(home), anchors: await services.auditAnchors(), ...(saveAs ? { saveAs } : {}),
    // What the security team holds (Azure Monitor) is the yardstick; a drill sends nothing there.
    ...(drill ? {} : { remote: () => services.remoteCheckpoint() }),
    forwarding: {
      settings: async () => (await services.settings.get()).auditForward, stateFile: services.auditForwardStateFile(),
      ...(drill ? { note: 'Drill mode: the app sends nothing while it runs a drill. The entries wait in the log; nbg audit forward (or the app in Azure mode) sends them.' } : {}),
    },
  });
}

/** Electron's safeStorage (via main) as the MSAL token cache protector. */
export function osProtector(services: OsServices): CacheProtector {
  return {
    kind: 'operating system (Electron safeStorage)',
    protect: async (plain) => Buffer.from(await services.protect(plain)),
    unprotect: async (data) => Buffer.from(await services.unprotect(data)),
  };
}

function brokerFor(options: ComposeOptions): PromptBroker {
  return new PromptBroker(options.promptTimeoutsMs ? { timeoutsMs: options.promptTimeoutsMs } : {});
}

/** Entra + ARM + the USB security key + ~/.ssh: the app as operators use it in an emergency. */
export async function composeAzureCore(options: ComposeOptions & {
  home: string; env?: NodeJS.ProcessEnv; transport?: Transport; keySource?: KeySource; sshDir?: string;
}): Promise<Core> {
  const { home, os } = options;
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  const log = options.log ?? ((m: string) => console.error(m));
  const broker = brokerFor(options);
  const events = new CoreEvents();
  // Non-elevated Windows cannot open FIDO HID: enroll and sign then go through webauthn.dll, its
  // dialogs parented to the app window (the handle comes from main; stable for the window's life);
  // import and PIN changes run in an elevated copy of the app that main starts. The same handle
  // parents the Windows sign-in broker's dialog (services pass it to core's auth).
  const windowHandle = process.platform === 'win32' && os ? await os.windowHandle().catch(() => null) : null;
  const services = new CoreServices({
    home, env: options.env ?? process.env, interaction: broker, warn: log, audit: 'required',
    ...(options.sshDir ? { sshDir: options.sshDir } : {}),
    ...(options.keySource ? { keySource: options.keySource } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    ...(os ? { openBrowser: (url: string) => os.openExternal(url), protector: osProtector(os) } : {}),
    windows: {
      ...(windowHandle ? { hwnd: () => windowHandle } : {}),
      ...(os ? { relaunchElevated: desktopRelaunch(os, (p) => events.emit('ui:progress', p)) } : {}),
      ...(os && process.platform === 'win32' ? { openKeySettings: () => os.openKeySettings() } : {}),
    },
  });
  await services.audit();
  const keys = await services.keys();
  // USB keys plugged in or pulled out reach the UI (ui:keys) without the operator pressing refresh.
  const source = options.keySource;
  const watcher = new FidoDeviceWatcher({
    ...(source ? { list: () => source.list() } : {}),
    onChange: () => keys.notify(),
    onError: (err) => log(`security key watch: ${errorMessage(err)}`),
  }).start();
  const sessions = await openSessions(services, broker, await services.signer(), log, services.connectHistory);
  const forwarding = await startForwarding(services, log);
  return createCore({
    version: APP_VERSION, drill: false, settings: services.settings, broker, events,
    keys, auth: await services.auth(), inventory: services.withSshConfig(await services.inventory()), planner: await services.planner(),
    sessions: sessions.service, audit: await auditViewFor(services, home, options, false), history: services.connectHistory,
    fleet: await fleetFor(services, sessions.manager, await services.planner()),
    hostProbe: probeAgainst(async () => new KnownHostsStore(await services.knownHostsFiles())),
    admin: adminService(() => services.azure()),
    onDispose: async () => {
      await forwarding?.stop();
      watcher.stop();
      await sessions.close();
      await services.close();
    },
  });
}

/**
 * Sessions signed with `signer` (recorded under the app home; host keys in the app's known_hosts
 * files unless `knownHosts` says otherwise), and the ssh-agent: started when the setting is on,
 * following every later change of it.
 */
async function openSessions(
  services: CoreServices, broker: PromptBroker, signer: SkSigner, log: (m: string) => void, history: ConnectHistoryStore, knownHosts?: KnownHostsStore,
) {
  const { settings } = services;
  const audit = await services.audit();
  // Every refusal of the app's agent is on record with its reason, as with nbg agent.
  const agent = agentSwitch(signer, broker, log, (r) => {
    audit?.append({ type: 'agent-refusal', ...r }).catch((err: unknown) => log(`audit: ${errorMessage(err)}`));
  });
  await agent.apply((await settings.get()).agent);
  settings.onChange((s) => { void agent.apply(s.agent); });
  const manager = await services.sessionManager({ policy: 'ask', signer, ...(knownHosts ? { knownHosts } : {}) });
  return {
    manager,
    service: sessionsService(manager, async () => (await settings.get()).recording, history),
    close: async () => {
      manager.closeAll();
      await agent.close();
    },
  };
}

/** "Test jump host" against the known_hosts files sessions check (read when asked: the setting may change). */
function probeAgainst(store: () => Promise<KnownHostsStore>): HostProbe {
  return { probe: async (address) => probeHost(address, await store()), knownHosts: store };
}

/** Fleet runs over the app's own session manager (its jump pool, host keys and audit log). */
async function fleetFor(services: CoreServices, manager: SessionManager, planner: ConnectPlanner): Promise<FleetService> {
  const audit = await services.audit();
  return fleetService({
    manager, planner, ...(audit ? { audit } : {}), recording: async () => (await services.settings.get()).recording.sessions,
  });
}

export async function composeDrillCore(options: ComposeOptions & { home: string }): Promise<DrillCore> {
  const { home } = options;
  await fs.mkdir(path.join(home, 'drill'), { recursive: true, mode: 0o700 });
  const log = options.log ?? ((m: string) => console.error(m));
  const broker = brokerFor(options);
  const { simulator, source: keySource, keyDir } = await openDrillKey(home,
    options.drill?.presence ?? (() => new Promise((resolve) => setTimeout(() => resolve('approve'), DRILL_TOUCH_DELAY_MS))),
    options.drill?.upTimeoutMs);
  const services = new CoreServices({
    home, env: process.env, interaction: broker, warn: log, audit: 'required', keyDir, keySource,
  });
  const audit = await services.audit();
  const { authenticator: auth } = await services.authenticator();
  const keyStore = services.keyStore();
  const drill = drillServices({
    home, port: options.drill?.port ?? DRILL_DEFAULT_PORT, ...(options.drill?.deadPrimary ? { deadPrimary: options.drill.deadPrimary } : {}),
  });
  const existing = await primaryKey(keyStore);
  if (existing) await drill.register(existing.publicKeyLine).catch((err: unknown) => log(`drill fabric did not start: ${errorMessage(err)}`));

  const keys = keysService({
    auth, store: keyStore, interaction: broker, transport: 'simulator', ...(audit ? { audit } : {}),
    readiness: async () => drillReadiness(await keys.state(), drill.registeredKey()),
    upload: (key) => drill.register(key.publicKey),
  });
  const knownHostsFile = path.join(home, 'drill', 'known_hosts');
  const drillKnownHosts = new KnownHostsStore({ readOnly: [], managed: knownHostsFile });
  const history = ConnectHistoryStore.inHome(path.join(home, 'drill'));
  const sessions = await openSessions(services, broker, await services.signer(), log, history, drillKnownHosts);
  const planner = services.plannerOver(drill.inventory, drill.auth, true, history);
  const core = createCore({
    version: APP_VERSION, drill: true, settings: services.settings, broker, keys, auth: drill.auth, inventory: services.withSshConfig(drill.inventory),
    planner, fleet: await fleetFor(services, sessions.manager, planner), hostProbe: probeAgainst(async () => drillKnownHosts),
    sessions: sessions.service, audit: await auditViewFor(services, home, options, true), history,
    onDispose: async () => {
      await sessions.close();
      await drill.stop();
      await services.close();
    },
  });
  return { core, simulator, drill, broker, keyStore, knownHostsFile };
}
