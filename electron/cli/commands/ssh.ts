// `nbg ssh`: a break-glass session from the command line, through a ProxyJump chain, signing
// with the security key (the authenticator facade, or NBG_SIMULATOR) or through an existing
// ssh-agent socket such as `nbg agent`'s (--agent).
import path from 'node:path';
import { errorCode, errorMessage } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import { inertText } from '../../shared/inert-text';
import { ChainSyntaxError, formatHop, parseHop } from '../../core/ssh/chain';
import type { HostKeyPolicy } from '../../core/ssh/known-hosts-verify';
import { KnownHostsStore } from '../../core/ssh/known-hosts-store';
import { connectAndRecord, type AttemptTarget, type ConnectHistoryStore } from '../../core/workspace/connect-history';
import type { Hop, Session, SessionState, Target } from '../../core/ssh/sessions/index';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { keyDirOption, pinStdinOption, servicesFor } from '../runtime';
import { hopAuth, resolveDestination } from '../ssh-destination';
import { configWarnings, hostKeyPolicy, sessionHop } from '../../core/ssh/ssh-config-connect';

const MS_PER_S = 1000;
const MS_PER_MIN = 60_000;

function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function connectTimeoutMs(values: OptionValues, configS: number | undefined): number | undefined {
  const v = str(values, 'connect-timeout');
  if (v === undefined) return configS === undefined ? undefined : configS * MS_PER_S;
  const seconds = Number(v);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new UsageError(`--connect-timeout ${v}: expected seconds between 0 and 600`);
  return Math.round(seconds * MS_PER_S);
}

/**
 * Raw terminal in both directions; the PTY follows the window (stdout 'resize', which Node raises
 * on SIGWINCH, and on Windows console size changes). Restores the terminal on the way out.
 */
function attachTerminal(session: Session, io: CliIo): () => void {
  const { stdin, stdout } = io;
  const out = stdout as NodeJS.WriteStream;
  const onInput = (d: Buffer): void => {
    if (session.state.kind === 'open') session.write(d);
  };
  const onResize = (): void => {
    if (out.columns && out.rows) session.resize(out.columns, out.rows);
  };
  stdin.setRawMode?.(true);
  stdin.on('data', onInput);
  stdin.resume();
  out.on('resize', onResize);
  return () => {
    stdin.off('data', onInput);
    stdin.setRawMode?.(false);
    stdin.pause();
    out.off('resize', onResize);
  };
}

/** Non-terminal stdin is the command's input; EOF is passed on. */
function pipeInput(session: Session, io: CliIo): () => void {
  const onData = (d: Buffer | string): void => session.write(d);
  const onEnd = (): void => session.endInput();
  io.stdin.on('data', onData);
  io.stdin.once('end', onEnd);
  io.stdin.resume();
  return () => {
    io.stdin.off('data', onData);
    io.stdin.off('end', onEnd);
    io.stdin.pause();
  };
}

/** A malformed address on the command line is a usage error (exit 2), not a failed connect. */
function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ChainSyntaxError) throw new UsageError(err.message);
    throw err;
  }
}

async function runSsh(values: OptionValues, positionals: string[], io: CliIo): Promise<number> {
  const [targetText, ...commandWords] = positionals;
  if (!targetText) throw new UsageError('name the device: user@device[:port] or an ssh_config Host alias');
  const route = resolveDestination(targetText, values, io);
  const password = values.password === true;
  const chain = route.chain.map((h) => ({ ...sessionHop(h), auth: hopAuth(h, values, io, false) }));
  const backupText = str(values, 'backup');
  const backup = backupText ? asUsage(() => parseHop(backupText)) : undefined;
  if (backup?.user) throw new UsageError('--backup takes an address (host[:port]), not a user');
  const target: Target = {
    ...sessionHop(route.target), auth: hopAuth(route.target, values, io, password),
    ...(backup ? { backup: { host: backup.host, port: backup.port } } : {}),
  };
  const command = commandWords.length ? commandWords.join(' ') : undefined;
  const needsKey = [...chain, target].some((h) => !h.auth?.systemAgent && !h.auth?.password);
  const o = route.target.options;
  return runSession(io, values, {
    target, chain, ...(command !== undefined ? { command } : {}), needsKey,
    config: {
      policy: hostKeyPolicy(o.strictHostKeyChecking),
      ...(o.userKnownHostsFile ? { knownHostsFiles: o.userKnownHostsFile } : {}),
      ...(o.connectTimeoutS !== undefined ? { connectTimeoutS: o.connectTimeoutS } : {}),
      warnings: (keyDir) => configWarnings(route, keyDir),
      systemNotes: route.systemUnsupported,
    },
  });
}

