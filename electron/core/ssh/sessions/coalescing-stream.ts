// The byte stream of a hop that runs inside the previous hop's direct-tcpip channel. ssh2 writes
// every SSH packet separately; each becomes its own CHANNEL_DATA, which the jump's sshd writes to
// the next host one by one, where Nagle's algorithm holds the second back until a (delayed) ACK:
// ~40 ms per handshake step. OpenSSH sends what it has per loop turn; so do we: writes made in one
// event-loop turn go out as one channel write.
import { Duplex } from 'node:stream';

export class CoalescingStream extends Duplex {
  private pending: Buffer[] = [];
  private scheduled = false;
  /** Set while the channel asked us to wait (write returned false); writers wait for its drain. */
  private waiting: ((err?: Error | null) => void)[] | null = null;
  /** Bytes accepted for writing, like net.Socket's (the setup nudges compare it). */
  bytesWritten = 0;

  constructor(private readonly inner: Duplex) {
    super();
    inner.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) inner.pause();
    });
    inner.once('end', () => this.push(null));
    inner.once('error', (err: Error) => this.destroy(err));
    inner.once('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.pending.push(chunk);
    this.bytesWritten += chunk.length;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    // Accept at once so the rest of this turn's writes join the batch; the channel's own
    // backpressure holds writers back through `waiting`.
    if (this.waiting) this.waiting.push(callback);
    else callback();
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.flush();
    this.inner.end(callback);
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.inner.destroy();
    callback(err);
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] as Buffer : Buffer.concat(this.pending);
    this.pending = [];
    if (!this.inner.write(data) && !this.waiting) {
      const waiting: ((err?: Error | null) => void)[] = [];
      this.waiting = waiting;
      this.inner.once('drain', () => {
        this.waiting = null;
        for (const cb of waiting) cb();
      });
    }
  }
}
