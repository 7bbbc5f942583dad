// The one service layer: every front end (the desktop app's dispatcher, each `nbg` command, the
// browser test host) gets its keys, Azure, sign-in, inventory, connect planning, sessions and audit
// log from here, built the same way. Each service is built on first use, so a command loads only
// what it needs (`nbg --help` opens no key, no Azure client, no audit log), and the modules behind
// a service are imported when it is built: `nbg keys list` does not load MSAL, `nbg fabrics` not
// the security-key stack.
import os from 'node:os';
import path from 'node:path';
import { errorMessage, NbgError } from '../../native/errors';
import { ErrorCode } from '../shared/error-codes';
import type { Authenticator } from '../../native/authenticator/authenticator';
import type { KeySource } from '../../native/authenticator/key-source';
import type { CacheProtector } from '../core/auth/token-cache';
import type { AuthService } from '../core/auth/auth-service';
import type { AuditLog } from '../core/audit/index';
import type { AuditAnchorStore } from '../core/audit/anchor';
import type { AuditForwarder } from '../core/audit/forward/forwarder';
import type { SecretStore } from '../core/auth/os-key-store';
import { auditLogPath } from '../core/audit/log-path';
import type { AzureContext } from '../core/azure/context';
import type { InventoryService } from '../core/azure/inventory-service';
import type { Transport } from '../core/net/transport';
import type { KeyEnvironment, WindowsOptions } from '../core/keys/authenticator-factory';
import type { KeysService } from '../core/keys/keys-service';
import type { AuthenticatorSigner } from '../core/keys/signer';
import { KeyStore } from '../core/keys/store';
import { homeDir, sshDir } from '../core/paths';
import type { CoreInteraction } from '../core/prompts/interaction';
import { SettingsStore } from '../core/settings/store';
import type { SkSigner } from '../core/ssh/agent/types';
import { KnownHostsStore } from '../core/ssh/known-hosts-store';
import type { HostKeyPolicy } from '../core/ssh/known-hosts-verify';
import { ConnectPlanner } from '../core/ssh/sessions/connect-plan';
import { ConnectHistoryStore } from '../core/workspace/connect-history';
import { withSshConfigHosts } from '../core/ssh/ssh-config-inventory';
import { SshConfigSource } from '../core/ssh/ssh-config-source';
import type { SessionManager } from '../core/ssh/sessions/index';

const MS_PER_SECOND = 1000;

export const APP_VERSION = '0.1.0';

/** The audit anchor: a safeStorage-sealed file beside (not in) the audit folder, or an OS key store entry. */
const AUDIT_ANCHOR_SECRET = 'audit-anchor';
/** The HMAC secret of the audit webhook. */
export const AUDIT_WEBHOOK_SECRET = 'audit-webhook-secret';
/** What each forwarding sink has received: beside the audit folder, not in it. */
const AUDIT_FORWARD_STATE = 'audit-forward.json';

/** The app-managed known_hosts (OpenSSH format) under the app folder. */
export const APP_KNOWN_HOSTS = 'known_hosts';

export interface ServiceOptions {
  /** The app's folder (settings, audit log, caches, recordings). */
  home: string;
  env: NodeJS.ProcessEnv;
  /** Answers PIN, touch, key-choice, trust and password questions: the prompt broker or a terminal. */
  interaction: CoreInteraction;
  /** Non-secret warnings for the operator. */
  warn(message: string): void;
  /** The operator's ~/.ssh (known_hosts, and the key folder unless keyDir says otherwise). */
  sshDir?: string;
  /** The SSH key folder; default sshDir. */
  keyDir?: string;
  /** Asks for the passphrase of an encrypted key file. */
  passphrase?: (file: string) => Promise<string | null>;
  /** Security keys to talk to; default USB (or NBG_SIMULATOR). */
  keySource?: KeySource;
  windows?: WindowsOptions;
  /** Azure: the HTTPS transport, the token source (msal, az, env), how to open a sign-in page. */
  transport?: Transport;
  tokenSource?: string;
  openBrowser?: (url: string) => Promise<void>;
  protector?: CacheProtector;
  /**
   * The audit log must open (the desktop app) or may be skipped with a warning when another
   * process holds it (a break-glass command must not fail because the app is open).
   */
  audit: 'required' | 'optional';
}