export interface SessionRoute {
  target: Target;
  chain: Hop[];
  command?: string;
  /** Signs with the security key here (not through --agent, not password-only). */
  needsKey: boolean;
  /** The inventory device (nbg connect): how the connect went goes into the connect history. */
  attempt?: AttemptTarget;
  /** What ssh_config decided for the connect (nbg ssh); nbg connect takes the flags alone. */
  config?: {
    policy: HostKeyPolicy;
    /** UserKnownHostsFile: new keys go to the first, the rest are read. */
    knownHostsFiles?: string[];
    connectTimeoutS?: number;
    /** What the config asks for that this connect does not do, given the key folder. */
    warnings(keyDir: string): string[];
    /** The same from the system-wide file: shown with -v only. */
    systemNotes: string[];
  };
}

/** Dials the route and runs the session on this terminal (or with stdin as the command's input). */
export async function runSession(io: CliIo, values: OptionValues, route: SessionRoute): Promise<number> {
  const { target, chain, command } = route;
  const interactive = command === undefined && io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
  const out = io.stdout as NodeJS.WriteStream;
  const { services } = servicesFor(io, values);
  const knownHostsFile = str(values, 'known-hosts');
  const knownHostsFiles = route.config?.knownHostsFiles ?? (knownHostsFile ? [path.resolve(knownHostsFile)] : undefined);
  try {
    const warnings = route.config?.warnings(services.keyDir) ?? [];
    if (warnings.length) io.stderr.write(`nbg: ssh_config asks for what nbg does not do, ignored: ${warnings.join('; ')}\n`);
    const systemNotes = route.config?.systemNotes ?? [];
    if (values.verbose && systemNotes.length) io.stderr.write(`nbg: /etc/ssh/ssh_config options nbg does not use: ${systemNotes.join('; ')}\n`);
    let signer;
    if (route.needsKey) {
      signer = await services.signer();
      if ((await signer.identities()).length === 0) {
        const damaged = (await services.keyStore().scan()).problems.map((p) => ` (${p.message})`).join('');
        throw new UsageError(`no security-key SSH keys in ${services.keyDir}${damaged}; run 'nbg keys enroll' or 'nbg keys import', or sign through an agent with --agent SOCK`);
      }
    }
    if (!route.attempt) await suggestBackup(io, services.connectHistory, target);
    const connectTimeout = connectTimeoutMs(values, route.config?.connectTimeoutS);
    const [managed, ...readOnly] = knownHostsFiles ?? [];
    const manager = await services.sessionManager({
      policy: route.config?.policy ?? (values['accept-new'] ? 'accept-new' : 'ask'),
      ...(signer ? { signer } : {}),
      ...(connectTimeout ? { connectTimeoutMs: connectTimeout } : {}),
      scrollbackBytes: 0,
      // UserKnownHostsFile (or --known-hosts FILE): only those files, new keys to the first; else the app's files.
      ...(managed !== undefined ? { knownHosts: new KnownHostsStore({ readOnly, managed }) } : {}),
    });
    if (values.verbose) {
      for (const [i, h] of [...chain, target].entries()) io.stderr.write(`nbg: hop ${i + 1}: ${h.name ?? h.host} is ${formatHop(h)}${h.hostKeyAlias ? ` (host key alias ${h.hostKeyAlias})` : ''}\n`);
    }
    const session = manager.open(target, chain, {
      ...(command !== undefined ? { command } : {}),
      pty: interactive ? { cols: out.columns || 80, rows: out.rows || 24 } : command === undefined ? false : undefined,
      // --record-input implies --record: keystrokes (passwords too) go into the recording.
      record: values.record === true || values['record-input'] === true,
      recordInput: values['record-input'] === true,
    });
    session.on('state', (s: SessionState) => {
      if (s.kind === 'connecting') io.stderr.write(`nbg: connecting to ${s.hop} (${s.index + 1}/${s.total})${s.reused ? ', reusing the open connection' : ''}${s.route === 'backup' ? ' over the backup path' : ''}\n`);
    });
    // A slow reader slows the device (the channel window), instead of nbg buffering the stream.
    const pausedBy = new Set<NodeJS.WritableStream>();
    const writeOut = (stream: NodeJS.WritableStream, d: Buffer): void => {
      if (stream.write(d) || pausedBy.has(stream)) return;
      pausedBy.add(stream);
      session.pauseOutput();
      stream.once('drain', () => {
        pausedBy.delete(stream);
        if (pausedBy.size === 0) session.resumeOutput();
      });
    };
    session.on('data', (d: Buffer) => writeOut(io.stdout, d));
    session.on('stderr', (d: Buffer) => writeOut(io.stderr, d));
    session.on('route-failed', (r, err) => io.stderr.write(`nbg: the ${r} path failed: ${inertText(errorMessage(err))}; trying the backup path\n`));
    try {
      await (route.attempt ? connectAndRecord(session, route.attempt, services.connectHistory) : session.connect());
    } catch (err) {
      manager.closeAll();
      // After the primary and backup paths, Method D v1.5 is the next thing to offer.
      const code = errorCode(err);
      if (!values.password && code !== ErrorCode.AUTH_CANCELLED && code !== ErrorCode.CONNECT_ABORTED && code !== ErrorCode.HOST_KEY_MISMATCH) {
        io.stderr.write('nbg: if this device has a Method D v1.5 account, try again with --password\n');
      }
      throw err;
    }
    if (session.info.route === 'backup') io.stderr.write('nbg: the primary path did not answer; connected over the backup path\n');
    if (values.verbose) io.stderr.write(`nbg: ${session.info.target}: key exchange ${session.info.kex}, host key ${session.info.hostKeyAlgorithm} ${session.info.hostKeyFingerprint}\n`);
    const closed = session.whenClosed();
    const detach = interactive ? attachTerminal(session, io) : values['pin-stdin'] ? () => undefined : pipeInput(session, io);
    const end = await closed;
    detach();
    manager.closeAll();
    const rec = session.info.recording;
    if (rec) io.stderr.write(`nbg: recording ${rec.file} (sha256 ${rec.sha256})\n`);
    if (end.reason === 'connection-lost') {
      io.stderr.write(`nbg: connection to ${session.info.target} lost\n`);
      return ExitCode.Failed;
    }
    return end.exitCode ?? ExitCode.Ok;
  } finally {
    await services.close();
  }
}

