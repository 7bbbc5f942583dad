// Opens the byte stream a hop's SSH connection runs over: a TCP socket for the first hop, a
// direct-tcpip channel on the previous hop otherwise. "Reachable" means an SSH banner arrived
// within the deadline, so a listener that accepts but never speaks counts as down.
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { formatHostPort } from '../chain';
import { duringSetup, type CountingStream } from './ack-nudge';
import { CoalescingStream } from './coalescing-stream';
import { PathUnreachableError } from './errors';
import type { NetAddress } from './types';

export const DEFAULT_BANNER_TIMEOUT_MS = 8000;
/** Origin reported in direct-tcpip requests; servers log it, nothing routes on it. */
const FORWARD_ORIGIN = { host: '127.0.0.1', port: 0 };

function openDirect(addr: NetAddress, signal: AbortSignal): Promise<CountingStream> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: addr.host, port: addr.port });
    const onAbort = (): void => { sock.destroy(); };
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      sock.setNoDelay(true);
      resolve(sock);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      signal.removeEventListener('abort', onAbort);
      reject(new PathUnreachableError(formatHostPort(addr.host, addr.port), err.code === 'ECONNREFUSED' ? 'refused' : 'unreachable', err.code ?? err.message));
    });
  });
}

function openForwarded(via: Client, addr: NetAddress): Promise<CountingStream> {
  return new Promise((resolve, reject) => {
    via.forwardOut(FORWARD_ORIGIN.host, FORWARD_ORIGIN.port, addr.host, addr.port, (err, channel) => {
      if (err) {
        const refused = /refused|administratively|connect failed/i.test(err.message);
        reject(new PathUnreachableError(formatHostPort(addr.host, addr.port), refused ? 'refused' : 'unreachable', err.message));
      } else resolve(new CoalescingStream(channel));
    });
  });
}

/** Resolves once the first bytes (the server's identification) arrived; they are put back for ssh2. */
function awaitBanner(stream: Duplex, address: string, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new PathUnreachableError(address, 'no-banner', `nothing within ${Math.round(deadline)} ms`)), deadline);
    const onData = (chunk: Buffer): void => {
      stream.pause();
      stream.unshift(chunk);
      done();
    };
    const onEnd = (): void => done(new PathUnreachableError(address, 'closed', 'the connection closed before the SSH banner'));
    const onError = (err: Error): void => done(new PathUnreachableError(address, 'unreachable', err.message));
    function done(err?: Error): void {
      clearTimeout(timer);
      stream.off('data', onData).off('end', onEnd).off('close', onEnd).off('error', onError);
      if (err) {
        stream.destroy();
        reject(err);
      } else resolve();
    }
    stream.on('data', onData).once('end', onEnd).once('close', onEnd).once('error', onError);
  });
}

/**
 * A stream to `addr` (through `via` when given) on which an SSH banner has arrived. The stream is
 * left paused with the banner unread; ssh2 resumes it.
 */
export async function openSshStream(addr: NetAddress, via: Client | undefined, timeoutMs = DEFAULT_BANNER_TIMEOUT_MS): Promise<CountingStream> {
  if (via) return duringSetup(via, () => openStream(addr, via, timeoutMs));
  return openStream(addr, undefined, timeoutMs);
}

async function openStream(addr: NetAddress, via: Client | undefined, timeoutMs: number): Promise<CountingStream> {
  const started = Date.now();
  const address = formatHostPort(addr.host, addr.port);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const opening = via ? openForwarded(via, addr) : openDirect(addr, abort.signal);
    const stream = await Promise.race([opening, new Promise<never>((_, reject) => {
      abort.signal.addEventListener('abort', () => reject(new PathUnreachableError(address, 'unreachable', `no connection within ${timeoutMs} ms`)), { once: true });
    })]).catch((err: unknown) => {
      // A channel that opens after the deadline must not linger on the jump host.
      opening.then((s) => s.destroy(), () => undefined);
      throw err;
    });
    await awaitBanner(stream, address, Math.max(1, timeoutMs - (Date.now() - started)));
    return stream;
  } finally {
    clearTimeout(timer);
  }
}
