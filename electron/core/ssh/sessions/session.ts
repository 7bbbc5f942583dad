// A break-glass session: jump chain (shared through the JumpPool), the device over its primary
// or backup path, a PTY shell or one command. Emits SessionEvents ('data', 'stderr', 'state',
// 'warning') and keeps its scrollback across reconnects.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { NbgError, errorCode, errorMessage } from '../../../../native/errors';
import { ErrorCode } from '../../../shared/error-codes';
import { AsciicastRecorder, type AuditSink } from '../../audit/index';
import type { AuditHop } from '../../audit/index';
import type { CoreInteraction } from '../../prompts/interaction';
import { formatHop } from '../chain';
import type { HostKeyCheck } from '../known-hosts-verify';
import { duringSetup } from './ack-nudge';
import { ConnectScope } from './connect-scope';
import { ChannelOpenError, ConnectAbortedError, SessionStateError } from './errors';
import { ForwardingAgent } from './forwarding-agent';
import { hopLabel, loginHop, type HopConnection, type HopTimeouts } from './hop';
import type { JumpPool } from './jump-pool';
import type { SignObservation } from './observed-agent';
import { DEFAULT_BANNER_TIMEOUT_MS, openSshStream } from './ssh-stream';
import type { SkSigner } from '../agent/types';
import type { AccessRoute, ExecResult, Hop, NetAddress, SessionEvents, SessionInfo, SessionOptions, SessionState, Target } from './types';

export const DEFAULT_TERM = 'xterm-256color';
export const DEFAULT_COLS = 80;
export const DEFAULT_ROWS = 24;
export const DEFAULT_SCROLLBACK_BYTES = 4 * 1024 * 1024;
/** What one exec keeps of a command's output (stdout and stderr together). */
export const DEFAULT_EXEC_OUTPUT_BYTES = 1024 * 1024;

export interface SessionDeps {
  interaction: CoreInteraction;
  hostKeys: Omit<HostKeyCheck, 'interaction' | 'audit'>;
  /** Signs with the security key (the authenticator facade; the soft key in tests). */
  signer?: SkSigner;
  audit?: AuditSink;
  pool: JumpPool;
  timeouts?: HopTimeouts & { bannerMs?: number };
  algorithms?: ConnectConfig['algorithms'];
  /** Output kept for reconnects and late viewers; 0 keeps none. */
  scrollbackBytes?: number;
  /** Where recordings go (default appHome()/recordings). */
  recordingsDir?: string;
  clock?: () => Date;
}

interface OpenChannel {
  channel: ClientChannel;
  /** Settles when the channel or its connection is gone. */
  gone: Promise<'channel' | 'transport'>;
}

/** How long buffered output may take to drain after the channel is gone. */
const DRAIN_LIMIT_MS = 2000;

function drained(stream: Readable): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, DRAIN_LIMIT_MS);
    function done(): void {
      clearTimeout(timer);
      resolve();
    }
    stream.once('end', done);
    stream.once('close', done);
  });
}

/** The line written into the stream when a session comes back, so the scrollback shows the gap. */
export function reconnectDivider(at: Date): string {
  const hh = String(at.getHours()).padStart(2, '0');
  const mm = String(at.getMinutes()).padStart(2, '0');
  const ss = String(at.getSeconds()).padStart(2, '0');
  return `\r\n── reconnected ${hh}:${mm}:${ss} ──\r\n`;
}

function toAuditHop(hop: Hop): AuditHop {
  return { ...(hop.name ? { name: hop.name } : {}), user: hop.user, host: hop.host, port: hop.port };
}

function errorFields(err: unknown): { code: string; message: string } {
  const code = errorCode(err) ?? ErrorCode.UNEXPECTED;
  const message = errorMessage(err).slice(0, 500) || 'unknown error';
  return { code, message };
}

export class Session extends EventEmitter<SessionEvents> {
  readonly id: string;
  private stateValue: SessionState = { kind: 'idle' };
  private readonly chunks: Buffer[] = [];
  private scrollbackSize = 0;
  private client: Client | undefined;
  private channel: ClientChannel | undefined;
  private releaseJumps: (() => void) | undefined;
  private recorder: AsciicastRecorder | undefined;
  private cols: number;
  private rows: number;
  private userClosed = false;
  private exitCode: number | undefined;
  private connectionId = '';
  private openedAt = 0;
  /** Output held back by the reader (pauseOutput): the channel stops reading and its window closes. */
  private outputPaused = false;
  private readonly infoValue: SessionInfo;

