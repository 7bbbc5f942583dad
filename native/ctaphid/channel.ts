import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HidConnection } from '../hid/connection';
import {
  BROADCAST_CID, Capability, CtapHidCmd, CtapHidErrorCode, INIT_RESPONSE_LEN, NONCE_LEN,
} from './constants';
import {
  CtapHidCancelledError, CtapHidCapabilityError, CtapHidError, CtapHidProtocolError, CtapHidTimeoutError,
} from './errors';
import { MessageAssembler, fragmentMessage, parsePacket, toReport } from './framing';

export interface TransactOptions {
  signal?: AbortSignal;
  /** Called for every KEEPALIVE frame: 0x01 PROCESSING, 0x02 UPNEEDED ("touch your key"). */
  onKeepalive?: (status: number) => void;
  /** Host-side bound on the whole exchange, keepalives included. */
  timeoutMs?: number;
}

export interface CtapHidDeviceVersion {
  protocolVersion: number;
  major: number;
  minor: number;
  build: number;
  capabilities: number;
}

export interface ChannelOpenOptions {
  timeoutMs?: number;
  /** Refuse keys without the CBOR capability (U2F-only). Default true. */
  requireCbor?: boolean;
  /** Fixed INIT nonce; tests only (replaying recorded traces). */
  nonce?: Uint8Array;
}

/** Host-side bound on one exchange when the caller gives none. */
export const DEFAULT_TIMEOUT_MS = 10_000;
const INIT_TIMEOUT_MS = 3_000;
/** Reads are sliced so an abort is noticed within this time even while the key is silent. */
const READ_SLICE_MS = 100;
/** After CANCEL the key should answer KEEPALIVE_CANCEL at once; do not wait longer than this. */
const CANCEL_GRACE_MS = 1_500;
/** python-fido2 retries CHANNEL_BUSY after 100 ms; we do the same a bounded number of times. */
const BUSY_RETRY_DELAY_MS = 100;
const BUSY_MAX_RETRIES = 20;

