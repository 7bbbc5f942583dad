// One drill SSH server (ssh2 Server) on one loopback address: a jump host that forwards only to
// the drill's own device listeners, or a fabric device with the EOS-like shell.
import net from 'node:net';
import ssh2 from 'ssh2';
import type { AuthContext, Connection, ServerChannel } from 'ssh2';
import type { AuthDecision, DrillAuthenticator } from './auth';
import { BmmShell } from './bmm-shell';
import { EosShell, EosTerminal, type DrillRole, type LineShell } from './eos-shell';
import type { DeviceState } from './eos-show';
import { DrillListenError } from './errors';
import type { DrillEventSink } from './events';

const SERVER_IDENT = 'nbg_drill';
/** How long the jump host waits for a device listener to accept before refusing the channel. */
const FORWARD_CONNECT_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 64;

export interface ListenAddress {
  host: string;
  port: number;
}

interface BaseOptions {
  name: string;
  hostKey: string;
  authenticator: DrillAuthenticator;
  emit: DrillEventSink;
}

export interface JumpOptions extends BaseOptions {
  kind: 'jump';
  /** Only the drill's own device addresses; anything else is refused. */
  mayForwardTo: (host: string, port: number) => boolean;
}

export interface DeviceOptions extends BaseOptions {
  kind: 'device';
  device: DeviceState;
}

/** A bare metal machine of the drill cluster: a Linux login for the keyset user. */
export interface BmmOptions extends BaseOptions {
  kind: 'bmm';
  machineName: string;
}

export interface RunningListener {
  address: ListenAddress;
  close(): Promise<void>;
}

/** Binds `host:port` (port 0 = any free port); rejects with the OS error so callers can fall back. */
export function listen(server: net.Server, host: string, port: number): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      const a = server.address() as net.AddressInfo;
      resolve({ host: a.address, port: a.port });
    });
  });
}

export async function startDrillServer(opts: JumpOptions | DeviceOptions | BmmOptions, host: string, port: number): Promise<RunningListener> {
  const connections = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [opts.hostKey], ident: SERVER_IDENT });
  server.maxConnections = MAX_CONNECTIONS;
  server.on('connection', (client: Connection, info: { ip: string; port: number }) => {
    connections.add(client);
    // Interactive echo must not wait for Nagle's algorithm (OpenSSH sets TCP_NODELAY for sessions too).
    (client as Connection & { setNoDelay(noDelay: boolean): void }).setNoDelay(true); // ssh2 1.17 has it; @types/ssh2 does not
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    serveConnection(opts, client, `${info.ip} port ${info.port}`);
  });
  let address: ListenAddress;
  try {
    address = await listen(server, host, port);
  } catch (err) {
    server.close();
    throw new DrillListenError(opts.name, `${host}:${port}`, err);
  }
  return {
    address,
    close: () => new Promise<void>((resolve) => {
      for (const c of connections) c.end();
      server.close(() => resolve());
    }),
  };
}

function serveConnection(opts: JumpOptions | DeviceOptions | BmmOptions, client: Connection, from: string): void {
  let session: { user: string; role: DrillRole } | undefined;
  client.on('authentication', (ctx: AuthContext) => {
    const decision = opts.authenticator.decide(toRequest(ctx));
    reportAuth(opts, decision, ctx.method, from);
    if (decision.kind === 'accept') {
      session = { user: decision.user, role: decision.role };
      ctx.accept();
    } else if (decision.kind === 'key-ok') {
      ctx.accept();
    } else {
      ctx.reject(opts.authenticator.methods);
    }
  });
  client.on('ready', () => {
    if (!session) return;
    const who = session;
    if (opts.kind === 'jump') {
      client.on('tcpip', (accept, reject, info) => forward(opts, who.user, accept, reject, info.destIP, info.destPort));
      client.on('session', (accept) => {
        const s = accept();
        s.on('shell', (acceptShell) => endWithMessage(acceptShell(), `${opts.name}: drill jump host; use it as ProxyJump (ssh -J).\r\n`));
        s.on('exec', (acceptExec) => endWithMessage(acceptExec(), `${opts.name}: drill jump host; commands are not run here.\n`));
      });
      return;
    }
    client.on('session', (accept) => (opts.kind === 'device'
      ? shellSession(opts, who, accept(), () => new EosShell(opts.device, { name: who.user, role: who.role }),
        `*** Nexus Break-Glass drill: ${opts.name} is a simulated ${opts.device.profile.role} device, not a real switch ***\n`)
      : shellSession(opts, who, accept(), () => new BmmShell(opts.machineName, who.user),
        `*** Nexus Break-Glass drill: ${opts.machineName} is a simulated bare metal machine ***\n`)));
  });
}