  constructor(private readonly deps: SessionDeps, readonly target: Target, readonly chain: Hop[], readonly options: SessionOptions = {}, id: string) {
    super();
    this.id = id;
    const pty = options.pty === false ? undefined : options.pty;
    this.cols = pty?.cols ?? DEFAULT_COLS;
    this.rows = pty?.rows ?? DEFAULT_ROWS;
    this.infoValue = { id, chain: chain.map(formatHop), target: formatHop(target), signatures: 0, bytesIn: 0, bytesOut: 0 };
  }

  get state(): SessionState {
    return this.stateValue;
  }

  get info(): SessionInfo {
    return { ...this.infoValue, chain: [...this.infoValue.chain] };
  }

  /** Resolves with the closed state: at once when closed now, else at the next close. */
  whenClosed(): Promise<Extract<SessionState, { kind: 'closed' }>> {
    return new Promise((resolve) => {
      const check = (s: SessionState): void => {
        if (s.kind !== 'closed') return;
        this.off('state', check);
        resolve(s);
      };
      this.on('state', check);
      check(this.stateValue);
    });
  }

  /** Everything the device sent that is still held (bounded), including reconnect dividers. */
  scrollback(): Buffer {
    return Buffer.concat(this.chunks);
  }

  write(data: string | Buffer): void {
    if (!this.channel) throw new SessionStateError(`session ${this.infoValue.target} is not open`);
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.infoValue.bytesOut += buf.length;
    this.recorder?.input(buf);
    this.channel.write(buf);
  }

  /**
   * Back-pressure: while paused, the channel is not read, so ssh2 stops granting window and the
   * device waits; memory stays at one window (2 MiB) plus stream buffers whatever the reader does.
   */
  pauseOutput(): void {
    this.outputPaused = true;
    this.channel?.pause();
    this.channel?.stderr.pause();
  }

  resumeOutput(): void {
    this.outputPaused = false;
    this.channel?.resume();
    this.channel?.stderr.resume();
  }

  /** Closes the input side (exec: the command sees EOF). */
  endInput(): void {
    this.channel?.end();
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.channel?.setWindow(rows, cols, 0, 0);
    this.recorder?.resize(cols, rows);
  }

  /** Closes an open session, or abandons a connect in progress at its next step. */
  close(): void {
    this.userClosed = true;
    if (this.channel) {
      this.channel.close();
      this.client?.end();
    } else if (this.stateValue.kind === 'idle') {
      this.setState({ kind: 'closed', reason: 'user' });
    }
  }

  /** Between connect steps: stop when the person closed the session meanwhile. */
  private checkNotClosed(): void {
    if (this.userClosed) throw new ConnectAbortedError(this.infoValue.target);
  }

  /** Connects (first time or after a drop). Resolves when the shell or command runs. */
  async connect(): Promise<void> {
    if (this.stateValue.kind !== 'idle' && this.stateValue.kind !== 'closed') {
      throw new SessionStateError(`session ${this.infoValue.target} is already ${this.stateValue.kind}`);
    }
    const again = this.stateValue.kind === 'closed';
    if (again && this.options.command !== undefined) throw new SessionStateError('a command session cannot be reconnected; run the command again');
    this.userClosed = false;
    this.exitCode = undefined;
    const shared = this.options.scope;
    const scope = shared ?? new ConnectScope();
    this.connectionId = shared ? `${shared.id}/${this.id}` : scope.id;
    try {
      await this.establish(scope, again);
    } catch (err) {
      this.cleanup();
      if (err instanceof ConnectAbortedError) this.setState({ kind: 'closed', reason: 'user' });
      else this.setState({ kind: 'closed', reason: 'connect-failed', message: errorMessage(err) });
      throw err;
    } finally {
      if (!shared) scope.dispose();
    }
  }

