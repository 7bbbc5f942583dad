// Core composition: every service is injected, so the Electron core host, the browser test host,
// the CLI and tests compose the same core with a real key or the simulator, Azure or fake Azure,
// real devices or the drill fabric. Core parses every input and output with the contract.
import { z } from 'zod';
import { NbgError } from '../../native/errors';
import type { AuditView, Recording } from '../shared/audit';
import {
  ContractErrorCode, describeIssues, events as eventSchemas, isMethodName, methods,
  type AppState, type ConnectDefaults, type EventName, type EventPayload, type MethodName, type MethodOutput, type Reply,
} from '../shared/contract';
import type { Identity } from '../shared/identity';
import type { BmmKeyset, ClusterSummary, FabricSummary, NetworkDevice } from '../shared/inventory';
import type { ElevatedStep, KeyState, Readiness, SshKeyInfo, StepOutcome } from '../shared/keys';
import type { AccessMethod, Hop, PathChoice, SessionInfo, SessionStateEvent } from '../shared/sessions';
import type { JumpHost, Settings } from '../shared/settings';
import type { PromptBroker } from '../core/prompts/broker';
import { parseBackupAddresses } from '../core/settings/backup-addresses';
import type { SettingsStore } from '../core/settings/store';

export class ServiceUnavailableError extends NbgError {
  constructor(method: string, service: string) {
    super(ContractErrorCode.Unavailable, `${method} is not available: this build has no ${service} service wired in.`);
  }
}

export class UnknownDeviceError extends NbgError {
  constructor(deviceId: string) {
    super('UNKNOWN_DEVICE', `Device ${deviceId} is not in this fabric's inventory; refresh the fabric list.`);
  }
}

export class NoJumpHostError extends NbgError {
  constructor(fabric: string) {
    super('NO_JUMP_HOST', `No jump host is set for ${fabric}. Add one in Settings → Jump hosts.`);
  }
}

export class NoAddressError extends NbgError {
  constructor(device: string, path: PathChoice) {
    super('NO_ADDRESS', path === 'backup'
      ? `${device} has no backup (in-band loopback) address. Import backup addresses in Settings.`
      : `${device} has no management address in the inventory.`);
  }
}

// ---- Ports: the slices of each service the contract handlers need ----

export interface KeysPort {
  state(): Promise<KeyState>;
  enroll(deviceId?: string): Promise<SshKeyInfo>;
  setPin(deviceId: string, pin: string): Promise<void>;
  importResident(deviceId?: string): Promise<SshKeyInfo>;
  readiness(): Promise<Readiness>;
  /** Uploads the public key to Entra, then re-checks readiness. */
  upload(): Promise<Readiness>;
  /** Keys plugged or unplugged, key file written. */
  onChange?(listener: (state: KeyState) => void): () => void;
}

export interface AuthPort {
  identity(): Promise<Identity | null>;
  signIn(): Promise<Identity>;
  signOut(): Promise<void>;
}

export interface InventoryPort {
  fabrics(refresh: boolean): Promise<FabricSummary[]>;
  devices(fabricId: string): Promise<NetworkDevice[]>;
  clusters?(): Promise<ClusterSummary[]>;
  keysets?(clusterId: string): Promise<BmmKeyset[]>;
  /** A jump host the inventory itself knows (the drill fabric's); settings take precedence. */
  jumpHost?(fabricId: string): JumpHost | null;
}

/** Everything needed to dial one device through its jump host. */
export interface ConnectPlan {
  title: string;
  jump: Hop;
  target: Hop;
  /** The other route, tried when the chosen one fails (primary → backup). */
  fallback?: { host: string; port: number };
  path: PathChoice;
  method: AccessMethod;
  cols: number;
  rows: number;
  drill: boolean;
}

export interface SessionSink {
  output(id: string, data: string): void;
  state(event: SessionStateEvent): void;
}

export interface SessionsPort {
  open(plan: ConnectPlan, sink: SessionSink): Promise<SessionInfo>;
  write(id: string, data: string): void;
  resize(id: string, cols: number, rows: number): void;
  reconnect(id: string): Promise<SessionInfo>;
  close(id: string): Promise<void>;
  list(): SessionInfo[];
}

