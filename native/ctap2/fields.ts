import type { CborMap, CborValue } from './cbor';
import { CborDecodeError } from './cbor';

// Typed field access on decoded CBOR: every response parser goes through these, so a wrong type
// from the key becomes a CborDecodeError naming the field, never a TypeError deep inside.

export function asMap(v: CborValue, what: string): CborMap {
  if (!(v instanceof Map)) throw new CborDecodeError(`${what} is not a map`);
  return v;
}

export function asArray(v: CborValue, what: string): CborValue[] {
  if (!Array.isArray(v)) throw new CborDecodeError(`${what} is not an array`);
  return v;
}

export function asBytes(v: CborValue, what: string): Buffer {
  if (!Buffer.isBuffer(v)) throw new CborDecodeError(`${what} is not a byte string`);
  return v;
}

export function asText(v: CborValue, what: string): string {
  if (typeof v !== 'string') throw new CborDecodeError(`${what} is not text`);
  return v;
}

export function asInt(v: CborValue, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new CborDecodeError(`${what} is not an integer`);
  return v;
}

export function asUint(v: CborValue, what: string): number {
  const n = asInt(v, what);
  if (n < 0) throw new CborDecodeError(`${what} is negative`);
  return n;
}

export function asBool(v: CborValue, what: string): boolean {
  if (typeof v !== 'boolean') throw new CborDecodeError(`${what} is not a boolean`);
  return v;
}

export function required(m: CborMap, key: number | string, what: string): CborValue {
  if (!m.has(key)) throw new CborDecodeError(`${what} is missing`);
  return m.get(key);
}

export function optional<T>(m: CborMap, key: number | string, what: string, conv: (v: CborValue, what: string) => T): T | undefined {
  return m.has(key) ? conv(m.get(key), what) : undefined;
}

export function textArray(v: CborValue, what: string): string[] {
  return asArray(v, what).map((x, i) => asText(x, `${what}[${i}]`));
}

export function uintArray(v: CborValue, what: string): number[] {
  return asArray(v, what).map((x, i) => asUint(x, `${what}[${i}]`));
}

export function exactLength(b: Buffer, len: number, what: string): Buffer {
  if (b.length !== len) throw new CborDecodeError(`${what} must be ${len} bytes, got ${b.length}`);
  return b;
}