  /**
   * One more command over this session's device login, on its own channel: a fleet run logs in
   * (one touch) once per device and runs every command there. Output beyond `limit` is dropped.
   */
  exec(command: string, limit = DEFAULT_EXEC_OUTPUT_BYTES): Promise<ExecResult> {
    const client = this.client;
    const target = this.infoValue.target;
    if (!client || this.stateValue.kind !== 'open') return Promise.reject(new SessionStateError(`session ${target} is not open`));
    return new Promise((resolve, reject) => {
      client.exec(command, (err, channel) => {
        if (err) {
          reject(new ChannelOpenError(target, `command: ${err.message}`));
          return;
        }
        const out: Buffer[] = [];
        const errs: Buffer[] = [];
        let kept = 0;
        let truncated = false;
        let exitCode: number | undefined;
        const keep = (into: Buffer[]) => (data: Buffer) => {
          this.infoValue.bytesIn += data.length;
          this.recorder?.output(data);
          const room = Math.max(0, limit - kept);
          if (data.length > room) truncated = true;
          if (room > 0) into.push(data.subarray(0, room));
          kept += Math.min(room, data.length);
        };
        channel.on('data', keep(out));
        channel.stderr.on('data', keep(errs));
        channel.once('exit', (code: number | null) => { if (typeof code === 'number') exitCode = code; });
        channel.once('close', () => resolve({
          ...(exitCode !== undefined ? { exitCode } : {}), stdout: Buffer.concat(out), stderr: Buffer.concat(errs), truncated,
        }));
      });
    });
  }

  private setState(state: SessionState): void {
    this.stateValue = state;
    this.emit('state', state);
  }

  private push(data: Buffer): void {
    const limit = this.deps.scrollbackBytes ?? DEFAULT_SCROLLBACK_BYTES;
    // No scrollback where nothing shows it (the CLI: the terminal keeps its own).
    if (limit > 0) {
      this.chunks.push(data);
      this.scrollbackSize += data.length;
      while (this.scrollbackSize > limit && this.chunks.length > 1) this.scrollbackSize -= this.chunks.shift()!.length;
    }
    this.emit('data', data);
  }

