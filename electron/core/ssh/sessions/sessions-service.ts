// The sessions service over the SessionManager: connect plans become jump chains, session events
// become UI events (UTF-8 decoded per session, so a character split across packets survives).
import { StringDecoder } from 'node:string_decoder';
import { NbgError } from '../../../../native/errors';
import { planView, type ConnectPlan, type PlanHop } from './connect-plan';
import { KnownHostsStore } from '../known-hosts-store';
import { connectAndRecord, type ConnectHistoryStore } from '../../workspace/connect-history';
import { SessionManager, type Hop, type Session, type SessionOptions, type SessionState as CoreState, type Target } from './index';
import type { SessionInfo, SessionState, SessionStateEvent } from '../../../shared/sessions';
import { ErrorCode } from '../../../shared/error-codes';

export class SessionNotFoundError extends NbgError {
  constructor() {
    super(ErrorCode.SESSION_NOT_FOUND, 'That session is closed; open a new one from the device list.');
  }
}

export function uiState(state: CoreState): { state: SessionState; detail?: string } {
  switch (state.kind) {
    case 'idle':
    case 'connecting':
    case 'authenticating':
      return { state: 'connecting', ...(state.kind !== 'idle' ? { detail: `${state.kind} ${state.hop} (${state.index + 1}/${state.total})` } : {}) };
    case 'open':
      return { state: 'open', ...(state.route === 'backup' ? { detail: 'over the backup path' } : {}) };
    case 'closed':
      return { state: state.reason === 'connect-failed' ? 'failed' : 'closed', ...(state.message ? { detail: state.message } : {}) };
  }
}

interface Tracked {
  session: Session;
  plan: ConnectPlan;
  recorded: boolean;
  /** Output sent to the UI and not yet acknowledged; undefined until the UI first acks. */
  unacked?: number;
  /** Output sent before the first ack (counted so the first ack can settle it). */
  sent: number;
  paused: boolean;
}

export const OUTPUT_HIGH_WATER_CHARS = 1 << 20;
export const OUTPUT_LOW_WATER_CHARS = 256 * 1024;

/** Where a session's output and state changes go (the UI, through the contract's events). */
export interface SessionSink {
  output(id: string, data: string): void;
  state(event: SessionStateEvent): void;
}

export interface PtySize {
  cols: number;
  rows: number;
}

export interface SessionsService {
  open(plan: ConnectPlan, size: PtySize, sink: SessionSink): Promise<SessionInfo>;
  write(id: string, data: string): void;
  resize(id: string, cols: number, rows: number): void;
  /**
   * Flow control for the renderer: the UI acknowledges output it has written to its terminal.
   * From a session's first ack on, output beyond OUTPUT_HIGH_WATER_CHARS unacknowledged pauses
   * the channel (the device waits) until acks bring it under OUTPUT_LOW_WATER_CHARS. A UI that
   * never acks keeps the old unthrottled behaviour.
   */
  ack?(id: string, chars: number): void;
  reconnect(id: string): Promise<SessionInfo>;
  close(id: string): Promise<void>;
  list(): SessionInfo[];
}

/** A planned hop as the session layer dials it. */
function sessionHop(h: PlanHop): Hop {
  return {
    host: h.host, port: h.port, user: h.user, name: h.label,
    ...(h.hostKeyAlias !== undefined ? { hostKeyAlias: h.hostKeyAlias } : {}),
    ...(h.algorithms ? { algorithms: h.algorithms } : {}),
    ...(h.auth ? { auth: h.auth } : {}),
  };
}

/** The plan as the session layer dials it: the jump hop(s) then the target (with its backup route). */
export function routeOf(plan: ConnectPlan): { target: Target; chain: Hop[] } {
  return {
    target: {
      ...sessionHop(plan.target),
      ...(plan.fallback ? { backup: plan.fallback } : {}),
      ...(plan.method === 'v1.5' ? { auth: { password: true, securityKey: false } } : {}),
    },
    chain: plan.jumps.map(sessionHop),
  };
}

/** The device of a plan as the connect history keys it; the management address when the connect starts there. */
export function attemptTarget(plan: ConnectPlan): { ref: ConnectPlan['device']; address?: string } {
  return { ref: plan.device, ...(plan.path === 'primary' ? { address: plan.target.host } : {}) };
}

