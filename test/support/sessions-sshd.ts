// Session-test helpers around the shared sshd harness: waiting on session output/state, and the
// ways a primary path is "down" on loopback (nothing listening; listening but silent; a banner, then nothing).
import net from 'node:net';
import type { Session, SessionState } from '../../electron/core/ssh/sessions/index';
import { freePort } from './sshd';

const UNTIL_MS = 20_000;
const STALLING_BANNER = 'SSH-2.0-StallingServer_1.0\r\n';

export function waitForOutput(session: Session, pattern: RegExp, timeoutMs = UNTIL_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      session.off('data', check);
      reject(new Error(`no ${pattern} in output: ${session.scrollback().toString()}`));
    }, timeoutMs);
    function check(): void {
      const text = session.scrollback().toString('utf8');
      if (pattern.test(text)) {
        clearTimeout(timer);
        session.off('data', check);
        resolve(text);
      }
    }
    session.on('data', check);
    check();
  });
}

export function waitClosed(session: Session, timeoutMs = UNTIL_MS): Promise<Extract<SessionState, { kind: 'closed' }>> {
  return new Promise((resolve, reject) => {
    const done = (s: SessionState): void => {
      if (s.kind !== 'closed') return;
      clearTimeout(timer);
      session.off('state', done);
      resolve(s);
    };
    const timer = setTimeout(() => {
      session.off('state', done);
      reject(new Error(`session still ${session.state.kind}`));
    }, timeoutMs);
    session.on('state', done);
    done(session.state);
  });
}

/** A loopback port nothing listens on (connections are refused). */
export async function refusedPort(host = '127.0.0.1'): Promise<number> {
  return freePort(host);
}

/** A listener that accepts and never sends an SSH banner; closed by the returned stop(). */
export async function silentListener(host = '127.0.0.1'): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    stop: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Accepts, sends an SSH banner, then reads and never answers (the key exchange stalls). */
export async function bannerThenStall(host: string): Promise<{ host: string; port: number; connections(): number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.resume();
    s.write(STALLING_BANNER);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    host,
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    stop: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