/** One allocated CTAPHID channel on one device. Requests are serialized. */
export class CtapHidChannel {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly connection: HidConnection,
    readonly cid: Buffer,
    readonly version: CtapHidDeviceVersion,
  ) {}

  static async open(connection: HidConnection, opts: ChannelOpenOptions = {}): Promise<CtapHidChannel> {
    const nonce = Buffer.from(opts.nonce ?? randomBytes(NONCE_LEN));
    if (nonce.length !== NONCE_LEN) throw new CtapHidProtocolError('INIT nonce must be 8 bytes');
    for (const p of fragmentMessage(BROADCAST_CID, CtapHidCmd.INIT, nonce)) await connection.write(toReport(p));
    const deadline = Date.now() + (opts.timeoutMs ?? INIT_TIMEOUT_MS);
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new CtapHidTimeoutError('channel setup');
      const raw = await connection.read(Math.min(remaining, READ_SLICE_MS));
      if (!raw) continue;
      const pkt = parsePacket(raw);
      // Other programs allocate channels too, and every handle sees all replies: skip theirs.
      if (pkt.kind !== 'init' || !pkt.cid.equals(BROADCAST_CID)) continue;
      if (pkt.cmd === CtapHidCmd.ERROR) throw new CtapHidError(pkt.data[0] ?? CtapHidErrorCode.OTHER);
      if (pkt.cmd !== CtapHidCmd.INIT) continue;
      if (pkt.bcnt < INIT_RESPONSE_LEN) continue;
      const body = pkt.data.subarray(0, INIT_RESPONSE_LEN);
      if (!body.subarray(0, NONCE_LEN).equals(nonce)) continue;
      const cid = Buffer.from(body.subarray(8, 12));
      if (cid.equals(BROADCAST_CID)) throw new CtapHidProtocolError('the key allocated the broadcast channel');
      const version: CtapHidDeviceVersion = {
        protocolVersion: body[12] ?? 0,
        major: body[13] ?? 0,
        minor: body[14] ?? 0,
        build: body[15] ?? 0,
        capabilities: body[16] ?? 0,
      };
      if ((opts.requireCbor ?? true) && !(version.capabilities & Capability.CBOR)) {
        throw new CtapHidCapabilityError('it does not speak CTAP2 (FIDO2); only old U2F keys lack this');
      }
      return new CtapHidChannel(connection, cid, version);
    }
  }

  get supportsWink(): boolean {
    return (this.version.capabilities & Capability.WINK) !== 0;
  }

  /** Sends one request and returns the response payload of the same command. */
  transact(cmd: number, payload: Uint8Array, opts: TransactOptions = {}): Promise<Buffer> {
    const run = this.queue.then(() => this.transactNow(cmd, payload, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  cbor(payload: Uint8Array, opts?: TransactOptions): Promise<Buffer> {
    return this.transact(CtapHidCmd.CBOR, payload, opts);
  }

  ping(data: Uint8Array, opts?: TransactOptions): Promise<Buffer> {
    return this.transact(CtapHidCmd.PING, data, opts);
  }

  async wink(opts?: TransactOptions): Promise<void> {
    if (!this.supportsWink) throw new CtapHidCapabilityError('it cannot blink (no WINK capability)');
    await this.transact(CtapHidCmd.WINK, new Uint8Array(0), opts);
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  private async transactNow(cmd: number, payload: Uint8Array, opts: TransactOptions): Promise<Buffer> {
    const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    for (let attempt = 0; ; attempt++) {
      if (opts.signal?.aborted) throw new CtapHidCancelledError();
      // All packets back to back: keys drop a half-received message when the next one is late.
      for (const p of fragmentMessage(this.cid, cmd, payload)) await this.connection.write(toReport(p));
      try {
        return await this.receive(cmd, deadline, opts);
      } catch (err) {
        const busy = err instanceof CtapHidError && err.hidCode === CtapHidErrorCode.CHANNEL_BUSY;
        if (!busy || attempt >= BUSY_MAX_RETRIES || Date.now() + BUSY_RETRY_DELAY_MS >= deadline) throw err;
        await sleep(BUSY_RETRY_DELAY_MS);
      }
    }
  }

  private async receive(cmd: number, deadline: number, opts: TransactOptions): Promise<Buffer> {
    let cancelSent = false;
    let assembler: MessageAssembler | undefined;
    for (;;) {
      if (opts.signal?.aborted && !cancelSent) {
        cancelSent = true;
        await this.sendCancel();
        deadline = Math.min(deadline, Date.now() + CANCEL_GRACE_MS);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        if (cancelSent) throw new CtapHidCancelledError();
        throw new CtapHidTimeoutError(assembler ? 'rest of the reply' : 'reply');
      }
      const raw = await this.connection.read(Math.min(remaining, READ_SLICE_MS));
      if (!raw) continue;
      const pkt = parsePacket(raw);
      if (!pkt.cid.equals(this.cid)) continue;
      if (pkt.kind === 'cont') {
        // A stray continuation (e.g. tail of a message we gave up on) is ignored until our init packet.
        if (!assembler) continue;
        assembler.push(pkt.seq, pkt.data);
      } else {
        if (assembler) throw new CtapHidProtocolError('a new message started before the previous one ended');
        if (pkt.cmd === CtapHidCmd.KEEPALIVE) {
          opts.onKeepalive?.(pkt.data[0] ?? 0);
          continue;
        }
        if (pkt.cmd === CtapHidCmd.ERROR) throw new CtapHidError(pkt.data[0] ?? CtapHidErrorCode.OTHER);
        if (pkt.cmd !== cmd) {
          throw new CtapHidProtocolError(`reply to command 0x${pkt.cmd.toString(16)} while waiting for 0x${cmd.toString(16)}`);
        }
        assembler = new MessageAssembler(pkt.cmd, pkt.bcnt, pkt.data);
      }
      if (assembler.complete) return assembler.payload;
    }
  }

  private async sendCancel(): Promise<void> {
    const [p] = fragmentMessage(this.cid, CtapHidCmd.CANCEL, new Uint8Array(0));
    if (p) await this.connection.write(toReport(p));
  }
}
