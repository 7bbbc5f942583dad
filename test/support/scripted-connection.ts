import type { HidConnection, HidDeviceInfo } from '../../native/hid/connection';
import { DeviceGoneError } from '../../native/hid/errors';

/**
 * A HidConnection whose device side is a function: each written packet (64 bytes, report id
 * stripped) may queue reply packets. When the queue is empty a read waits its timeout (or, with
 * `goneWhenIdle`, reports the key as unplugged so fuzz cases end at once).
 */
export class ScriptedConnection implements HidConnection {
  readonly info: HidDeviceInfo = { path: 'scripted', vendorId: 0, productId: 0 };
  readonly written: Buffer[] = [];
  readonly queue: Uint8Array[] = [];
  closed = false;

  constructor(private readonly respond: (packet: Buffer, conn: ScriptedConnection) => void = () => undefined, private readonly goneWhenIdle = false) {}

  enqueue(...packets: (Uint8Array | string)[]): void {
    for (const p of packets) {
      if (typeof p === 'string') {
        const b = Buffer.alloc(64);
        Buffer.from(p.replace(/\s+/g, ''), 'hex').copy(b);
        this.queue.push(b);
      } else {
        this.queue.push(p);
      }
    }
  }

  async write(report: Uint8Array): Promise<void> {
    if (report.length !== 65 || report[0] !== 0) throw new Error('bad report');
    const packet = Buffer.from(report.subarray(1));
    this.written.push(packet);
    this.respond(packet, this);
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    const next = this.queue.shift();
    if (next) return next;
    if (this.goneWhenIdle) throw new DeviceGoneError();
    await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 20)));
    return this.queue.shift() ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Build a 64-byte init packet: cid, cmd (without 0x80), bcnt and the first bytes of data. */
export function initPacket(cid: string, cmd: number, bcnt: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from(cid, 'hex').copy(b, 0);
  b[4] = 0x80 | cmd;
  b.writeUInt16BE(bcnt, 5);
  data.copy(b, 7, 0, 57);
  return b;
}

export function contPacket(cid: string, seq: number, data: Buffer): Buffer {
  const b = Buffer.alloc(64);
  Buffer.from(cid, 'hex').copy(b, 0);
  b[4] = seq;
  data.copy(b, 5, 0, 59);
  return b;
}
