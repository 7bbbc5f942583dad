// sshd runs its socket with Nagle's algorithm on until a session goes interactive, and a jump
// host's never does. When sshd writes two packets in a row that need no answer (after auth:
// hostkeys-00, DEBUG lines, then the channel confirmation; on a jump: the direct-tcpip
// confirmation, then the next host's banner), the second waits for the ACK of the first, and a
// receiver with nothing to say delays that ACK by ~40 ms: our kernel on a direct hop, the jump
// host's on a forwarded one. Node cannot set TCP_QUICKACK, so while a hop is being set up, when a
// chunk arrives and we send nothing back in the same turn, we send an empty SSH_MSG_IGNORE for
// the ACK to ride on (through a jump, it makes the jump write to the device). Stock OpenSSH pays
// these stalls.
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';

/** Nudges per setup at most: a setup is a dozen packets; this bounds a peer that keeps talking. */
export const MAX_NUDGES_PER_SETUP = 32;

/** A stream whose written byte count we can read: net.Socket, CoalescingStream. */
export type CountingStream = Duplex & { readonly bytesWritten: number };

/** The part of ssh2's (patched) Protocol used here. */
interface IgnoreSender {
  ignore(): void;
}

interface Tracked {
  proto: IgnoreSender;
  stream: CountingStream;
  /** Setups in progress on this connection (a jump may carry several at once). */
  setups: number;
  budget: number;
  /** False until the first key exchange is done: an IGNORE inside it breaks strict KEX. */
  keyed: boolean;
}

const tracked = new WeakMap<Client, Tracked>();

function protocolOf(client: Client): IgnoreSender {
  const proto = (client as unknown as { _protocol?: Partial<IgnoreSender> })._protocol;
  if (typeof proto?.ignore !== 'function') throw new Error('ssh2 is missing the IGNORE patch (patches/ssh2+1.17.0.patch)');
  return proto as IgnoreSender;
}

/**
 * Call right after client.connect() (`stream` is the one ssh2 runs over): the login is the first
 * setup; the returned function ends it.
 */
export function trackHopStream(client: Client, stream: CountingStream): () => void {
  const t: Tracked = { proto: protocolOf(client), stream, setups: 1, budget: MAX_NUDGES_PER_SETUP, keyed: false };
  const onData = (): void => {
    if (t.setups === 0 || !t.keyed) return;
    const before = stream.bytesWritten;
    setImmediate(() => {
      if (t.setups === 0 || t.budget <= 0 || stream.bytesWritten !== before || stream.destroyed) return;
      t.budget--;
      t.proto.ignore();
    });
  };
  tracked.set(client, t);
  stream.on('data', onData);
  client.once('handshake', () => { t.keyed = true; });
  client.once('close', () => {
    stream.off('data', onData);
    tracked.delete(client);
  });
  let ended = false;
  return () => {
    if (!ended) t.setups--;
    ended = true;
  };
}

/** Runs `step` (a login, a channel or forward being opened) with nudges on for `client`. */
export async function duringSetup<T>(client: Client, step: () => Promise<T>): Promise<T> {
  const t = tracked.get(client);
  if (t) {
    t.setups++;
    t.budget = MAX_NUDGES_PER_SETUP;
  }
  try {
    return await step();
  } finally {
    if (t) t.setups--;
  }
}
