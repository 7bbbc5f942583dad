import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { NbgError } from '../errors';
import { CoseAlg, SkKeyType } from '../sk/types';

export class ResponseVerificationError extends NbgError {
  constructor(detail: string) {
    super('CTAP2_RESPONSE_INVALID', `The security key's answer failed verification (${detail}). Do not trust this key; try another.`);
  }
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Node KeyObject for an sk public key (Ed25519 raw 32 bytes or P-256 SEC1 uncompressed 65 bytes). */
export function skPublicKeyObject(type: SkKeyType, publicKey: Buffer): KeyObject {
  try {
    if (type === SkKeyType.Ed25519) {
      if (publicKey.length !== 32) throw new Error('Ed25519 key must be 32 bytes');
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') }, format: 'jwk' });
    }
    if (publicKey.length !== 65 || publicKey[0] !== 0x04) throw new Error('P-256 key must be a 65-byte uncompressed point');
    return createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: publicKey.subarray(1, 33).toString('base64url'), y: publicKey.subarray(33).toString('base64url') },
      format: 'jwk',
    });
  } catch (err) {
    throw new ResponseVerificationError(`unusable public key: ${(err as Error).message}`);
  }
}

/** Checks an authenticator signature over authData || clientDataHash. */
export function verifyAuthenticatorSignature(key: KeyObject, alg: number, authData: Buffer, clientDataHash: Buffer, signature: Buffer): boolean {
  const signed = Buffer.concat([authData, clientDataHash]);
  try {
    if (alg === CoseAlg.EdDSA) return verify(null, signed, key, signature);
    if (alg === CoseAlg.ES256) return verify('sha256', signed, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false; // malformed DER or wrong key type: simply not a valid signature
  }
  throw new ResponseVerificationError(`unsupported signature algorithm ${alg}`);
}
