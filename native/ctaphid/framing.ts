import { HID_PACKET_SIZE } from '../hid/connection';
import {
  CONT_HEADER_LEN, CONT_PAYLOAD_LEN, INIT_HEADER_LEN, INIT_PAYLOAD_LEN, MAX_MESSAGE_LEN, MAX_SEQ, TYPE_INIT,
} from './constants';
import { CtapHidProtocolError } from './errors';

/** Splits one CTAPHID message into 64-byte packets: an init packet then continuation packets. */
export function fragmentMessage(cid: Uint8Array, cmd: number, payload: Uint8Array): Uint8Array[] {
  if (cid.length !== 4) throw new CtapHidProtocolError('channel id must be 4 bytes');
  if (payload.length > MAX_MESSAGE_LEN) {
    throw new CtapHidProtocolError(`message of ${payload.length} bytes exceeds the CTAPHID limit of ${MAX_MESSAGE_LEN}`);
  }
  const packets: Uint8Array[] = [];
  const first = new Uint8Array(HID_PACKET_SIZE);
  first.set(cid, 0);
  first[4] = TYPE_INIT | cmd;
  first[5] = payload.length >> 8;
  first[6] = payload.length & 0xff;
  first.set(payload.subarray(0, INIT_PAYLOAD_LEN), INIT_HEADER_LEN);
  packets.push(first);
  for (let off = INIT_PAYLOAD_LEN, seq = 0; off < payload.length; off += CONT_PAYLOAD_LEN, seq++) {
    const p = new Uint8Array(HID_PACKET_SIZE);
    p.set(cid, 0);
    p[4] = seq;
    p.set(payload.subarray(off, off + CONT_PAYLOAD_LEN), CONT_HEADER_LEN);
    packets.push(p);
  }
  return packets;
}

/** Report for node-hid: the 0x00 report id in front of the 64-byte packet. */
export function toReport(packet: Uint8Array): Uint8Array {
  const r = new Uint8Array(HID_PACKET_SIZE + 1);
  r.set(packet, 1);
  return r;
}

export type Packet =
  | { kind: 'init'; cid: Buffer; cmd: number; bcnt: number; data: Buffer }
  | { kind: 'cont'; cid: Buffer; seq: number; data: Buffer };

export function parsePacket(raw: Uint8Array): Packet {
  if (raw.length !== HID_PACKET_SIZE) throw new CtapHidProtocolError(`packet of ${raw.length} bytes instead of ${HID_PACKET_SIZE}`);
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  const cid = b.subarray(0, 4);
  const head = b[4] ?? 0;
  if (head & TYPE_INIT) {
    return { kind: 'init', cid, cmd: head & ~TYPE_INIT & 0xff, bcnt: b.readUInt16BE(5), data: b.subarray(INIT_HEADER_LEN) };
  }
  return { kind: 'cont', cid, seq: head, data: b.subarray(CONT_HEADER_LEN) };
}

/** Collects one message from its init packet and in-order continuation packets (by BCNT). */
export class MessageAssembler {
  private readonly buf: Buffer;
  private filled: number;
  private nextSeq = 0;

  constructor(readonly cmd: number, readonly bcnt: number, firstData: Buffer) {
    if (bcnt > MAX_MESSAGE_LEN) throw new CtapHidProtocolError(`announced length ${bcnt} exceeds ${MAX_MESSAGE_LEN}`);
    this.buf = Buffer.alloc(bcnt);
    this.filled = firstData.copy(this.buf, 0, 0, Math.min(bcnt, firstData.length));
  }

  get complete(): boolean {
    return this.filled >= this.bcnt;
  }

  push(seq: number, data: Buffer): void {
    if (this.complete) throw new CtapHidProtocolError('continuation packet after the message was complete');
    if (seq !== this.nextSeq || seq > MAX_SEQ) throw new CtapHidProtocolError(`continuation packet ${seq} where ${this.nextSeq} was expected`);
    this.nextSeq++;
    this.filled += data.copy(this.buf, this.filled, 0, Math.min(data.length, this.bcnt - this.filled));
  }

  get payload(): Buffer {
    return this.buf;
  }
}
