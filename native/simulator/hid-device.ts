import { randomBytes } from 'node:crypto';
import { HID_PACKET_SIZE, HID_REPORT_SIZE, type HidConnection, type HidDeviceInfo } from '../hid/connection';
import { DeviceGoneError, HidIoError } from '../hid/errors';
import type { SoftAuthenticator } from './authenticator';

// Device side of CTAPHID for the software authenticator. Written independently of
// native/ctaphid (the host side) so that framing bugs on one side show up as test failures.

const BROADCAST = 'ffffffff';
const CMD = { PING: 0x01, MSG: 0x03, LOCK: 0x04, INIT: 0x06, WINK: 0x08, CBOR: 0x10, CANCEL: 0x11, KEEPALIVE: 0x3b, ERROR: 0x3f } as const;
const ERR = { INVALID_CMD: 0x01, INVALID_LEN: 0x03, INVALID_SEQ: 0x04, CHANNEL_BUSY: 0x06, INVALID_CHANNEL: 0x0b } as const;
const KEEPALIVE_PROCESSING = 0x01;
const KEEPALIVE_UPNEEDED = 0x02;
const CAP = { WINK: 0x01, CBOR: 0x04, NMSG: 0x08 } as const;
/** WINK | CBOR, as the YubiKey 5 trace shows; a key without U2F also says NMSG (CTAP 2.1 §11.2.9.1.3). */
const capabilities = (speaksU2f: boolean): number => CAP.WINK | CAP.CBOR | (speaksU2f ? 0 : CAP.NMSG);
const MAX_LEN = 7609;
const CTAP2_ERR_OTHER = 0x7f;
/** ISO 7816 "no precise diagnosis". */
const U2F_SW_UNKNOWN = [0x6f, 0x00];

export type FaultKind = 'drop' | 'corrupt' | 'garbage' | 'disconnect';
/** Applied to the device→host packet with this 0-based index (counted since the device was created). */
export interface Fault {
  kind: FaultKind;
  atPacket: number;
}

interface Assembly {
  cid: string;
  cmd: number;
  bcnt: number;
  data: Buffer[];
  have: number;
  nextSeq: number;
}

export class SimulatedHidDevice {
  private readonly connections = new Set<SimulatedHidConnection>();
  private readonly channels = new Set<string>();
  private nextCid = 0x01000000 + (randomBytes(2).readUInt16BE(0) << 4);
  private assembly: Assembly | undefined;
  private busy: { cid: string; abort: AbortController } | undefined;
  private readonly faults: Fault[] = [];
  private emitted = 0;
  private plugged = true;

  constructor(readonly authenticator: SoftAuthenticator, readonly info: HidDeviceInfo, private readonly keepaliveIntervalMs = 100) {}

  get isPlugged(): boolean {
    return this.plugged;
  }

  get packetsSent(): number {
    return this.emitted;
  }

  open(): SimulatedHidConnection {
    if (!this.plugged) throw new DeviceGoneError();
    const c = new SimulatedHidConnection(this);
    this.connections.add(c);
    return c;
  }

  /** Pull the key: open handles die, the operation in flight is abandoned. */
  unplug(): void {
    if (!this.plugged) return;
    this.plugged = false;
    this.busy?.abort.abort();
    this.busy = undefined;
    this.assembly = undefined;
    this.channels.clear();
    for (const c of this.connections) c.kill();
    this.connections.clear();
  }

  /** Plug back in: a power cycle for the authenticator (lifts PIN_AUTH_BLOCKED). */
  replug(): void {
    this.unplug();
    this.authenticator.powerCycle();
    this.plugged = true;
  }

  injectFault(fault: Fault): void {
    this.faults.push(fault);
  }

  detach(c: SimulatedHidConnection): void {
    this.connections.delete(c);
  }

  receive(packet: Buffer): void {
    if (!this.plugged) throw new DeviceGoneError();
    const cid = packet.subarray(0, 4).toString('hex');
    const head = packet[4] as number;
    if (head & 0x80) this.onInit(cid, head & 0x7f, packet.readUInt16BE(5), packet.subarray(7));
    else this.onCont(cid, head, packet.subarray(5));
  }

