// OpenSSH public key blobs and `.pub` lines (PROTOCOL.u2f, sshkey.c), for the two sk types in
// full and for ordinary key types far enough to validate them and print their fingerprints.
import { createHash, createPublicKey, KeyObject } from 'node:crypto';
import { errorMessage } from '../errors';
import { PublicKeyFormatError } from './errors';
import { SkKeyType, type SkPublicKey } from './types';
import { SshReader, SshWriter } from './wire';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const P256_POINT_BYTES = 65;
const NISTP256 = 'nistp256';
/** ssh-keygen refuses smaller RSA keys (SSH_RSA_MINIMUM_MODULUS_SIZE). */
const RSA_MINIMUM_BITS = 1024;

const ECDSA_CURVES = {
  'ecdsa-sha2-nistp256': { name: 'nistp256', jwk: 'P-256', bits: 256, coord: 32 },
  'ecdsa-sha2-nistp384': { name: 'nistp384', jwk: 'P-384', bits: 384, coord: 48 },
  'ecdsa-sha2-nistp521': { name: 'nistp521', jwk: 'P-521', bits: 521, coord: 66 },
} as const;
type EcdsaType = keyof typeof ECDSA_CURVES;

/** Key types this module understands, with the label `ssh-keygen -l` prints for each. */
const KEY_LABELS: Record<string, string> = {
  [SkKeyType.Ed25519]: 'ED25519-SK',
  [SkKeyType.EcdsaP256]: 'ECDSA-SK',
  'ssh-ed25519': 'ED25519',
  'ecdsa-sha2-nistp256': 'ECDSA',
  'ecdsa-sha2-nistp384': 'ECDSA',
  'ecdsa-sha2-nistp521': 'ECDSA',
  'ssh-rsa': 'RSA',
};

/** A validated public key of any supported type. */
export interface ParsedPublicKey {
  /** Key type name as in the blob, e.g. "sk-ssh-ed25519@openssh.com" or "ssh-rsa". */
  type: string;
  /** The complete public key blob (what agents, authorized_keys and fingerprints use). */
  blob: Buffer;
  /** Key size as `ssh-keygen -l` prints it. */
  bits: number;
  /** Present for the two sk types. */
  sk?: SkPublicKey;
}

export interface PublicKeyLine {
  key: ParsedPublicKey;
  comment: string;
}

export function isSkKeyType(type: string): type is SkKeyType {
  return type === SkKeyType.Ed25519 || type === SkKeyType.EcdsaP256;
}

export function encodeSkPublicKeyBlob(pub: SkPublicKey): Buffer {
  validateSkKeyMaterial(pub.type, pub.publicKey);
  const w = new SshWriter().string(pub.type);
  if (pub.type === SkKeyType.EcdsaP256) w.string(NISTP256);
  return w.string(pub.publicKey).string(pub.application).toBuffer();
}

/**
 * Reads the sk key fields that follow the type string (shared by public blobs and the private
 * section of openssh-key-v1 files, where the same fields appear).
 */
export function readSkPublicFields(type: SkKeyType, r: SshReader): SkPublicKey {
  if (type === SkKeyType.EcdsaP256) {
    const curve = r.utf8('curve name');
    if (curve !== NISTP256) throw new PublicKeyFormatError(`curve "${curve}" does not match ${type}`);
  }
  const publicKey = Buffer.from(r.string('public key'));
  validateSkKeyMaterial(type, publicKey);
  const application = r.utf8('application');
  return { type, publicKey, application };
}

export function parsePublicKeyBlob(blob: Buffer): ParsedPublicKey {
  try {
    return parseBlob(blob);
  } catch (err) {
    if (err instanceof PublicKeyFormatError) throw err;
    throw new PublicKeyFormatError(errorMessage(err), { cause: err });
  }
}

function parseBlob(blob: Buffer): ParsedPublicKey {
  const r = new SshReader(blob);
  const type = r.utf8('key type');
  const copy = Buffer.from(blob);
  if (isSkKeyType(type)) {
    const sk = readSkPublicFields(type, r);
    r.end('public key');
    return { type, blob: copy, bits: 256, sk };
  }
  if (type === 'ssh-ed25519') {
    const pk = r.string('public key');
    r.end('public key');
    if (pk.length !== ED25519_PUBLIC_KEY_BYTES) throw new PublicKeyFormatError('Ed25519 key is not 32 bytes');
    return { type, blob: copy, bits: 256 };
  }
  if (type in ECDSA_CURVES) {
    const curve = ECDSA_CURVES[type as EcdsaType];
    const name = r.utf8('curve name');
    if (name !== curve.name) throw new PublicKeyFormatError(`curve "${name}" does not match ${type}`);
    const point = r.string('public point');
    r.end('public key');
    ecPublicKeyObject(point, curve.jwk, curve.coord);
    return { type, blob: copy, bits: curve.bits };
  }
  if (type === 'ssh-rsa') {
    const e = r.mpint('RSA exponent');
    const n = r.mpint('RSA modulus');
    r.end('public key');
    const bits = bitLength(n);
    if (bits < RSA_MINIMUM_BITS) throw new PublicKeyFormatError(`RSA key has only ${bits} bits`);
    if (e.length === 0) throw new PublicKeyFormatError('RSA exponent is zero');
    return { type, blob: copy, bits };
  }
  throw new PublicKeyFormatError(`unsupported key type "${type}"`);
}

