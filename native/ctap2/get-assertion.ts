import { NbgError } from '../errors';
import { AuthDataFlag, parseAuthData } from './authdata';
import type { CborMap } from './cbor';
import type { CredentialPublicKey } from './cose';
import { asBool, asBytes, asMap, asText, asUint, exactLength, optional, required } from './fields';
import { ResponseVerificationError, sha256, signerKeyObject, verifyAuthenticatorSignature } from './verify';
import { ErrorCode } from '../../electron/shared/error-codes';

export interface GetAssertionRequest {
  rpId: string;
  clientDataHash: Buffer;
  /** Credential ids to try; empty/undefined = discoverable credentials of the rp. */
  allowList?: Buffer[];
  /** Ask for a touch. OpenSSH sends up=false only for no-touch-required keys. */
  userPresence?: boolean;
}

/** One signature as the authenticator made it. */
export interface Assertion {
  /** rpIdHash || flags || counter (|| extensions). */
  authData: Buffer;
  /** Raw authenticator signature: EdDSA 64 bytes, ES256 ASN.1 DER. */
  signature: Buffer;
  flags: number;
  counter: number;
}

export interface AssertionResult extends Assertion {
  credentialId: Buffer;
  userId?: Buffer;
  userName?: string;
  numberOfCredentials?: number;
  userSelected?: boolean;
}

/** What the caller knows about the credential, to verify the reply with. */
export type ExpectedSigner = CredentialPublicKey;

/** The key signed without verifying the user although the credential requires it. */
export class FlagsMismatchError extends NbgError {
  constructor() {
    super(ErrorCode.SK_FLAGS_MISMATCH, 'The security key signed without verifying your PIN although this key requires it; the signature was not used.');
  }
}

/** Refuses an assertion made without user verification (UV) when the credential needs it. */
export function requireUserVerified(assertion: Pick<Assertion, 'flags'>): void {
  if (!(assertion.flags & AuthDataFlag.UV)) throw new FlagsMismatchError();
}

export const GetAssertionKey = { rpId: 1, clientDataHash: 2, allowList: 3, extensions: 4, options: 5, pinUvAuthParam: 6, pinUvAuthProtocol: 7 } as const;

export function buildGetAssertionParams(req: GetAssertionRequest, auth?: { param: Buffer; protocol: number }): Map<number, unknown> {
  const K = GetAssertionKey;
  const m = new Map<number, unknown>();
  m.set(K.rpId, req.rpId);
  m.set(K.clientDataHash, req.clientDataHash);
  if (req.allowList?.length) m.set(K.allowList, req.allowList.map((id) => ({ id, type: 'public-key' })));
  if (req.userPresence === false) m.set(K.options, { up: false });
  if (auth) {
    m.set(K.pinUvAuthParam, auth.param);
    m.set(K.pinUvAuthProtocol, auth.protocol);
  }
  return m;
}

/**
 * Parses a getAssertion/getNextAssertion reply and checks it: rpIdHash, UP when asked, no
 * stray extensions (sshd cannot verify them), credential in the allowList, and - when the
 * signer is known - the signature over authData || clientDataHash.
 */
export function parseGetAssertionResponse(m: CborMap, req: GetAssertionRequest, signer?: ExpectedSigner): AssertionResult {
  const authData = asBytes(required(m, 2, 'authData'), 'authData');
  const signature = asBytes(required(m, 3, 'signature'), 'signature');
  const credMap = optional(m, 1, 'credential', asMap);
  let credentialId: Buffer | undefined;
  if (credMap) credentialId = asBytes(required(credMap, 'id', 'credential id'), 'credential id');
  else if (req.allowList?.length === 1) credentialId = req.allowList[0];
  if (!credentialId) throw new ResponseVerificationError('credential id missing');
  if (req.allowList?.length && !req.allowList.some((id) => id.equals(credentialId))) {
    throw new ResponseVerificationError('the key answered for a credential that was not asked for');
  }
  const parsed = parseAuthData(authData);
  if (!parsed.rpIdHash.equals(sha256(req.rpId))) throw new ResponseVerificationError('rpIdHash does not match the rpId');
  if (req.userPresence !== false && !(parsed.flags & AuthDataFlag.UP)) throw new ResponseVerificationError('user presence flag missing');
  if (parsed.attested) throw new ResponseVerificationError('unexpected attested credential data in an assertion');
  if (signer) {
    if (!verifyAuthenticatorSignature(signerKeyObject(signer), signer.alg, authData, req.clientDataHash, signature)) {
      throw new ResponseVerificationError('assertion signature does not verify with the stored public key');
    }
  }
  const out: AssertionResult = { authData, signature, flags: parsed.flags, counter: parsed.counter, credentialId };
  const user = optional(m, 4, 'user', asMap);
  if (user) {
    out.userId = asBytes(required(user, 'id', 'user id'), 'user id');
    const name = optional(user, 'name', 'user name', asText);
    if (name !== undefined) out.userName = name;
  }
  const n = optional(m, 5, 'numberOfCredentials', asUint);
  if (n !== undefined) out.numberOfCredentials = n;
  const sel = optional(m, 6, 'userSelected', asBool);
  if (sel !== undefined) out.userSelected = sel;
  const lbk = optional(m, 7, 'largeBlobKey', asBytes);
  if (lbk) exactLength(lbk, 32, 'largeBlobKey');
  return out;
}
