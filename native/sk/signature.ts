// SSH signature blobs for sk keys (ssh-sk.c sshsk_ed25519_sig / sshsk_ecdsa_sig) and their
// verification exactly as sshd does it (ssh-ed25519-sk.c, ssh-ecdsa-sk.c).
import { createHash, verify as cryptoVerify } from 'node:crypto';
import { ErrorCode } from '../../electron/shared/error-codes';
import { SkSignatureError, SshWireError } from './errors';
import { isSkKeyType, skPublicKeyObject } from './publickey';
import { SkKeyType, type SkAssertion, type SkPublicKey } from './types';
import { SshReader, SshWriter } from './wire';

/** rpIdHash(32) || flags(1) || counter(4): authData without attested data or extensions. */
export const ASSERTION_AUTH_DATA_BYTES = 37;
export const ED25519_SIGNATURE_BYTES = 64;
const P256_SCALAR_BYTES = 32;
/** authData flag: extension data follows; sshd's Ed25519 check has no room for it. */
export const AUTH_DATA_FLAG_ED = 0x80;
const DER_SEQUENCE = 0x30;
const DER_INTEGER = 0x02;

export interface ParsedSkSignature {
  type: SkKeyType;
  /** Ed25519: 64 raw bytes. ECDSA: r || s, each left-padded to 32 bytes (IEEE P1363). */
  signature: Buffer;
  flags: number;
  counter: number;
}

/** Builds `string type, string sig, byte flags, uint32 counter` from one authenticator assertion. */
export function buildSkSignatureBlob(type: SkKeyType, assertion: SkAssertion): Buffer {
  const { authData, flags, counter } = assertion;
  if (authData.length !== ASSERTION_AUTH_DATA_BYTES) {
    throw new SkSignatureError(ErrorCode.SK_SIGNATURE_EXTENSIONS, 'The security key returned extension data with its signature; OpenSSH cannot use such a signature.');
  }
  if (authData[32] !== flags || authData.readUInt32BE(33) !== counter) {
    throw new SkSignatureError(ErrorCode.SK_ASSERTION_MISMATCH, 'The security key response is inconsistent (flags or counter differ from its authenticator data).');
  }
  if (flags & AUTH_DATA_FLAG_ED) {
    throw new SkSignatureError(ErrorCode.SK_SIGNATURE_EXTENSIONS, 'The security key flagged extension data in its signature; OpenSSH cannot use such a signature.');
  }
  let inner: Buffer;
  if (type === SkKeyType.Ed25519) {
    if (assertion.signature.length !== ED25519_SIGNATURE_BYTES) {
      throw new SkSignatureError(ErrorCode.SK_SIGNATURE_MALFORMED, `Ed25519 signature from the key is ${assertion.signature.length} bytes, expected 64.`);
    }
    inner = assertion.signature;
  } else {
    const { r, s } = parseDerEcdsaSignature(assertion.signature);
    inner = new SshWriter().mpint(r).mpint(s).toBuffer();
  }
  return new SshWriter().string(type).string(inner).byte(flags).uint32(counter).toBuffer();
}

export function parseSkSignatureBlob(blob: Buffer): ParsedSkSignature {
  try {
    const r = new SshReader(blob);
    const type = r.utf8('signature type');
    if (!isSkKeyType(type)) throw new SkSignatureError(ErrorCode.SK_SIGNATURE_MALFORMED, `Signature type "${type}" is not an sk type.`);
    const inner = r.string('signature');
    const flags = r.byte('flags');
    const counter = r.uint32('counter');
    r.end('signature');
    let signature: Buffer;
    if (type === SkKeyType.Ed25519) {
      if (inner.length !== ED25519_SIGNATURE_BYTES) throw new SkSignatureError(ErrorCode.SK_SIGNATURE_MALFORMED, 'Ed25519 signature is not 64 bytes.');
      signature = Buffer.from(inner);
    } else {
      const ir = new SshReader(inner);
      const rr = ir.mpint('r');
      const ss = ir.mpint('s');
      ir.end('ECDSA signature');
      signature = Buffer.concat([leftPad(rr), leftPad(ss)]);
    }
    return { type, signature, flags, counter };
  } catch (err) {
    if (err instanceof SshWireError) throw new SkSignatureError(ErrorCode.SK_SIGNATURE_MALFORMED, err.message);
    throw err;
  }
}