/** ssh_config's host-key rules and timeout for this connect, over the manager's (the device is an alias). */
export function configSessionOptions(plan: ConnectPlan): Pick<SessionOptions, 'hostKeys' | 'phaseMs'> {
  const c = plan.config;
  if (!c) return {};
  const [managed, ...readOnly] = c.knownHostsFiles ?? [];
  return {
    hostKeys: { policy: c.policy, ...(managed !== undefined ? { store: new KnownHostsStore({ readOnly, managed }) } : {}) },
    ...(c.connectTimeoutS ? { phaseMs: c.connectTimeoutS * MS_PER_S } : {}),
  };
}

const MS_PER_S = 1000;

/** What to record, read when each session opens (the settings may change in between). */
export type RecordingPolicy = () => Promise<{ sessions: boolean; input: boolean }>;

/** Keeps each ui:session.output event well under the contract's 1 MiB limit. */
const MAX_OUTPUT_EVENT_CHARS = 256 * 1024;

export function sessionsService(manager: SessionManager, recording: RecordingPolicy, history?: ConnectHistoryStore): SessionsService {
  const tracked = new Map<string, Tracked>();

  const info = ({ session, plan, recorded }: Tracked): SessionInfo => {
    const i = session.info;
    return {
      id: session.id,
      title: plan.title,
      chain: planView(plan).chain,
      path: plan.path === 'backup' || i.route === 'backup' ? 'backup' : 'primary',
      method: plan.method,
      ...(i.keyFingerprint ? { keyFingerprint: i.keyFingerprint } : {}),
      ...(i.lastSkCounter !== undefined ? { counter: i.lastSkCounter } : {}),
      ...(i.kex ? { kex: i.kex } : {}),
      recording: recorded,
      state: uiState(session.state).state,
      drill: plan.drill,
    };
  };

  const find = (id: string): Tracked => {
    const t = tracked.get(id);
    if (!t) throw new SessionNotFoundError();
    return t;
  };

  return {
    async open(plan, size, sink) {
      const record = await recording();
      const { target, chain } = routeOf(plan);
      const session = manager.open(target, chain, { pty: size, record: record.sessions, recordInput: record.sessions && record.input, ...configSessionOptions(plan) });
      const entry: Tracked = { session, plan, recorded: record.sessions, sent: 0, paused: false };
      tracked.set(session.id, entry);
      const decoder = new StringDecoder('utf8');
      // Output that arrives in one burst goes to the UI as one event: fewer messages to parse
      // and fewer terminal writes when a device streams, and no added delay for a lone echo.
      let pending = '';
      const flush = () => {
        const text = pending;
        pending = '';
        if (!text) return;
        sink.output(session.id, text);
        entry.sent += text.length;
        if (entry.unacked === undefined) return;
        entry.unacked += text.length;
        if (!entry.paused && entry.unacked > OUTPUT_HIGH_WATER_CHARS) {
          entry.paused = true;
          session.pauseOutput();
        }
      };
      session.on('data', (data: Buffer) => {
        const text = decoder.write(data);
        if (!text) return;
        if (!pending) setImmediate(flush);
        pending += text;
        if (pending.length >= MAX_OUTPUT_EVENT_CHARS) flush();
      });
      session.on('state', (state: CoreState) => {
        const ui = uiState(state);
        sink.state({ id: session.id, ...ui, info: info(entry) });
      });
      try {
        // How it went is kept per device (the table's mark, the next connect's default path).
        await connectAndRecord(session, attemptTarget(plan), history);
      } catch (err) {
        tracked.delete(session.id);
        session.removeAllListeners();
        manager.discard(session.id);
        throw err;
      }
      return info(entry);
    },
    write(id, data) {
      find(id).session.write(data);
    },
    ack(id, chars) {
      const entry = find(id);
      entry.unacked = Math.max(0, (entry.unacked ?? entry.sent) - chars);
      if (entry.paused && entry.unacked < OUTPUT_LOW_WATER_CHARS) {
        entry.paused = false;
        entry.session.resumeOutput();
      }
    },
    resize(id, cols, rows) {
      find(id).session.resize(cols, rows);
    },
    async reconnect(id) {
      const entry = find(id);
      await connectAndRecord(entry.session, attemptTarget(entry.plan), history);
      return info(entry);
    },
    async close(id) {
      const entry = find(id);
      tracked.delete(id);
      // The manager forgets a session (and its scrollback) only once it has really closed.
      entry.session.on('state', (state: CoreState) => { if (state.kind === 'closed') manager.discard(id); });
      entry.session.close();
      manager.discard(id);
    },
    list: () => [...tracked.values()].map(info),
  };
}
