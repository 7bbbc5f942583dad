import { createPublicKey } from 'node:crypto';
import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError, errorMessage } from '../errors';
import { CoseAlg, SkKeyType } from '../sk/types';
import type { CborMap } from './cbor';
import { asBytes, asInt, required } from './fields';

/** COSE_Key labels and values used by FIDO (RFC 8152 / 9053). */
export const CoseLabel = { KTY: 1, ALG: 3, CRV: -1, X: -2, Y: -3 } as const;
export const CoseKty = { OKP: 1, EC2: 2 } as const;
export const CoseCrv = { P256: 1, Ed25519: 6 } as const;
/** ECDH-ES+HKDF-256: the alg FIDO puts on PIN key-agreement keys, "although not the algorithm actually used". */
export const COSE_ALG_ECDH_ES_HKDF_256 = -25;

export type CoseKey =
  | { kty: typeof CoseKty.OKP; alg: number; crv: number; x: Buffer }
  | { kty: typeof CoseKty.EC2; alg: number; crv: number; x: Buffer; y: Buffer };

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
    if (x.length !== 32) throw new CoseKeyError('OKP x must be 32 bytes');
    return { kty, alg, crv, x };
  }
  if (kty === CoseKty.EC2) {
    const y = asBytes(required(m, CoseLabel.Y, 'COSE y'), 'COSE y');
    if (x.length !== 32 || y.length !== 32) throw new CoseKeyError('EC2 coordinates must be 32 bytes');
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
export function p256Point(x: Buffer, y: Buffer): Buffer {
  const point = Buffer.concat([Buffer.from([0x04]), x, y]);
  try {
    // JWK import validates the point (OpenSSL rejects points off the curve).
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') }, format: 'jwk' });
  } catch (err) {
    throw new CoseKeyError(`P-256 point is not on the curve: ${errorMessage(err)}`);
  }
  return point;
}

/** OpenSSH sk public key from a credential's COSE key: Ed25519 → 32 bytes x, ES256 → 0x04||x||y. */
export function coseToSkPublicKey(cose: CoseKey): { alg: CoseAlg; type: SkKeyType; publicKey: Buffer } {
  if (cose.alg === CoseAlg.EdDSA) {
    if (cose.kty !== CoseKty.OKP || cose.crv !== CoseCrv.Ed25519) throw new CoseKeyError('EdDSA key is not OKP/Ed25519');
    return { alg: CoseAlg.EdDSA, type: SkKeyType.Ed25519, publicKey: Buffer.from(cose.x) };
  }
  if (cose.alg === CoseAlg.ES256) {
    if (cose.kty !== CoseKty.EC2 || cose.crv !== CoseCrv.P256) throw new CoseKeyError('ES256 key is not EC2/P-256');
    return { alg: CoseAlg.ES256, type: SkKeyType.EcdsaP256, publicKey: p256Point(cose.x, cose.y) };
  }
  throw new CoseKeyError(`unsupported algorithm ${cose.alg}`);
}
