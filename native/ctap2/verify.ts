import { createHash, verify, type KeyObject } from 'node:crypto';
import { NbgError, errorMessage } from '../errors';
import { CoseAlg, credentialKeyObject, type CredentialPublicKey } from './cose';
import { ErrorCode } from '../../electron/shared/error-codes';

export class ResponseVerificationError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.CTAP2_RESPONSE_INVALID, `The security key's answer failed verification (${detail}). Do not trust this key; try another.`);
  }
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** The key a reply must verify with; a key the device itself returned unusable is a bad reply. */
export function signerKeyObject(key: CredentialPublicKey): KeyObject {
  try {
    return credentialKeyObject(key);
  } catch (err) {
    throw new ResponseVerificationError(`unusable public key: ${errorMessage(err)}`);
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