/** The elevated copy of the app (Windows): one raw-HID step, run once. */
export interface StepPort {
  step: ElevatedStep;
  run(): Promise<StepOutcome>;
}

export interface AuditPort {
  view(): Promise<AuditView>;
  recording(sessionId: string): Promise<Recording>;
}

/** Core → UI events, validated against the contract before anyone sees them. */
export class CoreEvents {
  private readonly listeners = new Set<(event: EventName, payload: unknown) => void>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const parsed = eventSchemas[event].parse(payload);
    for (const listener of this.listeners) listener(event, parsed);
  }

  on(listener: (event: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface CoreDeps {
  version: string;
  drill: boolean;
  settings: SettingsStore;
  broker: PromptBroker;
  events?: CoreEvents;
  keys?: KeysPort;
  auth?: AuthPort;
  inventory?: InventoryPort;
  sessions?: SessionsPort;
  audit?: AuditPort;
  step?: StepPort;
  /** Runs on dispose (stop drill servers, close the audit log, ...). */
  onDispose?: () => Promise<void>;
}

export interface Core {
  /** Parses the input, runs the handler, parses the output; never throws. */
  invoke(method: string, input: unknown): Promise<Reply>;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  dispose(): Promise<void>;
}

type Handlers = { [M in MethodName]: (input: z.output<(typeof methods)[M]['input']>) => Promise<MethodOutput<M>> };

/** Which port serves each method; a missing port makes its methods SERVICE_UNAVAILABLE. */
const METHOD_SERVICE: Partial<Record<MethodName, keyof CoreDeps>> = {
  'core:keys.state': 'keys', 'core:keys.enroll': 'keys', 'core:keys.setPin': 'keys',
  'core:keys.importResident': 'keys', 'core:keys.readiness': 'keys', 'core:keys.upload': 'keys',
  'core:auth.signIn': 'auth', 'core:auth.signOut': 'auth',
  'core:fabrics.list': 'inventory', 'core:fabrics.devices': 'inventory', 'core:clusters.list': 'inventory',
  'core:clusters.keysets': 'inventory', 'core:connect.defaults': 'inventory',
  'core:sessions.open': 'sessions', 'core:sessions.list': 'sessions', 'core:sessions.write': 'sessions',
  'core:sessions.resize': 'sessions', 'core:sessions.reconnect': 'sessions', 'core:sessions.close': 'sessions',
  'core:audit.view': 'audit', 'core:audit.recording': 'audit', 'core:step.run': 'step',
};

/** Applies the user name template to the signed-in identity: {upn}, {alias}, {mail}. */
export function deviceUserName(template: string, identity: Identity | null): string {
  if (!identity) return template.includes('{') ? '' : template;
  const upn = identity.userPrincipalName;
  return template
    .replaceAll('{upn}', upn)
    .replaceAll('{alias}', upn.split('@')[0] ?? upn)
    .replaceAll('{mail}', identity.mail ?? upn);
}

function jumpHostFor(settings: Settings, fabricId: string, inventory: InventoryPort): JumpHost | null {
  return settings.jumpHosts[fabricId.toLowerCase()] ?? settings.defaultJumpHost ?? inventory.jumpHost?.(fabricId) ?? null;
}

const SSH_PORT = 22;

function stripPrefix(address: string | undefined): string | undefined {
  return address?.replace(/\/\d{1,3}$/, '');
}

export function createCore(deps: CoreDeps): Core {
  const events = deps.events ?? new CoreEvents();
  const { settings, broker } = deps;
  const unsubscribers: (() => void)[] = [];
  unsubscribers.push(broker.onChange((prompt) => events.emit('ui:prompt', { prompt })));
  if (deps.keys?.onChange) unsubscribers.push(deps.keys.onChange((state) => events.emit('ui:keys', state)));

  const need = <K extends 'keys' | 'auth' | 'inventory' | 'sessions' | 'audit' | 'step'>(method: MethodName, key: K): NonNullable<CoreDeps[K]> => {
    const port = deps[key];
    if (!port) throw new ServiceUnavailableError(method, key);
    return port as NonNullable<CoreDeps[K]>;
  };

  async function findDevice(fabricId: string, deviceId: string): Promise<NetworkDevice> {
    const devices = await need('core:sessions.open', 'inventory').devices(fabricId);
    const device = devices.find((d) => d.id.toLowerCase() === deviceId.toLowerCase());
    if (!device) throw new UnknownDeviceError(deviceId);
    return device;
  }

  async function connectDefaults(fabricId: string, deviceId: string): Promise<ConnectDefaults> {
    const current = await settings.get();
    const inventory = need('core:connect.defaults', 'inventory');
    const device = await findDevice(fabricId, deviceId);
    const identity = deps.auth ? await deps.auth.identity() : null;
    return {
      user: deviceUserName(current.userNameTemplate, identity),
      jumpHost: jumpHostFor(current, fabricId, inventory),
      backupAvailable: Boolean(current.backupAddresses[device.hostName.toLowerCase()] ?? device.backupAddress),
    };
  }

  const sink: SessionSink = {
    output: (id, data) => events.emit('ui:session.output', { id, data }),
    state: (event) => events.emit('ui:session.state', event),
  };

  const handlers: Handlers = {
    'core:app.state': async (): Promise<AppState> => {
      const keyState = deps.keys ? await deps.keys.state() : null;
      return {
        version: deps.version,
        drill: deps.drill,
        firstRun: keyState !== null && keyState.key === null,
        identity: deps.auth ? await deps.auth.identity() : null,
        unavailable: Object.entries(METHOD_SERVICE).filter(([, s]) => s && !deps[s]).map(([m]) => m),
        ...(deps.step ? { elevatedStep: deps.step.step } : {}),
      };
    },
    'core:keys.state': () => need('core:keys.state', 'keys').state(),
    'core:keys.enroll': (i) => need('core:keys.enroll', 'keys').enroll(i.deviceId),
    'core:keys.setPin': async (i) => { await need('core:keys.setPin', 'keys').setPin(i.deviceId, i.pin); return null; },
    'core:keys.importResident': (i) => need('core:keys.importResident', 'keys').importResident(i.deviceId),
    'core:keys.readiness': () => need('core:keys.readiness', 'keys').readiness(),
    'core:keys.upload': () => need('core:keys.upload', 'keys').upload(),
    'core:auth.signIn': () => need('core:auth.signIn', 'auth').signIn(),
    'core:auth.signOut': async () => { await need('core:auth.signOut', 'auth').signOut(); return null; },
    'core:fabrics.list': (i) => need('core:fabrics.list', 'inventory').fabrics(i.refresh),
    'core:fabrics.devices': (i) => need('core:fabrics.devices', 'inventory').devices(i.fabricId),
    'core:clusters.list': async () => {
      const inventory = need('core:clusters.list', 'inventory');
      return inventory.clusters ? inventory.clusters() : [];
    },
    'core:clusters.keysets': async (i) => {
      const inventory = need('core:clusters.keysets', 'inventory');
      if (!inventory.keysets) throw new ServiceUnavailableError('core:clusters.keysets', 'network cloud');
      return inventory.keysets(i.clusterId);
    },
    'core:connect.defaults': (i) => connectDefaults(i.fabricId, i.deviceId),
    'core:sessions.open': async (req) => {
      const sessions = need('core:sessions.open', 'sessions');
      const inventory = need('core:sessions.open', 'inventory');
      const current = await settings.get();
      const device = await findDevice(req.fabricId, req.deviceId);
      const jump = jumpHostFor(current, req.fabricId, inventory);
      if (!jump) throw new NoJumpHostError(req.fabricId);
      const primaryHost = device.managementIpv4 ?? stripPrefix(device.managementIpv6);
      const configuredBackup = current.backupAddresses[device.hostName.toLowerCase()];
      const primary = primaryHost ? { host: primaryHost, port: device.sshPort ?? SSH_PORT } : undefined;
      const backup = configuredBackup ? { host: configuredBackup, port: SSH_PORT }
        : device.backupAddress ? { host: stripPrefix(device.backupAddress) ?? '', port: device.backupPort ?? SSH_PORT } : undefined;
      const address = req.path === 'backup' ? backup : primary;
      if (!address) throw new NoAddressError(device.hostName, req.path);
      const plan: ConnectPlan = {
        title: device.hostName,
        jump: { user: jump.user, host: jump.host, port: jump.port, label: jump.name ?? jump.host },
        target: { user: req.user, host: address.host, port: address.port, label: device.hostName },
        ...(req.path === 'primary' && backup ? { fallback: backup } : {}),
        path: req.path,
        method: req.method,
        cols: req.cols,
        rows: req.rows,
        drill: deps.drill,
      };
      return sessions.open(plan, sink);
    },
    'core:sessions.list': async () => need('core:sessions.list', 'sessions').list(),
    'core:sessions.write': async (i) => { need('core:sessions.write', 'sessions').write(i.id, i.data); return null; },
    'core:sessions.resize': async (i) => { need('core:sessions.resize', 'sessions').resize(i.id, i.cols, i.rows); return null; },
    'core:sessions.reconnect': (i) => need('core:sessions.reconnect', 'sessions').reconnect(i.id),
    'core:sessions.close': async (i) => { await need('core:sessions.close', 'sessions').close(i.id); return null; },
    'core:prompt.current': async () => broker.current(),
    'core:prompt.answer': async (i) => { broker.answer(i.id, i.answer); return null; },
    'core:prompt.cancel': async (i) => { broker.cancel(i.id); return null; },
    'core:audit.view': () => need('core:audit.view', 'audit').view(),
    'core:audit.recording': (i) => need('core:audit.recording', 'audit').recording(i.sessionId),
    'core:settings.get': () => settings.get(),
    'core:settings.update': (patch) => settings.update(patch),
    'core:settings.importBackup': async (i) => {
      const imported = parseBackupAddresses(i.format, i.text);
      const current = await settings.get();
      const next = await settings.update({ backupAddresses: { ...current.backupAddresses, ...imported } });
      return { imported: Object.keys(imported).length, settings: next };
    },
    'core:step.run': () => need('core:step.run', 'step').run(),
  };

  async function invoke(method: string, input: unknown): Promise<Reply> {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: ContractErrorCode.UnknownMethod, message: `Unknown method ${String(method).slice(0, 64)}` } };
    }
    const schema = methods[method];
    const parsedInput = schema.input.safeParse(input);
    if (!parsedInput.success) {
      return { ok: false, error: { code: ContractErrorCode.BadInput, message: `${method}: ${describeIssues(parsedInput.error)}` } };
    }
    let value: unknown;
    try {
      value = await (handlers[method] as (i: unknown) => Promise<unknown>)(parsedInput.data);
    } catch (err) {
      return { ok: false, error: toReplyError(err) };
    }
    // Parsing the output strips anything a service added beyond the contract (handles, tokens).
    const parsedOutput = schema.output.safeParse(value);
    if (!parsedOutput.success) {
      return { ok: false, error: { code: ContractErrorCode.BadOutput, message: `${method}: ${describeIssues(parsedOutput.error)}` } };
    }
    return { ok: true, value: parsedOutput.data };
  }

  return {
    invoke,
    onEvent: (listener) => events.on(listener),
    async dispose() {
      broker.cancelAll();
      for (const off of unsubscribers) off();
      await deps.onDispose?.();
    },
  };
}

/** Typed errors keep their code and operator message; anything else is reported without internals. */
export function toReplyError(err: unknown): { code: string; message: string } {
  if (err instanceof NbgError) return { code: err.code, message: err.message.slice(0, 2048) };
  if (err instanceof z.ZodError) return { code: ContractErrorCode.BadInput, message: describeIssues(err) };
  return { code: ContractErrorCode.Internal, message: 'Unexpected internal error; see the app log.' };
}