  private onInit(cid: string, cmd: number, bcnt: number, data: Buffer): void {
    if (cmd === CMD.INIT) {
      if (bcnt !== 8) return this.error(cid, ERR.INVALID_LEN);
      const nonce = data.subarray(0, 8);
      let newCid: string;
      if (cid === BROADCAST) {
        newCid = (this.nextCid++ >>> 0).toString(16).padStart(8, '0');
        this.channels.add(newCid);
      } else if (this.channels.has(cid)) {
        if (this.assembly?.cid === cid) this.assembly = undefined;
        newCid = cid;
      } else {
        return this.error(cid, ERR.INVALID_CHANNEL);
      }
      const [maj, min, build] = this.authenticator.profile.firmware;
      const body = Buffer.concat([nonce, Buffer.from(newCid, 'hex'), Buffer.from([2, maj, min, build, capabilities(this.authenticator.speaksU2f)])]);
      return this.send(cid, CMD.INIT, body);
    }
    if (!this.channels.has(cid)) return this.error(cid, ERR.INVALID_CHANNEL);
    if (cmd === CMD.CANCEL) {
      if (this.busy?.cid === cid) this.busy.abort.abort();
      return; // CANCEL never gets an answer of its own
    }
    if (this.busy) return this.error(cid, ERR.CHANNEL_BUSY);
    if (this.assembly) {
      if (this.assembly.cid !== cid) return this.error(cid, ERR.CHANNEL_BUSY);
      this.assembly = undefined;
      return this.error(cid, ERR.INVALID_SEQ);
    }
    if (bcnt > MAX_LEN) return this.error(cid, ERR.INVALID_LEN);
    const first = data.subarray(0, Math.min(bcnt, data.length));
    this.assembly = { cid, cmd, bcnt, data: [Buffer.from(first)], have: first.length, nextSeq: 0 };
    this.maybeDispatch();
  }

  private onCont(cid: string, seq: number, data: Buffer): void {
    const a = this.assembly;
    if (!a || a.cid !== cid) return; // stray continuation: real keys ignore it
    if (seq !== a.nextSeq) {
      this.assembly = undefined;
      return this.error(cid, ERR.INVALID_SEQ);
    }
    a.nextSeq++;
    const take = data.subarray(0, Math.min(data.length, a.bcnt - a.have));
    a.data.push(Buffer.from(take));
    a.have += take.length;
    this.maybeDispatch();
  }

  private maybeDispatch(): void {
    const a = this.assembly;
    if (!a || a.have < a.bcnt) return;
    this.assembly = undefined;
    const payload = Buffer.concat(a.data);
    switch (a.cmd) {
      case CMD.PING:
        return this.send(a.cid, CMD.PING, payload);
      case CMD.WINK:
      case CMD.LOCK:
        return this.send(a.cid, a.cmd, Buffer.alloc(0));
      case CMD.CBOR:
        void this.runRequest(a.cid, CMD.CBOR, payload);
        return;
      case CMD.MSG:
        if (!this.authenticator.speaksU2f) return this.error(a.cid, ERR.INVALID_CMD);
        void this.runRequest(a.cid, CMD.MSG, payload);
        return;
      default:
        return this.error(a.cid, ERR.INVALID_CMD);
    }
  }