type Lazy<T> = () => Promise<T>;

function once<T>(make: () => Promise<T>): Lazy<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}

export class RemoteCheckNotConfiguredError extends NbgError {
  constructor() {
    super(ErrorCode.USAGE, 'no Log Analytics workspace to compare with: set auditForward.azureMonitor.workspaceId in settings');
  }
}

export class CoreServices {
  readonly settings: SettingsStore;
  /** Favourites and the last connect per device (connect-history.json, app and nbg alike): feeds the connect defaults. */
  readonly connectHistory: ConnectHistoryStore;
  readonly sshDir: string;
  readonly keyDir: string;
  private auditLog: AuditLog | undefined;

  constructor(readonly options: ServiceOptions) {
    this.settings = SettingsStore.inHome(options.home);
    this.connectHistory = ConnectHistoryStore.inHome(options.home);
    this.sshDir = options.sshDir ?? sshDir(options.env);
    this.keyDir = options.keyDir ?? this.sshDir;
    const { env } = options;
    this.sshConfig = new SshConfigSource({
      configFile: async () => (await this.settings.get()).sshConfigPath,
      home: homeDir(env), localUser: env.USER ?? env.USERNAME ?? os.userInfo().username, env,
    });
  }

  /** The audit log under the app home; undefined (with a warning) when optional and held elsewhere. */
  readonly audit: Lazy<AuditLog | undefined> = once(async () => {
    try {
      const { AuditLog } = await import('../core/audit/index');
      this.auditLog = await AuditLog.open({ file: auditLogPath(this.options.home), anchors: await this.auditAnchors(), warn: this.options.warn });
      return this.auditLog;
    } catch (err) {
      if (this.options.audit === 'required') throw err;
      this.options.warn(`audit log not written (${errorMessage(err).split('\n')[0]})`);
      return undefined;
    }
  });

  /**
   * Where the audit log's MAC key and last seq live: with the token cache's protection, outside the
   * audit folder. The app seals it with safeStorage; the CLI keeps it in the OS key store itself.
   */
  async auditAnchors(): Promise<AuditAnchorStore> {
    const { secretAnchorStore } = await import('../core/audit/anchor');
    return secretAnchorStore(await this.secretStore(AUDIT_ANCHOR_SECRET));
  }

  /** A named secret with the token cache's protection: sealed by safeStorage in the app, the OS key store in the CLI. */
  async secretStore(name: string): Promise<SecretStore> {
    const { osSecretStore, protectedFileSecretStore } = await import('../core/auth/os-key-store');
    if (this.options.protector) return protectedFileSecretStore(path.join(this.options.home, `${name}.sealed`), this.options.protector);
    return osSecretStore(name, this.options.home, this.options.env);
  }

  /** The last checkpoint Azure Monitor holds for this computer, for `verify --remote`; undefined when none was sent. */
  async remoteCheckpoint(): Promise<{ seq: number; hash: string; where: string } | undefined> {
    const monitor = (await this.settings.get()).auditForward?.azureMonitor;
    if (!monitor?.workspaceId) throw new RemoteCheckNotConfiguredError();
    const { lastRemoteCheckpoint } = await import('../core/audit/forward/remote-checkpoint');
    const { hostname } = await import('node:os');
    const found = await lastRemoteCheckpoint({
      workspaceId: monitor.workspaceId, stream: monitor.stream, computer: hostname(), transport: await this.transport(),
      token: async () => (await this.azure()).tokens.token('loganalytics'),
      ...(monitor.queryEndpoint ? { baseUrl: monitor.queryEndpoint } : {}),
    });
    return found ? { seq: found.seq, hash: found.hash, where: `Azure Monitor (workspace ${monitor.workspaceId}, checkpoint of ${found.time})` } : undefined;
  }

