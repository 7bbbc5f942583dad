// Test helper: an ssh2 client that logs in through the drill jump host to a device with the sk
// agent (soft signer), the way the sessions module will, and drives the EOS shell.
import ssh2 from 'ssh2';
import type { BaseAgent, ClientChannel, ConnectConfig } from 'ssh2';

export interface Endpoint {
  host: string;
  port: number;
}

const READY_TIMEOUT_MS = 5000;

export function connect(cfg: ConnectConfig): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.once('ready', () => resolve(c));
    // Later errors (a connection lost after a failed handshake) are expected noise, not crashes.
    c.on('error', (err) => reject(err));
    c.connect({ readyTimeout: READY_TIMEOUT_MS, hostVerifier: () => true, ...cfg });
  });
}

export function forwardOut(client: ssh2.Client, to: Endpoint): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, to.host, to.port, (err, ch) => (err ? reject(err) : resolve(ch)));
  });
}

/** Jump login, then the device login over a direct-tcpip channel. Both clients are returned for cleanup. */
export async function connectVia(jump: Endpoint, device: Endpoint, user: string, auth: { agent?: BaseAgent; password?: string; deviceUser?: string; readyTimeout?: number }, jumpAgent?: BaseAgent): Promise<{ jump: ssh2.Client; device: ssh2.Client }> {
  const j = await connect({ host: jump.host, port: jump.port, username: user, agent: jumpAgent ?? auth.agent });
  try {
    const sock = await forwardOut(j, device);
    const d = await connect({ sock, username: auth.deviceUser ?? user, agent: auth.agent, password: auth.password, readyTimeout: auth.readyTimeout ?? READY_TIMEOUT_MS });
    return { jump: j, device: d };
  } catch (err) {
    j.end();
    throw err;
  }
}

export function exec(client: ssh2.Client, command: string): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let out = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => (out += d.toString('utf8')));
      stream.on('exit', (c: number) => (code = c));
      stream.on('close', () => resolve({ out, code }));
    });
  });
}

/** An interactive shell: send lines, wait for text to appear (bounded by time). */
export async function shell(client: ssh2.Client): Promise<{ send(text: string): void; until(pattern: RegExp, timeoutMs?: number): Promise<string>; output(): string; closed: Promise<void> }> {
  const stream = await new Promise<ClientChannel>((resolve, reject) => {
    client.shell({ term: 'xterm-256color', cols: 120, rows: 40 }, (err, s) => (err ? reject(err) : resolve(s)));
  });
  let buffer = '';
  let waiters: (() => void)[] = [];
  stream.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    for (const w of waiters) w();
  });
  const closed = new Promise<void>((resolve) => stream.on('close', () => resolve()));
  return {
    send: (text) => stream.write(text),
    output: () => buffer,
    closed,
    until(pattern, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(buffer);
          if (!m) return;
          const upto = buffer.slice(0, m.index + m[0].length);
          buffer = buffer.slice(m.index + m[0].length);
          cleanup();
          resolve(upto);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; got ${JSON.stringify(buffer.slice(-300))}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
        };
        waiters.push(check);
        check();
      });
    },
  };
}