  /** A CBOR (CTAP2) or MSG (U2F) request: the channel is busy, with keepalives, until the answer. */
  private async runRequest(cid: string, cmd: typeof CMD.CBOR | typeof CMD.MSG, payload: Buffer): Promise<void> {
    const abort = new AbortController();
    this.busy = { cid, abort };
    let status = KEEPALIVE_PROCESSING;
    const timer = setInterval(() => this.send(cid, CMD.KEEPALIVE, Buffer.from([status])), this.keepaliveIntervalMs);
    let reply: Buffer;
    try {
      reply = cmd === CMD.MSG ? await this.authenticator.handleMsg(payload) : await this.authenticator.handleCbor(payload, {
        signal: abort.signal,
        setWaitingForTouch: (waiting) => {
          status = waiting ? KEEPALIVE_UPNEEDED : KEEPALIVE_PROCESSING;
          // The first UPNEEDED goes out at once so the host can prompt without a 100 ms lag.
          if (waiting) this.send(cid, CMD.KEEPALIVE, Buffer.from([status]));
        },
      });
    } catch {
      // e.g. the state file could not be written: a real key would answer ERR_OTHER / SW 6F00, not vanish.
      reply = cmd === CMD.MSG ? Buffer.from(U2F_SW_UNKNOWN) : Buffer.from([CTAP2_ERR_OTHER]);
    } finally {
      clearInterval(timer);
    }
    if (this.busy?.abort !== abort) return; // unplugged meanwhile
    this.busy = undefined;
    this.send(cid, cmd, reply);
  }

  private error(cid: string, code: number): void {
    this.send(cid, CMD.ERROR, Buffer.from([code]));
  }

  private send(cidHex: string, cmd: number, payload: Buffer): void {
    const cid = Buffer.from(cidHex, 'hex');
    const first = Buffer.alloc(HID_PACKET_SIZE);
    cid.copy(first, 0);
    first[4] = 0x80 | cmd;
    first.writeUInt16BE(payload.length, 5);
    payload.copy(first, 7, 0, 57);
    this.emit(first);
    for (let off = 57, seq = 0; off < payload.length; off += 59, seq++) {
      const p = Buffer.alloc(HID_PACKET_SIZE);
      cid.copy(p, 0);
      p[4] = seq;
      payload.copy(p, 5, off, off + 59);
      this.emit(p);
    }
  }

  private emit(packet: Buffer): void {
    if (!this.plugged) return;
    const index = this.emitted++;
    for (const f of this.faults.filter((x) => x.atPacket === index)) {
      if (f.kind === 'disconnect') return this.unplug();
      if (f.kind === 'drop') return;
      if (f.kind === 'garbage') this.deliver(randomBytes(HID_PACKET_SIZE));
      if (f.kind === 'corrupt') {
        const at = 4 + (index % 60);
        packet[at] = (packet[at] as number) ^ 0xa5;
      }
    }
    this.deliver(packet);
  }

  private deliver(packet: Buffer): void {
    // hidraw semantics: every open handle sees every input report.
    for (const c of this.connections) c.push(new Uint8Array(packet));
  }
}

export class SimulatedHidConnection implements HidConnection {
  private readonly inbox: Uint8Array[] = [];
  private waiter: ((p: Uint8Array | null | Error) => void) | undefined;
  private dead = false;
  private closed = false;

  constructor(private readonly device: SimulatedHidDevice) {}

  get info(): HidDeviceInfo {
    return this.device.info;
  }

  push(p: Uint8Array): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w(p);
    } else {
      this.inbox.push(p);
    }
  }

  kill(): void {
    this.dead = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.(new DeviceGoneError());
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.dead || this.closed) throw new DeviceGoneError();
    if (report.length !== HID_REPORT_SIZE || report[0] !== 0) throw new HidIoError(`a report must be ${HID_REPORT_SIZE} bytes starting with report id 0`);
    this.device.receive(Buffer.from(report.subarray(1)));
  }

  read(timeoutMs: number): Promise<Uint8Array | null> {
    if (this.dead || this.closed) return Promise.reject(new DeviceGoneError());
    const next = this.inbox.shift();
    if (next) return Promise.resolve(next);
    if (this.waiter) return Promise.reject(new HidIoError('concurrent reads on one handle'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(null);
      }, Math.max(0, timeoutMs));
      this.waiter = (p) => {
        clearTimeout(timer);
        if (p instanceof Error) reject(p);
        else resolve(p);
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.device.detach(this);
    const w = this.waiter;
    this.waiter = undefined;
    w?.(new DeviceGoneError());
  }
}