  /** Forwarding of the audit log to the sinks in settings; none configured, none built. */
  async auditForwarder(): Promise<AuditForwarder | undefined> {
    const config = (await this.settings.get()).auditForward;
    if (!config) return undefined;
    const [{ AuditForwarder }, { sinksFromSettings }] = await Promise.all([import('../core/audit/forward/forwarder'), import('../core/audit/forward/from-settings')]);
    const webhookSecret = await this.secretStore(AUDIT_WEBHOOK_SECRET);
    const sinks = await sinksFromSettings(config, {
      transport: await this.transport(),
      monitorToken: async () => (await this.azure()).tokens.token('monitor'),
      webhookSecret: async () => webhookSecret.load(),
      warn: this.options.warn,
    });
    return sinks.length ? new AuditForwarder({ logFile: auditLogPath(this.options.home), stateFile: this.auditForwardStateFile(), sinks }) : undefined;
  }

  /** Where each forwarding sink's cursor is kept. */
  auditForwardStateFile(): string {
    return path.join(this.options.home, AUDIT_FORWARD_STATE);
  }

  keyStore(): KeyStore {
    return new KeyStore(this.keyDir, this.options.passphrase);
  }

  /** The security keys: given source, USB (with the Windows route), or NBG_SIMULATOR. */
  readonly authenticator: Lazy<{ authenticator: Authenticator; transport: KeyEnvironment['transport'] }> = once(async () => {
    const { keySource, interaction } = this.options;
    if (keySource) {
      const { Authenticator } = await import('../../native/authenticator/authenticator');
      return { authenticator: new Authenticator(keySource, interaction), transport: 'hid' as const };
    }
    const { authenticatorFromEnv } = await import('../core/keys/authenticator-factory');
    return authenticatorFromEnv(this.options.env, interaction, this.options.windows ?? {});
  });

  readonly signer: Lazy<AuthenticatorSigner> = once(async () => {
    const audit = await this.audit();
    const { AuthenticatorSigner } = await import('../core/keys/signer');
    return new AuthenticatorSigner((await this.authenticator()).authenticator, this.keyStore(), audit ? { audit } : {});
  });

  /** The one HTTPS opener: the given one, or one trusting NODE_EXTRA_CA_CERTS as Node would. */
  readonly transport: Lazy<Transport> = once(async () => {
    if (this.options.transport) return this.options.transport;
    const { createTransport, transportOptionsFromEnv } = await import('../core/net/transport');
    return createTransport(transportOptionsFromEnv(this.options.env));
  });

  readonly azure: Lazy<AzureContext> = once(async () => {
    const { env, home } = this.options;
    const azure = (await this.settings.get()).azure;
    // The app's window (Electron's getNativeWindowHandle bytes) parents the Windows sign-in broker.
    const hwnd = this.options.windows?.hwnd;
    const { createAzureContext } = await import('../core/azure/context');
    return createAzureContext({
      env, appHome: home,
      transport: await this.transport(),
      ...(this.options.tokenSource ? { tokenSource: this.options.tokenSource } : {}),
      ...(azure ? { settings: { clientId: azure.clientId, tenant: azure.tenantId } } : {}),
      ...(this.options.openBrowser ? { openBrowser: this.options.openBrowser } : {}),
      ...(this.options.protector ? { protector: this.options.protector } : {}),
      ...(hwnd ? { windowHandle: () => { const h = hwnd(); return h instanceof Uint8Array ? h : null; } } : {}),
      warn: this.options.warn,
    });
  });

  private readonly inventoryService = once(async () => (await import('../core/azure/inventory-service')).azureInventory(await this.azure()));

  readonly inventory: Lazy<InventoryService> = () => this.inventoryService();

  readonly auth: Lazy<AuthService> = once(async () => {
    const inventory = await this.inventoryService();
    const { entraAuth } = await import('../core/azure/identity-service');
    return entraAuth(await this.azure(), await this.audit(), () => inventory.forget());
  });

  /** The key panel's service: keys plugged in, the key file, enroll, PIN, import, Entra readiness and upload. */
  readonly keys: Lazy<KeysService & { notify(): void }> = once(async () => {
    const { authenticator, transport } = await this.authenticator();
    const store = this.keyStore();
    const audit = await this.audit();
    const [{ keysService, primaryKey, securityKeyFacts }, { entraReadiness, readinessView }, { uploadKey }] = await Promise.all([
      import('../core/keys/keys-service'), import('../core/azure/key-readiness'), import('../core/azure/audited'),
    ]);
    const readiness = async () => {
      const local = await primaryKey(store);
      return readinessView(await entraReadiness(await this.azure(), {
        localKey: async () => (local ? { pubLine: local.publicKeyLine, fingerprint: local.fingerprint } : null),
        securityKey: () => securityKeyFacts(authenticator),
      }).check());
    };
    return keysService({
      auth: authenticator, store, interaction: this.options.interaction, transport, ...(audit ? { audit } : {}), readiness,
      upload: async (key) => { await uploadKey(await this.azure(), key.publicKey, audit); },
      ...(this.options.windows?.openKeySettings ? { openKeySettings: this.options.windows.openKeySettings } : {}),
    });
  });


