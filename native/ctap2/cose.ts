import { createPublicKey, type KeyObject } from 'node:crypto';
import { NbgError, errorMessage } from '../errors';
import type { CborMap } from './cbor';
import { asBytes, asInt, required } from './fields';
import { ErrorCode } from '../../electron/shared/error-codes';

/** COSE_Key labels and values used by FIDO (RFC 8152 / 9053). */
export const CoseLabel = { KTY: 1, ALG: 3, CRV: -1, X: -2, Y: -3 } as const;
export const CoseKty = { OKP: 1, EC2: 2 } as const;
export const CoseCrv = { P256: 1, Ed25519: 6 } as const;
/** ECDH-ES+HKDF-256: the alg FIDO puts on PIN key-agreement keys, "although not the algorithm actually used". */
export const COSE_ALG_ECDH_ES_HKDF_256 = -25;

/** The credential algorithms this client asks for and verifies: Ed25519 and ECDSA P-256 with SHA-256. */
export const CoseAlg = { EdDSA: -8, ES256: -7 } as const;
export type CoseAlg = (typeof CoseAlg)[keyof typeof CoseAlg];

const ED25519_KEY_BYTES = 32;
const P256_COORDINATE_BYTES = 32;
/** SEC1 uncompressed point: 0x04 || x || y. */
const SEC1_UNCOMPRESSED = 0x04;
const P256_POINT_BYTES = 1 + 2 * P256_COORDINATE_BYTES;

export type CoseKey =
  | { kty: typeof CoseKty.OKP; alg: number; crv: number; x: Buffer }
  | { kty: typeof CoseKty.EC2; alg: number; crv: number; x: Buffer; y: Buffer };

/**
 * A credential's public key the way CTAP records carry it: the COSE algorithm and the raw key
 * (EdDSA: the 32-byte Ed25519 key; ES256: the 65-byte SEC1 uncompressed point).
 */
export interface CredentialPublicKey {
  alg: CoseAlg;
  publicKey: Buffer;
}

export class CoseKeyError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.COSE_KEY_INVALID, `The security key returned an unusable public key (${detail}).`);
  }
}

export function parseCoseKey(m: CborMap): CoseKey {
  const kty = asInt(required(m, CoseLabel.KTY, 'COSE kty'), 'COSE kty');
  const alg = asInt(required(m, CoseLabel.ALG, 'COSE alg'), 'COSE alg');
  const crv = asInt(required(m, CoseLabel.CRV, 'COSE crv'), 'COSE crv');
  const x = asBytes(required(m, CoseLabel.X, 'COSE x'), 'COSE x');
  if (kty === CoseKty.OKP) {
    if (x.length !== ED25519_KEY_BYTES) throw new CoseKeyError('OKP x must be 32 bytes');
    return { kty, alg, crv, x };
  }
  if (kty === CoseKty.EC2) {
    const y = asBytes(required(m, CoseLabel.Y, 'COSE y'), 'COSE y');
    if (x.length !== P256_COORDINATE_BYTES || y.length !== P256_COORDINATE_BYTES) throw new CoseKeyError('EC2 coordinates must be 32 bytes');
    return { kty, alg, crv, x, y };
  }
  throw new CoseKeyError(`unsupported key type ${kty}`);
}

/** Canonical COSE map (labels 1, 3, -1, -2, -3 in that order). */
export function coseKeyToMap(k: CoseKey): Map<number, number | Buffer> {
  const m = new Map<number, number | Buffer>([[CoseLabel.KTY, k.kty], [CoseLabel.ALG, k.alg], [CoseLabel.CRV, k.crv], [CoseLabel.X, k.x]]);
  if (k.kty === CoseKty.EC2) m.set(CoseLabel.Y, k.y);
  return m;
}

/** Uncompressed SEC1 point of a P-256 key after checking it lies on the curve. */
function p256Point(x: Buffer, y: Buffer): Buffer {
  p256KeyObject(x, y);
  return Buffer.concat([Buffer.from([SEC1_UNCOMPRESSED]), x, y]);
}

/** A credential's COSE key as algorithm + raw key, refusing combinations FIDO does not define. */
export function credentialPublicKey(cose: CoseKey): CredentialPublicKey {
  if (cose.alg === CoseAlg.EdDSA) {
    if (cose.kty !== CoseKty.OKP || cose.crv !== CoseCrv.Ed25519) throw new CoseKeyError('EdDSA key is not OKP/Ed25519');
    return { alg: CoseAlg.EdDSA, publicKey: Buffer.from(cose.x) };
  }
  if (cose.alg === CoseAlg.ES256) {
    if (cose.kty !== CoseKty.EC2 || cose.crv !== CoseCrv.P256) throw new CoseKeyError('ES256 key is not EC2/P-256');
    return { alg: CoseAlg.ES256, publicKey: p256Point(cose.x, cose.y) };
  }
  throw new CoseKeyError(`unsupported algorithm ${cose.alg}`);
}

/** node:crypto key for a credential public key, to verify what the authenticator signed with it. */
export function credentialKeyObject(key: CredentialPublicKey): KeyObject {
  if (key.alg === CoseAlg.EdDSA) {
    if (key.publicKey.length !== ED25519_KEY_BYTES) throw new CoseKeyError(`Ed25519 key is ${key.publicKey.length} bytes`);
    try {
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.publicKey.toString('base64url') }, format: 'jwk' });
    } catch (err) {
      throw new CoseKeyError(`Ed25519 key cannot be imported: ${errorMessage(err)}`);
    }
  }
  if (key.publicKey.length !== P256_POINT_BYTES || key.publicKey[0] !== SEC1_UNCOMPRESSED) {
    throw new CoseKeyError('P-256 key is not a 65-byte uncompressed point');
  }
  return p256KeyObject(key.publicKey.subarray(1, 1 + P256_COORDINATE_BYTES), key.publicKey.subarray(1 + P256_COORDINATE_BYTES));
}

function p256KeyObject(x: Buffer, y: Buffer): KeyObject {
  try {
    // JWK import validates the point (OpenSSL rejects points off the curve).
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') }, format: 'jwk' });
  } catch (err) {
    throw new CoseKeyError(`P-256 point is not on the curve: ${errorMessage(err)}`);
  }
}
