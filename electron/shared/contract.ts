// The one contract between the UI and the rest of the app. Channel names carry their recipient:
// `core:*` are methods core answers, `ui:*` are events the UI receives (Teleport Connect's idea).
// Every boundary parses with these schemas: main before forwarding, core again, the UI on replies.
import { z } from 'zod';
import { PreflightReport } from './admin';
import { AuditExportRequest, AuditExportResult, AuditQuery, AuditRemoteCheck, AuditStatus, AuditView, Recording } from './audit';
import { Identity } from './identity';
import { BmmKeyset, ClusterSummary, FabricSummary, NetworkDevice, PasswordRotationView } from './inventory';
import { ElevatedStep, KeyState, Readiness, SshKeyInfo, StepOutcome } from './keys';
import { Prompt, PromptAnswer, PromptClosedReason, PinText } from './prompts';
import { AccessMethod, ConnectPlanView, PathChoice, ConnectRequest, ConnectTarget, PlanRequest, SessionInfo, SessionOutput, SessionStateEvent } from './sessions';
import { BackupImport, JumpInEffect, JumpProbe, Settings, SettingsPatch } from './settings';
import { CommandCheck, FleetEvent, FleetReport, FleetRequest, FleetRunResult } from './fleet';
import { ConnectHistory, FavouriteChange } from './workspace';
import { EVENT_NAMES, METHOD_NAMES, type EventName, type MethodName } from './channels';

export { isEventName, isMethodName, type EventName, type MethodName } from './channels';

const NoInput = z.undefined();
const Done = z.null();
const SessionId = z.object({ id: z.string().min(1).max(64) });

export const AppState = z.object({
  version: z.string().max(32),
  /** Drill mode: simulated fabric and key; everything on screen is marked as a drill. */
  drill: z.boolean(),
  /** No SSH key on this machine yet: the UI opens the enrollment wizard. */
  firstRun: z.boolean(),
  identity: Identity.nullable(),
  /** Methods this build of core cannot serve yet (the UI hides what they would drive). */
  unavailable: z.array(z.string().max(64)).max(64),
  /** Set in the elevated copy of the app (Windows): it runs just this step, then closes. */
  elevatedStep: ElevatedStep.optional(),
});
export type AppState = z.infer<typeof AppState>;

export const ConnectDefaults = z.object({
  /** The device user name from the template and the signed-in identity (editable in the UI). */
  user: z.string().max(256),
  /** The jump host a connect would use (next to the device), with where it came from. */
  jumpHost: JumpInEffect.nullable(),
  /** Why the jump host setting could not be used (an ssh_config alias that does not resolve). */
  jumpProblem: z.string().max(2048).optional(),
  backupAvailable: z.boolean(),
  /** What ssh_config asks for that a connect will not do, in words, each once. */
  notes: z.array(z.string().max(1024)).max(64).default([]),
  /** The device is an ssh_config alias: its route (alias and address per hop) and the files read. */
  sshConfig: z.object({ route: z.array(z.string().max(600)).max(9), files: z.string().max(2048) }).optional(),
  /** Preselected from what is known: v1.5 for devices with only v1.5 accounts. */
  method: AccessMethod.optional(),
  /** Preselected: backup when the primary failed in the last minutes. */
  path: PathChoice.optional(),
  /** Why the preselection differs from key login over the primary path. */
  why: z.string().max(256).optional(),
});
export type ConnectDefaults = z.infer<typeof ConnectDefaults>;

export const Progress = z.object({
  operation: z.string().max(64),
  step: z.string().max(256),
  done: z.boolean(),
});
export type Progress = z.infer<typeof Progress>;

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const methods: { [M in MethodName]: ReturnType<typeof methodSchemas>[M] } = methodSchemas();

