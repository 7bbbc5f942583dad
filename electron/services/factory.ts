// Composition of the shipped core. With nothing configured (no Entra app registration in the
// settings) the app starts in drill mode: a simulated key and the simulated fabric on loopback,
// so a first launch shows something real. Drill key files live under the app home, never in ~/.ssh.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Authenticator } from '../../native/authenticator/authenticator';
import { simulatorKeySource } from '../../native/authenticator/key-source';
import { openSimulator, type PresenceDecider, type Simulator } from '../../native/simulator/index';
import { CoreEvents, createCore, type Core } from '../app/dispatcher';
import { AuditLog } from '../core/audit/index';
import { DRILL_DEFAULT_PORT } from '../drill/topology';
import { AuthenticatorSigner } from '../core/keys/signer';
import { KeyStore } from '../core/keys/store';
import { appHome } from '../core/paths';
import { PromptBroker } from '../core/prompts/broker';
import { SettingsStore } from '../core/settings/store';
import { KnownHostsStore } from '../core/ssh/known-hosts-store';
import { SessionManager } from '../core/ssh/sessions/index';
import type { OsServices } from '../shared/os';
import type { PromptKind } from '../shared/prompts';
import type { SkSigner } from '../core/ssh/agent/types';
import { agentSwitch } from '../core/ssh/agent/agent-switch';
import { auditPort } from '../core/audit/audit-service';
import { azureServices, type AzureModeOptions } from './azure-mode';
import { DRILL_KEY_PROFILE, drillKeyDir, drillReadiness, drillServices, drillStateFile, type DrillServices } from '../drill/mode';
import { keysPort, primaryKey } from '../core/keys/keys-service';
import { sessionsPort } from '../core/ssh/sessions/sessions-service';

export const APP_VERSION = '0.1.0';
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

/** Entra + ARM + the USB security key + ~/.ssh: the app as operators use it in an emergency. */
export async function composeAzureCore(options: ComposeOptions & Pick<AzureModeOptions, 'env' | 'transport' | 'keySource' | 'sshDir'> & { home: string }): Promise<Core> {
  const { home } = options;
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  const base = await openBase(options);
  const current = await base.settings.get();
  const events = new CoreEvents();
  const services = await azureServices({
    home, settings: current, broker: base.broker, audit: base.audit, log: base.log, progress: (p) => events.emit('ui:progress', p),
    ...(options.os ? { os: options.os } : {}), ...(options.env ? { env: options.env } : {}),
    ...(options.transport ? { transport: options.transport } : {}), ...(options.keySource ? { keySource: options.keySource } : {}),
    ...(options.sshDir ? { sshDir: options.sshDir } : {}),
  });
  const knownHosts = new KnownHostsStore({ readOnly: [current.knownHostsPath ?? path.join(services.keyStore.dir, 'known_hosts')], managed: path.join(home, 'known_hosts') });
  const sessions = await openSessions(base, new AuthenticatorSigner(services.authenticator, services.keyStore, { audit: base.audit }), knownHosts);
  return createCore({
    version: APP_VERSION, drill: false, settings: base.settings, broker: base.broker, events, keys: services.keys, auth: services.auth, inventory: services.inventory,
    sessions: sessions.port, audit: auditPort(base.audit.file),
    onDispose: async () => {
      services.stop();
      await sessions.close();
      await base.audit.close();
    },
  });
}

/** What both modes share: the settings, the prompt broker and the audit log under the app home. */
async function openBase(options: ComposeOptions & { home: string }) {
  return {
    home: options.home,
    log: options.log ?? ((m: string) => console.error(m)),
    settings: SettingsStore.inHome(options.home),
    broker: new PromptBroker(options.promptTimeoutsMs ? { timeoutsMs: options.promptTimeoutsMs } : {}),
    audit: await AuditLog.open({ file: path.join(options.home, 'audit', 'audit.jsonl') }),
  };
}

/**
 * Sessions signed with `signer` (recorded under the app home), and the ssh-agent: started when
 * the setting is on, following every later change of it.
 */
async function openSessions(base: Awaited<ReturnType<typeof openBase>>, signer: SkSigner, knownHosts: KnownHostsStore) {
  const agent = agentSwitch(signer, base.broker, base.log);
  await agent.apply((await base.settings.get()).agent);
  base.settings.onChange((s) => { void agent.apply(s.agent); });
  const manager = new SessionManager({
    interaction: base.broker,
    hostKeys: { store: knownHosts, policy: 'ask' },
    signer,
    audit: base.audit,
    recordingsDir: path.join(base.home, 'recordings'),
  });
  return {
    port: sessionsPort(manager, async () => (await base.settings.get()).recording),
    close: async () => {
      manager.closeAll();
      await agent.close();
    },
  };
}

export async function composeDrillCore(options: ComposeOptions & { home: string }): Promise<DrillCore> {
  const { home } = options;
  await fs.mkdir(path.join(home, 'drill'), { recursive: true, mode: 0o700 });
  const base = await openBase(options);
  const { broker, audit, log } = base;
  const simulator = await openSimulator({
    stateFile: drillStateFile(home),
    profile: DRILL_KEY_PROFILE,
    presence: options.drill?.presence ?? (() => new Promise((resolve) => setTimeout(() => resolve('approve'), DRILL_TOUCH_DELAY_MS))),
    ...(options.drill?.upTimeoutMs !== undefined ? { upTimeoutMs: options.drill.upTimeoutMs } : {}),
  });
  const auth = new Authenticator(simulatorKeySource(simulator), broker);
  const keyStore = new KeyStore(drillKeyDir(home));
  const drill = drillServices({
    home, port: options.drill?.port ?? DRILL_DEFAULT_PORT, ...(options.drill?.deadPrimary ? { deadPrimary: options.drill.deadPrimary } : {}),
  });
  const existing = await primaryKey(keyStore);
  if (existing) await drill.register(existing.publicKeyLine).catch((err: unknown) => log(`drill fabric did not start: ${(err as Error).message}`));

  const keys = keysPort({
    auth, store: keyStore, interaction: broker, transport: 'simulator', audit,
    readiness: async () => drillReadiness(await keys.state(), drill.registeredKey()),
    upload: (key) => drill.register(key.publicKey),
  });
  const knownHostsFile = path.join(home, 'drill', 'known_hosts');
  const sessions = await openSessions(base, new AuthenticatorSigner(auth, keyStore, { audit }), new KnownHostsStore({ readOnly: [], managed: knownHostsFile }));
  const core = createCore({
    version: APP_VERSION, drill: true, settings: base.settings, broker, keys, auth: drill.auth, inventory: drill.inventory,
    sessions: sessions.port, audit: auditPort(audit.file),
    onDispose: async () => {
      await sessions.close();
      await drill.stop();
      await audit.close();
    },
  });
  return { core, simulator, drill, broker, keyStore, knownHostsFile };
}