/** An address whose device failed there minutes ago (the app or nbg connect recorded it): the backup is suggested. */
async function suggestBackup(io: CliIo, history: ConnectHistoryStore, target: Target): Promise<void> {
  const failed = await history.primaryFailedAt(target.host);
  if (!failed) return;
  const minutes = Math.max(1, Math.round((Date.now() - failed.at) / MS_PER_MIN));
  io.stderr.write(`nbg: ${inertText(target.host)} did not answer ${minutes} min ago (connect history); the backup path is suggested${
    target.backup ? `, and ${inertText(target.backup.host)} is tried if it fails again` : ': pass --backup ADDRESS'}\n`);
}

/** Options of every command that opens a session (nbg ssh, nbg connect). */
export const sessionOptions = {
  record: { type: 'boolean' },
  'record-input': { type: 'boolean' },
  'known-hosts': { type: 'string' },
  'accept-new': { type: 'boolean' },
  'connect-timeout': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

const ssh: CommandSpec = {
  path: ['ssh'],
  options: {
    ...keyDirOption, ...pinStdinOption,
    jump: { type: 'string', short: 'J' },
    config: { type: 'string', short: 'F' },
    option: { type: 'string', short: 'o', multiple: true },
    backup: { type: 'string' },
    password: { type: 'boolean' },
    ...sessionOptions,
    agent: { type: 'string' },
  },
  positionals: true,
  run: ({ values, positionals, io }) => runSsh(values, positionals, io),
};

export const sshCommands: CommandSpec[] = [ssh];