  /** `again`: a reconnect, whose divider goes into the scrollback once it has succeeded. */
  private async establish(scope: ConnectScope, again: boolean): Promise<void> {
    const { deps, target, chain } = this;
    const total = chain.length + 1;
    const audit = deps.audit;
    const hops = [...chain, target].map(toAuditHop);
    const targetName = hopLabel(target);
    const method: 'v1.5' | undefined = target.auth?.password && !target.auth.securityKey ? 'v1.5' : undefined;
    /** What every connect-attempt and connect-outcome event of this connect names. */
    const connectFields = (route: AccessRoute) => ({ connectionId: scope.id, target: this.infoValue.target, hops, path: method ?? route });
    // The signer (AuthenticatorSigner) writes the audit `sign` event; the session keeps what it saw.
    const onSign = (o: SignObservation): void => {
      this.infoValue.signatures++;
      this.infoValue.keyFingerprint = o.keyFingerprint;
      if (o.sk) {
        this.infoValue.skFlags = o.sk.flags;
        this.infoValue.lastSkCounter = o.sk.counter;
      }
    };
    const own = this.options;
    const timeouts = own.phaseMs !== undefined ? { ...deps.timeouts, phaseMs: own.phaseMs, bannerMs: own.phaseMs } : deps.timeouts;
    const bannerMs = timeouts?.bannerMs ?? DEFAULT_BANNER_TIMEOUT_MS;
    const common = {
      scope, interaction: deps.interaction, hostKeys: { ...deps.hostKeys, ...own.hostKeys?.store ? { store: own.hostKeys.store } : {}, ...own.hostKeys?.policy ? { policy: own.hostKeys.policy } : {}, ...(audit ? { audit } : {}) },
      ...(deps.signer ? { signer: deps.signer } : {}), ...(timeouts ? { timeouts } : {}),
      ...(deps.algorithms ? { algorithms: deps.algorithms } : {}),
    };

    const lease = await deps.pool.acquire(chain, async (req) => {
      const stream = await openSshStream(req.hop, req.via, bannerMs);
      const conn = await loginHop({
        ...common, hop: req.hop, ...(req.viaName ? { via: req.viaName } : {}), stream, onSign,
        onAuthenticating: () => this.setState({ kind: 'authenticating', hop: hopLabel(req.hop), index: req.index, total }),
      });
      return conn.client;
    }, (index, reused) => this.setState({ kind: 'connecting', hop: hopLabel(chain[index]!), index, total, reused }));
    this.releaseJumps = lease.release;
    this.checkNotClosed();

    const via = chain.length ? hopLabel(chain[chain.length - 1]!) : undefined;
    const routes: [AccessRoute, NetAddress][] = [['primary', target]];
    if (target.backup) routes.push(['backup', target.backup]);
    let conn: HopConnection | undefined;
    let route: AccessRoute = 'primary';
    let lastError: unknown;
    for (const [r, addr] of routes) {
      route = r;
      await audit?.append({ type: 'connect-attempt', ...connectFields(r) });
      this.setState({ kind: 'connecting', hop: targetName, index: chain.length, total, reused: false, route: r });
      try {
        const stream = await openSshStream(addr, lease.client, bannerMs);
        conn = await loginHop({
          ...common, hop: { ...target, host: addr.host, port: addr.port, name: targetName }, ...(via ? { via } : {}), stream, onSign,
          hostKeyName: { host: target.host, port: target.port },
          onAuthenticating: () => this.setState({ kind: 'authenticating', hop: targetName, index: chain.length, total }),
          ...(this.options.agentForward && deps.signer ? { forwardAgent: new ForwardingAgent(deps.signer, deps.interaction, targetName) } : {}),
        });
        break;
      } catch (err) {
        lastError = err;
        // Only an unreachable path moves on to the backup; a refused login or host key stops here.
        const another = r === 'primary' && routes.length > 1;
        if (!(err instanceof NbgError && err.code === ErrorCode.PATH_UNREACHABLE) || this.userClosed || !another) break;
        // Every attempt is on record with why it failed, before the next one starts.
        await audit?.append({ type: 'connect-outcome', ...connectFields(r), outcome: 'failed', error: errorFields(err) });
        this.emit('route-failed', r, err);
      }
    }
    if (this.userClosed) {
      conn?.client.end();
      conn = undefined;
      lastError = new ConnectAbortedError(this.infoValue.target);
    }
    if (!conn) {
      await audit?.append({
        type: 'connect-outcome', ...connectFields(route),
        outcome: lastError instanceof NbgError && (lastError.code === ErrorCode.AUTH_CANCELLED || lastError.code === ErrorCode.CONNECT_ABORTED) ? 'cancelled' : 'failed', error: errorFields(lastError),
      });
      throw lastError;
    }
    this.client = conn.client;
    this.infoValue.route = route;
    this.infoValue.method = conn.method;
    this.infoValue.hostKeyFingerprint = conn.hostKeyFingerprint;
    this.infoValue.kex = conn.kex;
    this.infoValue.hostKeyAlgorithm = conn.hostKeyAlgorithm;
    const client = conn.client;
    const opened = await duringSetup(client, () => this.openChannel(client, targetName));
    if (this.userClosed) {
      opened.channel.close();
      await audit?.append({
        type: 'connect-outcome', ...connectFields(route), outcome: 'cancelled',
        error: errorFields(new ConnectAbortedError(this.infoValue.target)),
      });
      this.checkNotClosed();
    }
    await audit?.append({
      type: 'connect-outcome', ...connectFields(route), outcome: 'ok', kex: conn.kex,
      ...(conn.method === 'security-key' && this.infoValue.keyFingerprint ? { keyFingerprint: this.infoValue.keyFingerprint } : {}),
      ...(this.infoValue.skFlags !== undefined ? { skFlags: this.infoValue.skFlags } : {}),
      ...(this.infoValue.lastSkCounter !== undefined ? { skCounter: this.infoValue.lastSkCounter } : {}),
    });
    if (this.options.record && !this.recorder) {
      this.recorder = await AsciicastRecorder.create({
        ...(deps.recordingsDir ? { dir: deps.recordingsDir } : {}), width: this.cols, height: this.rows, recordInput: this.options.recordInput === true,
        title: `${this.infoValue.target}${via ? ` via ${via}` : ''}`, term: this.ptyTerm(),
      });
    }
    // Only now: a reconnect that fails leaves the scrollback as it was (no divider over nothing).
    if (again && this.scrollbackSize > 0) this.push(Buffer.from(reconnectDivider((this.deps.clock ?? (() => new Date()))()), 'utf8'));
    this.attach(conn.client, opened);
    this.openedAt = Date.now();
    this.setState({ kind: 'open', route });
  }

