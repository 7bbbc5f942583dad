// The desktop app's dispatcher: the contract's methods over the services (electron/services
// builds them; the Electron core host, the browser test host and tests pass them in). It parses
// every input and output with the contract. Which service serves a method, and so which methods
// are unavailable in a build without that service, comes from one table that names every method.
import { z } from 'zod';
import { NbgError } from '../../native/errors';
import {
  describeIssues, events as eventSchemas, isMethodName, methods,
  type EventName, type EventPayload, type MethodName, type MethodOutput, type Reply,
} from '../shared/contract';
import type { AuditService } from '../core/audit/audit-service';
import type { AdminService } from '../core/admin/admin-service';
import type { AuthService } from '../core/auth/auth-service';
import type { InventoryService } from '../core/azure/inventory-service';
import type { StepService } from '../core/keys/elevated-step';
import type { KeysService } from '../core/keys/keys-service';
import type { PromptBroker } from '../core/prompts/broker';
import { parseBackupAddresses } from '../core/settings/backup-addresses';
import type { SettingsStore } from '../core/settings/store';
import { planView, type ConnectPlanner } from '../core/ssh/sessions/connect-plan';
import type { SessionSink, SessionsService } from '../core/ssh/sessions/sessions-service';
import type { ConnectHistoryStore } from '../core/workspace/connect-history';
import type { FleetService } from '../core/fleet/fleet-service';
import type { KnownHostsStore } from '../core/ssh/known-hosts-store';
import { importKnownHosts } from '../core/ssh/known-hosts-transfer';
import { ErrorCode } from '../shared/error-codes';
import type { JumpProbe } from '../shared/settings';