function methodSchemas() { return {
  'core:app.state': method(NoInput, AppState),
  'core:keys.state': method(NoInput, KeyState),
  'core:keys.enroll': method(z.object({ deviceId: z.string().max(512).optional() }), SshKeyInfo),
  'core:keys.setPin': method(z.object({ deviceId: z.string().max(512), pin: PinText }), Done),
  'core:keys.importResident': method(z.object({ deviceId: z.string().max(512).optional() }), SshKeyInfo),
  'core:keys.readiness': method(NoInput, Readiness),
  'core:keys.upload': method(NoInput, Readiness),
  'core:auth.signIn': method(NoInput, Identity),
  'core:auth.signOut': method(NoInput, Done),
  'core:fabrics.list': method(z.object({ refresh: z.boolean() }), z.array(FabricSummary).max(1000)),
  'core:fabrics.devices': method(z.object({ fabricId: z.string().max(1024) }), z.array(NetworkDevice).max(5000)),
  'core:fabrics.passwordRotation': method(z.object({ fabricId: z.string().max(1024) }), PasswordRotationView),
  'core:clusters.list': method(NoInput, z.array(ClusterSummary).max(1000)),
  'core:clusters.keysets': method(z.object({ clusterId: z.string().max(1024) }), z.array(BmmKeyset).max(256)),
  'core:connect.defaults': method(z.object({ fabricId: z.string().max(1024), deviceId: z.string().max(1024), target: ConnectTarget.optional() }), ConnectDefaults),
  'core:connect.plan': method(PlanRequest, ConnectPlanView),
  'core:sessions.open': method(ConnectRequest, SessionInfo),
  'core:sessions.list': method(NoInput, z.array(SessionInfo).max(256)),
  'core:sessions.write': method(z.object({ id: z.string().min(1).max(64), data: z.string().max(65536) }), Done),
  /** The UI has written `chars` of ui:session.output to its terminal: flow control (see sessions-service). */
  'core:sessions.ack': method(z.object({ id: z.string().min(1).max(64), chars: z.number().int().min(0).max(1 << 30) }), Done),
  'core:sessions.resize': method(z.object({ id: z.string().min(1).max(64),
    cols: z.number().int().min(10).max(1000), rows: z.number().int().min(2).max(500) }), Done),
  'core:sessions.reconnect': method(SessionId, SessionInfo),
  'core:sessions.close': method(SessionId, Done),
  'core:prompt.current': method(NoInput, Prompt.nullable()),
  'core:prompt.answer': method(z.object({ id: z.string().min(1).max(64), answer: PromptAnswer }), Done),
  'core:prompt.cancel': method(z.object({ id: z.string().min(1).max(64) }), Done),
  /** One page of the filtered log; filtering and paging happen in core. */
  'core:audit.view': method(AuditQuery, AuditView),
  /** The log against the last checkpoint Azure Monitor received (asks Azure; on demand). */
  'core:audit.checkRemote': method(NoInput, AuditRemoteCheck),
  'core:audit.status': method(NoInput, AuditStatus),
  /** Asks where to save (the OS save dialog), then core writes the file. */
  'core:audit.export': method(AuditExportRequest, AuditExportResult),
  'core:audit.recording': method(z.object({ sessionId: z.string().min(1).max(64) }), Recording),
  'core:settings.get': method(NoInput, Settings),
  'core:settings.update': method(SettingsPatch, Settings),
  'core:settings.importBackup': method(BackupImport, z.object({ imported: z.number().int().nonnegative(), settings: Settings })),
  'core:step.run': method(NoInput, StepOutcome),
  'core:history.get': method(NoInput, ConnectHistory),
  'core:history.favourite': method(FavouriteChange, ConnectHistory),
  'core:keys.changePin': method(z.object({ deviceId: z.string().max(512), oldPin: PinText, newPin: PinText }), Done),
  'core:settings.testJump': method(z.object({ host: z.string().min(1).max(256), port: z.number().int().min(1).max(65535) }), JumpProbe),
  'core:knownHosts.export': method(NoInput, z.object({ text: z.string().max(4 << 20) })),
  'core:knownHosts.import': method(z.object({ text: z.string().max(4 << 20) }), z.object({ imported: z.number().int().nonnegative() })),
  'core:fleet.check': method(z.object({ commands: z.array(z.string().max(4096)).max(32) }), CommandCheck),
  'core:fleet.run': method(FleetRequest, FleetRunResult),
  'core:fleet.skip': method(z.object({ runId: z.string().max(64), device: z.string().max(256) }), Done),
  'core:fleet.stop': method(z.object({ runId: z.string().max(64) }), Done),
  'core:fleet.report': method(z.object({ runId: z.string().max(64), format: z.enum(['json', 'html']) }), FleetReport),
  /** Windows: Settings → Sign-in options, where a key behind Windows Security changes its PIN. */
  'core:keys.openPinSettings': method(NoInput, Done),
  /** Method D v2.0 admin checks; no subscriptions = every enabled subscription holding a fabric. */
  'core:admin.preflight': method(z.object({ subscriptions: z.array(z.string().regex(/^[0-9a-fA-F-]{36}$/)).max(64) }), PreflightReport),
} satisfies Record<MethodName, unknown>; }

export const events = {
  'ui:keys': KeyState,
  'ui:prompt': z.object({ prompt: Prompt.nullable() }),
  /** A prompt closed: its form goes away, whatever was typed into it is dropped. */
  'ui:prompt.closed': z.object({ id: z.string().min(1).max(64), reason: PromptClosedReason }),
  'ui:session.output': SessionOutput,
  'ui:session.state': SessionStateEvent,
  'ui:progress': Progress,
  /** The core host died and main started a new one: sessions of the old core are gone. */
  'ui:core': z.object({ restartedAt: z.number().int().nonnegative() }),
  'ui:fleet': FleetEvent,
} satisfies Record<EventName, z.ZodType>;

export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<(typeof methods)[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames: readonly MethodName[] = METHOD_NAMES;
export const eventNames: readonly EventName[] = EVENT_NAMES;

/** Errors do not survive contextBridge or a socket, so replies carry them as data. */
export const ReplyError = z.object({ code: z.string().max(64), message: z.string().max(2048) });
export type ReplyError = z.infer<typeof ReplyError>;
export const Reply = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown().optional() }),
  z.object({ ok: z.literal(false), error: ReplyError }),
]);
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: ReplyError };

/** Arguments of invoke: methods without input take none. */
export type InvokeArgs<M extends MethodName> = MethodInput<M> extends undefined ? [] : [MethodInput<M>];

/** What preload (and the browser test host) put on `window.breakglass`. Nothing else is exposed. */
export interface BreakglassApi {
  invoke<M extends MethodName>(method: M, ...args: InvokeArgs<M>): Promise<Reply<MethodOutput<M>>>;
  /** Returns the function that unsubscribes. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export { describeIssues } from './zod-issues';