  private ptyTerm(): string {
    return (this.options.pty ? this.options.pty.term : undefined) ?? DEFAULT_TERM;
  }

  private openChannel(client: Client, targetName: string): Promise<OpenChannel> {
    const { command, pty } = this.options;
    const window = pty === false || (command !== undefined && pty === undefined)
      ? undefined
      : { term: this.ptyTerm(), cols: this.cols, rows: this.rows, width: 0, height: 0 };
    // Agent forwarding needs no channel option: a login made with forwardAgent (hop.ts) has ssh2
    // request it on every channel of that connection.
    return new Promise((resolve, reject) => {
      const done = (err: Error | undefined, channel: ClientChannel): void => {
        if (err) {
          reject(new ChannelOpenError(targetName, `${command !== undefined ? 'command' : 'shell'}: ${err.message}`));
          return;
        }
        // 'exit' and 'close' are plain events: catch them now, before the awaits until attach().
        channel.once('exit', (code: number | null) => {
          if (typeof code === 'number') this.exitCode = code;
        });
        const gone = new Promise<'channel' | 'transport'>((settle) => {
          channel.once('close', () => settle('channel'));
          // Over a forwarded channel the transport may only end (no 'close' until both sides finish).
          client.once('end', () => settle('transport'));
          client.once('close', () => settle('transport'));
        });
        resolve({ channel, gone });
      };
      if (command !== undefined) client.exec(command, window ? { pty: window } : {}, done);
      else client.shell(window ?? false, done);
    });
  }

  private attach(client: Client, { channel, gone }: OpenChannel): void {
    this.channel = channel;
    if (this.outputPaused) this.pauseOutput();
    channel.on('data', (data: Buffer) => {
      this.infoValue.bytesIn += data.length;
      this.recorder?.output(data);
      this.push(data);
    });
    channel.stderr.on('data', (data: Buffer) => {
      this.infoValue.bytesIn += data.length;
      this.recorder?.output(data);
      this.emit('stderr', data);
    });
    // Output still buffered in the channel is delivered before the session reports the end.
    // A dead transport will not end the streams: what is buffered flows within a tick.
    void gone.then((why) => (why === 'channel' ? Promise.all([drained(channel), drained(channel.stderr)]) : new Promise((r) => setImmediate(r)))).then(() => {
      const reason = this.userClosed ? 'user' : this.exitCode !== undefined ? 'remote-exit' : 'connection-lost';
      client.end();
      return this.finish({ kind: 'closed', reason, ...(this.exitCode !== undefined ? { exitCode: this.exitCode } : {}) });
    });
  }

  private cleanup(): void {
    this.channel = undefined;
    this.client?.end();
    this.client = undefined;
    this.releaseJumps?.();
    this.releaseJumps = undefined;
  }

  private async finish(state: Extract<SessionState, { kind: 'closed' }>): Promise<void> {
    this.cleanup();
    let recording: SessionInfo['recording'];
    if (this.recorder) {
      const rec = this.recorder;
      this.recorder = undefined;
      try {
        recording = await rec.close();
        this.infoValue.recording = recording;
      } catch (err) {
        this.emit('warning', err);
      }
    }
    if (this.openedAt && this.deps.audit) {
      try {
        await this.deps.audit.append({
          type: 'session-end', connectionId: this.connectionId, target: this.infoValue.target,
          bytesIn: this.infoValue.bytesIn, bytesOut: this.infoValue.bytesOut, durationMs: Math.max(0, Date.now() - this.openedAt),
          ...(recording ? { recording } : {}),
        });
      } catch (err) {
        this.emit('warning', err);
      }
    }
    this.openedAt = 0;
    this.setState(state);
  }
}