export class ServiceUnavailableError extends NbgError {
  constructor(method: string, service: string) {
    super(ErrorCode.SERVICE_UNAVAILABLE, `${method} is not available: this build has no ${service} service wired in.`);
  }
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

/** The services a build may have; a missing one makes its methods unavailable. */
export interface AppServices {
  keys: KeysService;
  auth: AuthService;
  inventory: InventoryService;
  planner: ConnectPlanner;
  sessions: SessionsService;
  audit: AuditService;
  step: StepService;
  history: ConnectHistoryStore;
  fleet: FleetService;
  hostProbe: HostProbe;
  admin: AdminService;
}

/** Host keys for the settings screen: test a jump host (no login), export and import the app's known_hosts. */
export interface HostProbe {
  /** Reaches an address and compares its host key with known_hosts, without logging in. */
  probe(address: { host: string; port: number }): Promise<JumpProbe>;
  /** The app's own known_hosts file, for export and import. */
  knownHosts(): Promise<KnownHostsStore>;
}
type ServiceName = keyof AppServices;

export interface CoreDeps extends Partial<AppServices> {
  version: string;
  drill: boolean;
  settings: SettingsStore;
  broker: PromptBroker;
  events?: CoreEvents;
  /** Runs on dispose (stop drill servers, close the audit log, ...). */
  onDispose?: () => Promise<void>;
}

export interface Core {
  /** Parses the input, runs the handler, parses the output; never throws. */
  invoke(method: string, input: unknown): Promise<Reply>;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  dispose(): Promise<void>;
}

type Input<M extends MethodName> = z.output<(typeof methods)[M]['input']>;

interface Context {
  deps: CoreDeps;
  events: CoreEvents;
  sink: SessionSink;
}

interface Entry<M extends MethodName> {
  /** The service that serves the method; none for what core itself answers (settings, prompts). */
  service: ServiceName | null;
  run(input: Input<M>, ctx: Context, method: M): Promise<MethodOutput<M>>;
}

function need<K extends ServiceName>(ctx: Context, service: K, method: string): AppServices[K] {
  const found = ctx.deps[service];
  if (!found) throw new ServiceUnavailableError(method, service);
  return found as AppServices[K];
}

/** A method served by one service. */
function by<K extends ServiceName, M extends MethodName>(
  service: K, run: (svc: AppServices[K], input: Input<M>, ctx: Context) => Promise<MethodOutput<M>>,
): Entry<M> {
  return { service, run: (input, ctx, method) => run(need(ctx, service, method), input, ctx) };
}

/** A method core answers itself. */
function own<M extends MethodName>(run: (input: Input<M>, ctx: Context) => Promise<MethodOutput<M>>): Entry<M> {
  return { service: null, run };
}

/** Every method of the contract: a method missing here does not compile. */
const TABLE: { [M in MethodName]: Entry<M> } = {
  'core:app.state': own(async (_i, { deps }) => {
    const keyState = deps.keys ? await deps.keys.state() : null;
    return {
      version: deps.version,
      drill: deps.drill,
      // A damaged key file is shown in the key panel, not answered with the enrollment wizard.
      firstRun: keyState !== null && keyState.key === null && !keyState.fileProblems?.length,
      identity: deps.auth ? await deps.auth.identity() : null,
      unavailable: unavailableMethods(deps),
      ...(deps.step ? { elevatedStep: deps.step.step } : {}),
    };
  }),
  'core:keys.state': by('keys', (keys) => keys.state()),
  'core:keys.enroll': by('keys', (keys, i) => keys.enroll(i.deviceId)),
  'core:keys.setPin': by('keys', async (keys, i) => { await keys.setPin(i.deviceId, i.pin); return null; }),
  'core:keys.importResident': by('keys', (keys, i) => keys.importResident(i.deviceId)),
  'core:keys.readiness': by('keys', (keys) => keys.readiness()),
  'core:keys.upload': by('keys', (keys) => keys.upload()),
  'core:auth.signIn': by('auth', (auth) => auth.signIn()),
  'core:auth.signOut': by('auth', async (auth) => { await auth.signOut(); return null; }),
  'core:fabrics.list': by('inventory', (inventory, i) => inventory.fabrics(i.refresh)),
  'core:fabrics.devices': by('inventory', (inventory, i) => inventory.devices(i.fabricId)),
  // The drill's inventory has no rotation state: "not known" rather than an error, so the v1.5 path still opens.
  'core:fabrics.passwordRotation': by('inventory', async (inventory, i) => (inventory.passwordRotation
    ? inventory.passwordRotation(i.fabricId)
    : { known: false, split: false, inProgress: false, summary: 'The password rotation state of this fabric is not known.', devices: [] })),
  'core:clusters.list': by('inventory', async (inventory) => (inventory.clusters ? inventory.clusters() : [])),
  'core:clusters.keysets': by('inventory', async (inventory, i) => {
    if (!inventory.keysets) throw new ServiceUnavailableError('core:clusters.keysets', 'network cloud');
    return inventory.keysets(i.clusterId);
  }),
  'core:connect.defaults': by('planner', (planner, i) => planner.defaults(i.fabricId, i.deviceId, i.target)),
  'core:connect.plan': by('planner', async (planner, i) => planView(await planner.plan(i))),
  'core:sessions.open': by('sessions', async (sessions, req, ctx) => {
    // The sessions service records how the connect went in the connect history.
    const plan = await need(ctx, 'planner', 'core:sessions.open').plan(req);
    return sessions.open(plan, { cols: req.cols, rows: req.rows }, ctx.sink);
  }),
  'core:sessions.list': by('sessions', async (sessions) => sessions.list()),
  'core:sessions.write': by('sessions', async (sessions, i) => { sessions.write(i.id, i.data); return null; }),
  'core:sessions.ack': by('sessions', async (sessions, i) => { sessions.ack?.(i.id, i.chars); return null; }),
  'core:sessions.resize': by('sessions', async (sessions, i) => { sessions.resize(i.id, i.cols, i.rows); return null; }),
  'core:sessions.reconnect': by('sessions', (sessions, i) => sessions.reconnect(i.id)),
  'core:sessions.close': by('sessions', async (sessions, i) => { await sessions.close(i.id); return null; }),
  'core:prompt.current': own(async (_i, { deps }) => deps.broker.current()),
  'core:prompt.answer': own(async (i, { deps }) => { deps.broker.answer(i.id, i.answer); return null; }),
  'core:prompt.cancel': own(async (i, { deps }) => { deps.broker.cancel(i.id); return null; }),
  'core:audit.view': by('audit', (audit, i) => audit.view(i)),
  'core:audit.status': by('audit', (audit) => audit.status()),
  'core:audit.checkRemote': by('audit', (audit) => audit.checkRemote()),
  'core:audit.export': by('audit', (audit, i) => audit.export(i)),
  'core:audit.recording': by('audit', (audit, i) => audit.recording(i.sessionId)),
  'core:settings.get': own((_i, { deps }) => deps.settings.get()),
  'core:settings.update': own((patch, { deps }) => deps.settings.update(patch)),
  'core:settings.importBackup': own(async (i, { deps }) => {
    const imported = parseBackupAddresses(i.format, i.text);
    const current = await deps.settings.get();
    const next = await deps.settings.update({ backupAddresses: { ...current.backupAddresses, ...imported } });
    return { imported: Object.keys(imported).length, settings: next };
  }),
  'core:step.run': by('step', (step) => step.run()),
  'core:history.get': by('history', (history) => history.get()),
  'core:history.favourite': by('history', (history, i) => history.setFavourite(i, i.favourite)),
  'core:keys.changePin': by('keys', async (keys, i) => { await keys.changePin(i.deviceId, i.oldPin, i.newPin); return null; }),
  'core:settings.testJump': by('hostProbe', (probe, i) => probe.probe(i)),
  'core:knownHosts.export': by('hostProbe', async (p) => ({ text: await (await p.knownHosts()).managedText() })),
  'core:knownHosts.import': by('hostProbe', async (p, i) => ({ imported: await importKnownHosts(await p.knownHosts(), i.text) })),
  'core:fleet.check': by('fleet', async (fleet, i) => fleet.check(i.commands)),
  'core:fleet.run': by('fleet', (fleet, i, ctx) => fleet.run(i, (e) => ctx.events.emit('ui:fleet', e))),
  'core:fleet.skip': by('fleet', async (fleet, i) => { fleet.skip(i.runId, i.device); return null; }),
  'core:fleet.stop': by('fleet', async (fleet, i) => { fleet.stop(i.runId); return null; }),
  'core:fleet.report': by('fleet', async (fleet, i) => fleet.report(i.runId, i.format)),
  'core:keys.openPinSettings': by('keys', async (keys) => { await keys.openPinSettings(); return null; }),
  'core:admin.preflight': by('admin', (admin, i) => admin.preflight(i.subscriptions)),
};

function unavailableMethods(deps: CoreDeps): MethodName[] {
  return (Object.keys(TABLE) as MethodName[]).filter((m) => {
    const service = TABLE[m].service;
    return service !== null && !deps[service];
  });
}

export function createCore(deps: CoreDeps): Core {
  const events = deps.events ?? new CoreEvents();
  const unsubscribers: (() => void)[] = [];
  unsubscribers.push(deps.broker.onChange((prompt) => events.emit('ui:prompt', { prompt })));
  unsubscribers.push(deps.broker.onClosed((id, reason) => events.emit('ui:prompt.closed', { id, reason })));
  if (deps.keys?.onChange) unsubscribers.push(deps.keys.onChange((state) => events.emit('ui:keys', state)));
  const ctx: Context = {
    deps,
    events,
    sink: {
      output: (id, data) => events.emit('ui:session.output', { id, data }),
      state: (event) => events.emit('ui:session.state', event),
    },
  };

  async function invoke(method: string, input: unknown): Promise<Reply> {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: ErrorCode.CONTRACT_UNKNOWN_METHOD, message: `Unknown method ${String(method).slice(0, 64)}` } };
    }
    const schema = methods[method];
    const parsedInput = schema.input.safeParse(input);
    if (!parsedInput.success) {
      return { ok: false, error: { code: ErrorCode.CONTRACT_BAD_INPUT, message: `${method}: ${describeIssues(parsedInput.error)}` } };
    }
    let value: unknown;
    try {
      value = await (TABLE[method] as Entry<MethodName>).run(parsedInput.data as never, ctx, method);
    } catch (err) {
      return { ok: false, error: toReplyError(err) };
    }
    // Parsing the output strips anything a service added beyond the contract (handles, tokens).
    const parsedOutput = schema.output.safeParse(value);
    if (!parsedOutput.success) {
      return { ok: false, error: { code: ErrorCode.CONTRACT_BAD_OUTPUT, message: `${method}: ${describeIssues(parsedOutput.error)}` } };
    }
    return { ok: true, value: parsedOutput.data };
  }

  return {
    invoke,
    onEvent: (listener) => events.on(listener),
    async dispose() {
      deps.broker.cancelAll();
      for (const off of unsubscribers) off();
      await deps.onDispose?.();
    },
  };
}

/** Typed errors keep their code and operator message; anything else is reported without internals. */
export function toReplyError(err: unknown): { code: string; message: string } {
  if (err instanceof NbgError) return { code: err.code, message: err.message.slice(0, 2048) };
  if (err instanceof z.ZodError) return { code: ErrorCode.CONTRACT_BAD_INPUT, message: describeIssues(err) };
  return { code: ErrorCode.INTERNAL, message: 'Unexpected internal error; see the app log.' };
}
