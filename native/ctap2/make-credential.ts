import { type KeyObject, X509Certificate } from 'node:crypto';
import { type AuthData, AuthDataFlag, parseAuthData } from './authdata';
import type { CborMap } from './cbor';
import { type CoseAlg, type CredentialPublicKey, credentialPublicKey } from './cose';
import { asArray, asBytes, asInt, asMap, asText, optional, required } from './fields';
import { ResponseVerificationError, sha256, signerKeyObject, verifyAuthenticatorSignature } from './verify';

export interface PublicKeyCredentialUser {
  id: Buffer;
  name?: string;
  displayName?: string;
}

/** credProtect extension levels (CTAP 2.1): 3 hides the credential unless the user is verified. */
export const CredProtect = { Optional: 1, OptionalWithCredentialIdList: 2, Required: 3 } as const;

export interface MakeCredentialRequest {
  clientDataHash: Buffer;
  rpId: string;
  rpName?: string;
  user: PublicKeyCredentialUser;
  alg: CoseAlg;
  excludeList?: Buffer[];
  /** credProtect level 1..3; omitted when undefined. */
  credProtect?: 1 | 2 | 3;
  residentKey?: boolean;
}

/** A new credential as the authenticator reported it, after verification. */
export interface MakeCredentialResult extends CredentialPublicKey {
  rpId: string;
  credentialId: Buffer;
  /** Full authenticator data (flags, counter, attested credential data, extensions). */
  authData: Buffer;
  authDataParsed: AuthData;
  /** Attestation statement format, e.g. "packed" or "none". */
  fmt: string;
  userId: Buffer;
  /** credProtect level the authenticator reported (0 when absent). */
  credProtect: number;
  attStmt: CborMap;
  /** True when a packed attestation signature was present and verified. */
  attestationVerified: boolean;
}

export const MakeCredentialKey = {
  clientDataHash: 1, rp: 2, user: 3, pubKeyCredParams: 4, excludeList: 5, extensions: 6, options: 7,
  pinUvAuthParam: 8, pinUvAuthProtocol: 9,
} as const;

/** Canonical request map (keys ascending; string keys in canonical order within each entry). */
export function buildMakeCredentialParams(req: MakeCredentialRequest, auth?: { param: Buffer; protocol: number }): Map<number, unknown> {
  const K = MakeCredentialKey;
  const m = new Map<number, unknown>();
  m.set(K.clientDataHash, req.clientDataHash);
  m.set(K.rp, req.rpName === undefined ? { id: req.rpId } : { id: req.rpId, name: req.rpName });
  const user: Record<string, unknown> = { id: req.user.id };
  if (req.user.name !== undefined) user.name = req.user.name;
  if (req.user.displayName !== undefined) user.displayName = req.user.displayName;
  m.set(K.user, user);
  m.set(K.pubKeyCredParams, [{ alg: req.alg, type: 'public-key' }]);
  if (req.excludeList?.length) m.set(K.excludeList, req.excludeList.map((id) => ({ id, type: 'public-key' })));
  if (req.credProtect !== undefined) m.set(K.extensions, { credProtect: req.credProtect });
  if (req.residentKey) m.set(K.options, { rk: true });
  if (auth) {
    m.set(K.pinUvAuthParam, auth.param);
    m.set(K.pinUvAuthProtocol, auth.protocol);
  }
  return m;
}

/** Parses and verifies a makeCredential reply against what was asked. */
export function parseMakeCredentialResponse(m: CborMap, req: MakeCredentialRequest): MakeCredentialResult {
  const fmt = asText(required(m, 1, 'fmt'), 'fmt');
  const authData = asBytes(required(m, 2, 'authData'), 'authData');
  const attStmt = asMap(required(m, 3, 'attStmt'), 'attStmt');
  const parsed = parseAuthData(authData);
  if (!parsed.rpIdHash.equals(sha256(req.rpId))) throw new ResponseVerificationError('rpIdHash does not match the requested rpId');
  if (!(parsed.flags & AuthDataFlag.UP)) throw new ResponseVerificationError('user presence flag missing');
  if (!parsed.attested) throw new ResponseVerificationError('no attested credential data');
  const { credentialId, cose } = parsed.attested;
  const pk = credentialPublicKey(cose);
  if (pk.alg !== req.alg) throw new ResponseVerificationError(`key algorithm ${pk.alg} instead of the requested ${req.alg}`);
  const credProtectRaw = parsed.extensions?.get('credProtect');
  const credProtect = typeof credProtectRaw === 'number' ? credProtectRaw : 0;
  if (req.credProtect !== undefined && req.credProtect > 1 && credProtect < req.credProtect) {
    throw new ResponseVerificationError(`credProtect ${credProtect} is weaker than the requested ${req.credProtect}`);
  }
  let attestationVerified = false;
  if (fmt === 'packed') {
    attestationVerified = verifyPacked(attStmt, authData, req.clientDataHash, pk);
  }
  return {
    alg: pk.alg,
    publicKey: pk.publicKey,
    rpId: req.rpId,
    credentialId,
    authData,
    fmt,
    userId: req.user.id,
    credProtect,
    authDataParsed: parsed,
    attStmt,
    attestationVerified,
  };
}

/** Packed attestation: with x5c the leaf cert's key signs, without it the credential key (self attestation). */
function verifyPacked(attStmt: CborMap, authData: Buffer, cdh: Buffer, credentialKey: CredentialPublicKey): boolean {
  const alg = asInt(required(attStmt, 'alg', 'attStmt alg'), 'attStmt alg');
  const sig = asBytes(required(attStmt, 'sig', 'attStmt sig'), 'attStmt sig');
  const x5c = optional(attStmt, 'x5c', 'attStmt x5c', asArray);
  let key: KeyObject;
  if (x5c && x5c.length > 0) {
    const der = asBytes(x5c[0], 'attestation certificate');
    try {
      key = new X509Certificate(der).publicKey;
    } catch {
      throw new ResponseVerificationError('attestation certificate cannot be parsed');
    }
  } else {
    key = signerKeyObject(credentialKey);
  }
  if (!verifyAuthenticatorSignature(key, alg, authData, cdh, sig)) throw new ResponseVerificationError('attestation signature is invalid');
  return true;
}