/** `<type> <base64 blob> <comment>` with a final newline, as ssh-keygen writes `.pub` files. */
export function formatPublicKeyLine(blob: Buffer, comment: string): string {
  const { type } = parsePublicKeyBlob(blob);
  if (/[\r\n]/.test(comment)) throw new PublicKeyFormatError('the comment contains a line break');
  return `${type} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}\n`;
}

const LINE_RE = /^([A-Za-z0-9@.-]+)[ \t]+([A-Za-z0-9+/]+={0,2})(?:[ \t]+(.*))?$/;

/** Parses one `.pub` / authorized_keys-style line without options. Throws PublicKeyFormatError. */
export function parsePublicKeyLine(line: string): PublicKeyLine {
  const trimmed = line.replace(/\r?\n$/, '').trim();
  const m = LINE_RE.exec(trimmed);
  if (!m) throw new PublicKeyFormatError('expected "<type> <base64> [comment]"');
  const [, type, b64, comment] = m;
  const blob = Buffer.from(b64!, 'base64');
  if (blob.toString('base64') !== b64) throw new PublicKeyFormatError('the base64 part is damaged');
  const key = parsePublicKeyBlob(blob);
  if (key.type !== type) throw new PublicKeyFormatError(`line says ${type} but the key inside is ${key.type}`);
  return { key, comment: (comment ?? '').trim() };
}

/** True when `line` is a single valid OpenSSH public key line of a supported type. */
export function isValidPublicKeyLine(line: string): boolean {
  try {
    parsePublicKeyLine(line);
    return true;
  } catch {
    return false;
  }
}

/** `SHA256:<unpadded base64>` exactly as ssh-keygen prints it. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The line `ssh-keygen -l -f` prints: `<bits> <fingerprint> <comment> (<TYPE>)`. */
export function fingerprintLine(blob: Buffer, comment: string): string {
  const key = parsePublicKeyBlob(blob);
  return `${key.bits} ${fingerprintSha256(blob)} ${comment || 'no comment'} (${KEY_LABELS[key.type]})`;
}

/** node:crypto key object for a plain public key (ed25519, ecdsa, rsa) that parsePublicKeyBlob read. */
export function publicKeyObject(key: ParsedPublicKey): KeyObject {
  if (key.sk) return skPublicKeyObject(key.sk);
  const r = new SshReader(key.blob);
  r.string('key type');
  if (key.type in ECDSA_CURVES) {
    const curve = ECDSA_CURVES[key.type as EcdsaType];
    r.string('curve name');
    return ecPublicKeyObject(r.string('public point'), curve.jwk, curve.coord);
  }
  if (key.type === 'ssh-rsa') {
    const e = r.mpint('RSA exponent');
    return createPublicKey({ key: { kty: 'RSA', e: e.toString('base64url'), n: r.mpint('RSA modulus').toString('base64url') }, format: 'jwk' });
  }
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: r.string('public key').toString('base64url') }, format: 'jwk' });
}

/** node:crypto key object for an sk public key (used to verify signatures). */
export function skPublicKeyObject(pub: Pick<SkPublicKey, 'type' | 'publicKey'>): KeyObject {
  if (pub.type === SkKeyType.Ed25519) {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.publicKey.toString('base64url') }, format: 'jwk' });
  }
  return ecPublicKeyObject(pub.publicKey, 'P-256', 32);
}

function validateSkKeyMaterial(type: SkKeyType, publicKey: Buffer): void {
  if (type === SkKeyType.Ed25519) {
    if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) throw new PublicKeyFormatError('Ed25519 key is not 32 bytes');
    return;
  }
  if (type === SkKeyType.EcdsaP256) {
    ecPublicKeyObject(publicKey, 'P-256', 32);
    return;
  }
  throw new PublicKeyFormatError(`unsupported sk key type "${String(type)}"`);
}

function ecPublicKeyObject(point: Buffer, crv: string, coord: number): KeyObject {
  if (point.length !== 1 + 2 * coord || point[0] !== 0x04) {
    throw new PublicKeyFormatError(`${crv} point is not an uncompressed ${1 + 2 * coord}-byte point`);
  }
  try {
    return createPublicKey({
      key: {
        kty: 'EC', crv,
        x: point.subarray(1, 1 + coord).toString('base64url'),
        y: point.subarray(1 + coord).toString('base64url'),
      },
      format: 'jwk',
    });
  } catch (err) {
    throw new PublicKeyFormatError(`${crv} point is not on the curve`, { cause: err });
  }
}

function bitLength(magnitude: Buffer): number {
  if (magnitude.length === 0) return 0;
  return (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]!));
}