  /** Connect planning over the Azure inventory, these settings and the signed-in identity. */
  readonly planner: Lazy<ConnectPlanner> = once(async () => {
    const auth = await this.auth();
    const last = (await import('../core/auth/last-identity')).LastIdentityStore.inHome(this.options.home);
    // Entra down and the token cache gone or unreadable: the device user name still comes from
    // the last signed-in identity (kept without tokens).
    const identity = async () => (await auth.identity()) ?? last.read((line) => this.options.warn(line));
    return this.plannerOver(await this.inventory(), { ...auth, identity }, false);
  });

  /** The operator's ssh_config (the settings' file, else the user's and the system's) as a source of hosts and jump aliases. */
  readonly sshConfig: SshConfigSource;

  /** An inventory with the ssh_config hosts as one more group (what the app's device list shows). */
  withSshConfig(inventory: InventoryService): InventoryService {
    return withSshConfigHosts(inventory, this.sshConfig);
  }

  /** Connect planning over any inventory and identity (the drill fabric's too), and the ssh_config hosts. */
  plannerOver(inventory: InventoryService, auth: AuthService, drill: boolean, history = this.connectHistory): ConnectPlanner {
    const withConfig = this.withSshConfig(inventory);
    return new ConnectPlanner({
      settings: () => this.settings.get(),
      devices: (fabricId) => withConfig.devices(fabricId),
      sshConfig: { source: this.sshConfig, keyDir: this.keyDir, env: this.options.env },
      identity: () => auth.identity(),
      ...(inventory.jumpHost ? { inventoryJumpHost: (fabricId: string) => inventory.jumpHost?.(fabricId) ?? null } : {}),
      ...(inventory.clusters ? { clusters: () => inventory.clusters?.() ?? Promise.resolve([]) } : {}),
      drill,
      recent: history,
    });
  }

  /** known_hosts: ~/.ssh/known_hosts (or the setting) read only, plus the app's own file. */
  async knownHostsFiles(): Promise<{ readOnly: string[]; managed: string }> {
    const configured = (await this.settings.get()).knownHostsPath;
    return { readOnly: [configured ?? path.join(this.sshDir, 'known_hosts')], managed: path.join(this.options.home, APP_KNOWN_HOSTS) };
  }

  /**
   * The session layer: jump chains signed by `signer`, host keys checked against `knownHosts` (the
   * app's files by default), every connect on record, recordings under the app home.
   */
  async sessionManager(options: {
    policy: HostKeyPolicy; signer?: SkSigner; knownHosts?: KnownHostsStore;
    /** Each network phase's limit (--connect-timeout); default the setting. */
    connectTimeoutMs?: number;
    /** Output kept per session (0: none, for the CLI); default the session layer's. */
    scrollbackBytes?: number;
  }): Promise<SessionManager> {
    const [{ SessionManager }, audit, settings] = await Promise.all([import('../core/ssh/sessions/index'), this.audit(), this.settings.get()]);
    const phaseMs = options.connectTimeoutMs ?? settings.connectTimeoutSeconds * MS_PER_SECOND;
    return new SessionManager({
      interaction: this.options.interaction,
      hostKeys: { store: options.knownHosts ?? new KnownHostsStore(await this.knownHostsFiles()), policy: options.policy },
      ...(options.signer ? { signer: options.signer } : {}),
      ...(audit ? { audit } : {}),
      timeouts: { bannerMs: phaseMs, phaseMs },
      ...(options.scrollbackBytes !== undefined ? { scrollbackBytes: options.scrollbackBytes } : {}),
      recordingsDir: path.join(this.options.home, 'recordings'),
    });
  }

  async close(): Promise<void> {
    await this.auditLog?.close();
  }
}
