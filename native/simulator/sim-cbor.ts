import { Decoder } from 'cbor-x';
import { ctapEncoder } from '../ctap2/cbor';

// The simulator decodes with cbor-x (not the client's strict decoder) and checks canonical form
// its own way: sort every map by encoded key bytes, re-encode, compare with what arrived.

const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

export type SimValue = unknown;

function keyBytes(k: unknown): Buffer {
  return Buffer.from(ctapEncoder.encode(k));
}

function canonicalOrder(a: Buffer, b: Buffer): number {
  const ma = (a[0] ?? 0) >> 5, mb = (b[0] ?? 0) >> 5;
  return ma - mb || a.length - b.length || Buffer.compare(a, b);
}

/** Deep copy with every Map's entries in CTAP2 canonical order. */
export function canonicalize(v: SimValue): SimValue {
  if (v instanceof Map) {
    const entries = [...v.entries()].map(([k, val]) => [keyBytes(k), k, canonicalize(val)] as const);
    entries.sort((x, y) => canonicalOrder(x[0], y[0]));
    return new Map(entries.map(([, k, val]) => [k, val]));
  }
  if (Array.isArray(v)) return v.map(canonicalize);
  return v;
}

export function simEncode(v: SimValue): Buffer {
  return Buffer.from(ctapEncoder.encode(canonicalize(v)));
}

/** Decoded value, or null when the bytes are malformed or not canonical. */
export function simDecodeCanonical(bytes: Buffer): SimValue | null {
  let v: SimValue;
  try {
    v = decoder.decode(bytes);
  } catch {
    return null;
  }
  return simEncode(v).equals(bytes) ? v : null;
}