function toRequest(ctx: AuthContext): Parameters<DrillAuthenticator['decide']>[0] {
  if (ctx.method === 'publickey') {
    return { method: 'publickey', user: ctx.username, keyAlgo: ctx.key.algo, keyBlob: ctx.key.data, signature: ctx.signature, signedData: ctx.blob };
  }
  if (ctx.method === 'password') return { method: 'password', user: ctx.username, password: ctx.password };
  return { method: ctx.method === 'none' ? 'none' : 'other', user: ctx.username };
}

function reportAuth(opts: BaseOptions, d: AuthDecision, method: string, from: string): void {
  if (d.kind === 'key-ok' || (d.kind === 'refuse' && d.reason === 'method-not-allowed' && method === 'none')) return;
  const flags = d.flags !== undefined ? ` sk_flags 0x${d.flags.toString(16).padStart(2, '0')}` : '';
  if (d.kind === 'accept') {
    const key = d.keyFingerprint ? ` ${d.keyFingerprint}${flags} counter ${d.counter}` : '';
    opts.emit({ server: opts.name, kind: 'auth', outcome: 'ok', user: d.user, message: `Accepted ${d.method} for ${d.user} from ${from}${key} (${d.role})` });
  } else {
    const key = d.keyFingerprint ? ` key ${d.keyFingerprint}` : '';
    opts.emit({ server: opts.name, kind: 'auth', outcome: 'refused', user: d.user, reason: d.reason, message: `Refused ${method} for ${d.user} from ${from}${key}${flags}: ${d.reason}` });
  }
}

function forward(opts: JumpOptions, user: string, accept: () => ServerChannel, reject: () => void, host: string, port: number): void {
  if (!opts.mayForwardTo(host, port)) {
    opts.emit({ server: opts.name, kind: 'forward', outcome: 'refused', user, reason: 'not-allowed', message: `refused forwarding for ${user} to ${host}:${port}: not a drill device` });
    reject();
    return;
  }
  const sock = net.connect({ host, port, noDelay: true });
  const timer = setTimeout(() => sock.destroy(new Error('connect timeout')), FORWARD_CONNECT_TIMEOUT_MS);
  sock.once('error', (err) => {
    clearTimeout(timer);
    opts.emit({ server: opts.name, kind: 'forward', outcome: 'refused', user, reason: 'unreachable', message: `forwarding for ${user} to ${host}:${port} failed: ${err.message}` });
    reject();
  });
  sock.once('connect', () => {
    clearTimeout(timer);
    sock.removeAllListeners('error');
    const channel = accept();
    opts.emit({ server: opts.name, kind: 'forward', outcome: 'ok', user, message: `forwarding for ${user} to ${host}:${port}` });
    sock.on('error', () => channel.destroy());
    channel.on('error', () => sock.destroy());
    channel.pipe(sock).pipe(channel);
  });
}

function endWithMessage(stream: ServerChannel, text: string): void {
  stream.write(text);
  stream.exit(1);
  stream.end();
}

/** A shell (interactive, with or without a pty) or one exec'd command, over `newShell`. */
function shellSession(opts: BaseOptions, who: { user: string; role: DrillRole }, session: ssh2.Session, newShell: () => LineShell, banner: string): void {
  let pty = false;
  session.on('pty', (accept) => {
    pty = true;
    accept?.();
  });
  session.on('window-change', (accept) => accept?.());
  session.on('shell', (accept) => {
    const stream = accept();
    opts.emit({ server: opts.name, kind: 'session', outcome: 'info', user: who.user, message: `shell for ${who.user} (${who.role})${pty ? '' : ' without a pty'}` });
    const terminal = new EosTerminal(newShell(), (text) => stream.write(text), (code) => {
      stream.exit(code);
      stream.end();
    }, (line, result) => reportCommand(opts, who.user, line, result.error));
    stream.on('data', (d: Buffer) => terminal.feed(d));
    terminal.start(banner);
  });
  session.on('exec', (accept, _reject, info) => {
    const stream = accept();
    const result = newShell().run(info.command);
    reportCommand(opts, who.user, info.command, result.error);
    stream.write(result.output);
    stream.exit(result.error ? 1 : 0);
    stream.end();
  });
}

function reportCommand(opts: BaseOptions, user: string, line: string, error: boolean): void {
  if (!line.trim()) return;
  opts.emit({ server: opts.name, kind: 'command', outcome: error ? 'refused' : 'ok', user, message: `${user}: ${line.trim().slice(0, 200)}` });
}
