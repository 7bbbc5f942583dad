import { Encoder } from 'cbor-x';
import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError } from '../errors';

/**
 * cbor-x configured for CTAP2 canonical output: no tags (259 for Maps, 64 for Uint8Array), no
 * records, shortest map headers. It does not sort keys: callers build int-keyed `Map`s in
 * ascending canonical order and string-keyed objects with keys in canonical order.
 */
// useTag259ForMaps is honoured by cbor-x's encoder but missing from its Options type.
const CTAP_ENCODER_OPTIONS = {
  useRecords: false,
  mapsAsObjects: false,
  useTag259ForMaps: false,
  variableMapSize: true,
  tagUint8Array: false,
};
export const ctapEncoder = new Encoder(CTAP_ENCODER_OPTIONS);

export function encodeCbor(value: unknown): Buffer {
  return Buffer.from(ctapEncoder.encode(value));
}

export type CborValue = number | string | boolean | null | undefined | Buffer | CborValue[] | CborMap;
export type CborMap = Map<number | string, CborValue>;

export class CborDecodeError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.CBOR_INVALID, `The security key sent malformed data (${detail}).`);
  }
}

const MAX_DEPTH = 16;
const MAJOR_UINT = 0, MAJOR_NINT = 1, MAJOR_BYTES = 2, MAJOR_TEXT = 3, MAJOR_ARRAY = 4, MAJOR_MAP = 5, MAJOR_TAG = 6, MAJOR_SIMPLE = 7;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Strict CTAP2 canonical CBOR decoder: definite lengths, shortest-form heads, no tags, no
 * floats, integers within ±2^53, map keys int or text, unique and in canonical order. cbor-x
 * is lenient on all of these, and a reply that breaks them is a broken (or hostile) device.
 */
class StrictReader {
  pos: number;
  constructor(private readonly buf: Buffer, start: number) {
    this.pos = start;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new CborDecodeError('truncated');
  }

  private head(): { major: number; arg: number; info: number } {
    this.need(1);
    const ib = this.buf[this.pos++] as number;
    const major = ib >> 5;
    const info = ib & 0x1f;
    if (info < 24) return { major, arg: info, info };
    let arg: number;
    if (info === 24) {
      this.need(1);
      arg = this.buf[this.pos] as number;
      this.pos += 1;
      if (arg < 24 && major !== MAJOR_SIMPLE) throw new CborDecodeError('non-shortest integer');
    } else if (info === 25) {
      this.need(2);
      arg = this.buf.readUInt16BE(this.pos);
      this.pos += 2;
      if (arg < 0x100) throw new CborDecodeError('non-shortest integer');
    } else if (info === 26) {
      this.need(4);
      arg = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      if (arg < 0x10000) throw new CborDecodeError('non-shortest integer');
    } else if (info === 27) {
      this.need(8);
      const big = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      if (big < 0x100000000n) throw new CborDecodeError('non-shortest integer');
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new CborDecodeError('integer too large');
      arg = Number(big);
    } else {
      throw new CborDecodeError('indefinite length or reserved encoding');
    }
    return { major, arg, info };
  }

  item(depth: number): CborValue {
    if (depth > MAX_DEPTH) throw new CborDecodeError('nested too deeply');
    const { major, arg, info } = this.head();
    switch (major) {
      case MAJOR_UINT:
        return arg;
      case MAJOR_NINT:
        return -1 - arg;
      case MAJOR_BYTES: {
        this.need(arg);
        const out = Buffer.from(this.buf.subarray(this.pos, this.pos + arg));
        this.pos += arg;
        return out;
      }
      case MAJOR_TEXT: {
        this.need(arg);
        let s: string;
        try {
          s = utf8.decode(this.buf.subarray(this.pos, this.pos + arg));
        } catch {
          throw new CborDecodeError('invalid UTF-8 text');
        }
        this.pos += arg;
        return s;
      }
      case MAJOR_ARRAY: {
        // Every element takes at least one byte: reject absurd counts before allocating.
        this.need(arg);
        const out: CborValue[] = [];
        for (let i = 0; i < arg; i++) out.push(this.item(depth + 1));
        return out;
      }
      case MAJOR_MAP: {
        this.need(arg * 2);
        const out: CborMap = new Map();
        let prevKey: Buffer | undefined;
        for (let i = 0; i < arg; i++) {
          const keyStart = this.pos;
          const key = this.item(depth + 1);
          if (typeof key !== 'number' && typeof key !== 'string') throw new CborDecodeError('map key is not an integer or text');
          const keyBytes = this.buf.subarray(keyStart, this.pos);
          if (prevKey && compareCanonical(prevKey, keyBytes) >= 0) throw new CborDecodeError('map keys not unique or not in canonical order');
          prevKey = keyBytes;
          out.set(key, this.item(depth + 1));
        }
        return out;
      }
      case MAJOR_TAG:
        throw new CborDecodeError('tags are not allowed');
      default:
        if (major !== MAJOR_SIMPLE) throw new CborDecodeError('unknown major type');
        if (info === 20) return false;
        if (info === 21) return true;
        if (info === 22) return null;
        if (info === 23) return undefined;
        throw new CborDecodeError('floats and simple values are not allowed');
    }
  }
}

/** CTAP2 canonical key order: major type, then encoded length, then bytes. */
function compareCanonical(a: Buffer, b: Buffer): number {
  const ma = (a[0] ?? 0) >> 5, mb = (b[0] ?? 0) >> 5;
  if (ma !== mb) return ma - mb;
  if (a.length !== b.length) return a.length - b.length;
  return Buffer.compare(a, b);
}

/** Decodes exactly one item filling the whole buffer. */
export function decodeCbor(buf: Buffer): CborValue {
  const r = new StrictReader(buf, 0);
  const v = r.item(0);
  if (r.pos !== buf.length) throw new CborDecodeError(`${buf.length - r.pos} trailing bytes`);
  return v;
}

/** Decodes one item starting at `offset`; returns it and where it ended (authData walks COSE + extensions). */
export function decodeCborPrefix(buf: Buffer, offset: number): { value: CborValue; end: number } {
  const r = new StrictReader(buf, offset);
  const value = r.item(0);
  return { value, end: r.pos };
}