/** What the authenticator signs: SHA256(application) || flags || counter || SHA256(data). */
export function skSignedMessage(application: string, flags: number, counter: number, data: Buffer): Buffer {
  const fc = Buffer.alloc(5);
  fc[0] = flags;
  fc.writeUInt32BE(counter >>> 0, 1);
  return Buffer.concat([
    createHash('sha256').update(application, 'utf8').digest(),
    fc,
    createHash('sha256').update(data).digest(),
  ]);
}

/**
 * Verifies an sk signature blob over `data` like sshd does; returns the signed flags and counter
 * for policy checks (UP/UV). Throws SkSignatureError on any mismatch.
 */
export function verifySkSignature(pub: SkPublicKey, data: Buffer, sigBlob: Buffer): { flags: number; counter: number } {
  const sig = parseSkSignatureBlob(sigBlob);
  if (sig.type !== pub.type) throw new SkSignatureError(ErrorCode.SK_SIGNATURE_INVALID, `Signature type ${sig.type} does not match key type ${pub.type}.`);
  if (sig.flags & AUTH_DATA_FLAG_ED) throw new SkSignatureError(ErrorCode.SK_SIGNATURE_EXTENSIONS, 'Signature flags announce extension data, which sk signatures cannot carry.');
  const message = skSignedMessage(pub.application, sig.flags, sig.counter, data);
  const key = skPublicKeyObject(pub);
  const ok = pub.type === SkKeyType.Ed25519
    ? cryptoVerify(null, message, key, sig.signature)
    : cryptoVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, sig.signature);
  if (!ok) throw new SkSignatureError(ErrorCode.SK_SIGNATURE_INVALID, 'The signature does not verify with this key.');
  return { flags: sig.flags, counter: sig.counter };
}

function leftPad(magnitude: Buffer): Buffer {
  if (magnitude.length > P256_SCALAR_BYTES) throw new SkSignatureError(ErrorCode.SK_SIGNATURE_MALFORMED, 'ECDSA signature value is too large for P-256.');
  return Buffer.concat([Buffer.alloc(P256_SCALAR_BYTES - magnitude.length), magnitude]);
}

/** ASN.1 DER `SEQUENCE { INTEGER r, INTEGER s }` (ES256 as authenticators return it) → magnitudes. */
export function parseDerEcdsaSignature(der: Buffer): { r: Buffer; s: Buffer } {
  const seq = readDerTlv(der, 0, DER_SEQUENCE);
  if (seq.next !== der.length) throw badDer('trailing bytes');
  const r = readDerTlv(seq.value, 0, DER_INTEGER);
  const s = readDerTlv(seq.value, r.next, DER_INTEGER);
  if (s.next !== seq.value.length) throw badDer('trailing bytes in SEQUENCE');
  for (const v of [r.value, s.value]) {
    if (v.length === 0 || (v[0]! & 0x80) !== 0) throw badDer('empty or negative INTEGER');
  }
  return { r: r.value, s: s.value };
}

function readDerTlv(buf: Buffer, pos: number, tag: number): { value: Buffer; next: number } {
  if (buf[pos] !== tag) throw badDer(`expected tag 0x${tag.toString(16)}`);
  let len = buf[pos + 1];
  let start = pos + 2;
  if (len === 0x81) {
    // Long form with one length byte; P-256 signatures never need more.
    len = buf[pos + 2];
    start = pos + 3;
    if (len === undefined || len < 0x80) throw badDer('bad length');
  } else if (len === undefined || len >= 0x80) {
    throw badDer('bad length');
  }
  if (start + len > buf.length) throw badDer('truncated');
  return { value: buf.subarray(start, start + len), next: start + len };
}

function badDer(why: string): SkSignatureError {
  return new SkSignatureError(ErrorCode.SK_SIGNATURE_MALFORMED, `ES256 signature from the key is not valid DER (${why}).`);
}
