// Turns what webauthn.dll returned into the records the HID path produces, by handing the bytes to
// the HID path's own response parsers: the attestation object becomes a CTAP makeCredential reply
// {1: fmt, 2: authData, 3: attStmt}, the assertion a CTAP getAssertion reply {1: credential,
// 2: authData, 3: signature, 4: user}. Same checks, same records, same errors.
import { AUTH_DATA_FIXED_BYTES } from '../ctap2/authdata';
import { decodeCbor, type CborMap, type CborValue } from '../ctap2/cbor';
import type { CoseAlg } from '../ctap2/cose';
import { parseGetAssertionResponse, requireUserVerified, type AssertionResult, type ExpectedSigner } from '../ctap2/get-assertion';
import { parseMakeCredentialResponse, type MakeCredentialResult } from '../ctap2/make-credential';
import { sha256 } from '../ctap2/verify';
import { CREDENTIAL_TYPE_PUBLIC_KEY, EXTENSION_CRED_PROTECT } from './constants';
import { WebAuthnResponseError } from './errors';
import type { RawAssertion, RawCredentialAttestation } from './marshal';

const DWORD_BYTES = 4;

/** CTAP response keys (authenticatorMakeCredential / authenticatorGetAssertion replies). */
const MakeCredentialReply = { fmt: 1, authData: 2, attStmt: 3 } as const;
const GetAssertionReply = { credential: 1, authData: 2, signature: 3, user: 4 } as const;

export interface CredentialExpectation {
  application: string;
  alg: CoseAlg;
  userId: Buffer;
  /** The enrollment challenge (Windows hashed it into clientDataHash; attestation signs that). */
  challenge: Buffer;
  /** The credProtect level that was required (0 = none). */
  credProtect: number;
  residentKey: boolean;
}

export interface AssertionExpectation {
  application: string;
  keyHandle: Buffer;
  /** The data that was signed (Windows hashed it into clientDataHash). */
  data: Buffer;
  uv: boolean;
  /** The stored public key, to verify the signature before use (as the HID path does). */
  signer?: ExpectedSigner;
}

/** The attestation object is WebAuthn CBOR {fmt, attStmt, authData}, read as strictly as a CTAP reply. */
function decodeAttestationObject(bytes: Buffer): Map<unknown, unknown> {
  let decoded: unknown;
  try {
    decoded = decodeCbor(bytes);
  } catch (err) {
    throw new WebAuthnResponseError('the attestation object is not CBOR', { cause: err });
  }
  if (!(decoded instanceof Map)) throw new WebAuthnResponseError('the attestation object is not a CBOR map');
  return decoded;
}

/** Windows' echo of the credProtect level (a DWORD in the Extensions array), if any. */
function echoedCredProtect(raw: RawCredentialAttestation): number {
  const echoed = raw.extensions.find((e) => e.id === EXTENSION_CRED_PROTECT);
  return echoed && echoed.data.length === DWORD_BYTES ? echoed.data.readUInt32LE(0) : 0;
}

export function credentialFromAttestation(raw: RawCredentialAttestation, expect: CredentialExpectation): MakeCredentialResult {
  const obj = decodeAttestationObject(raw.attestationObject);
  if (raw.formatType !== null && raw.formatType !== obj.get('fmt')) {
    throw new WebAuthnResponseError('the attestation format differs from the attestation object');
  }
  const authData = obj.get('authData');
  if (Buffer.isBuffer(authData) && raw.authenticatorData.length > 0 && !raw.authenticatorData.equals(authData)) {
    throw new WebAuthnResponseError('authenticator data differs from the attestation object');
  }
  const reply: CborMap = new Map<number, CborValue>([
    [MakeCredentialReply.fmt, obj.get('fmt') as CborValue],
    [MakeCredentialReply.authData, authData as CborValue],
    [MakeCredentialReply.attStmt, obj.get('attStmt') as CborValue],
  ]);
  // credProtect is checked below so Windows' echo can stand in when authData omits the extension.
  const cred = parseMakeCredentialResponse(reply, {
    clientDataHash: sha256(expect.challenge),
    rpId: expect.application,
    user: { id: expect.userId },
    alg: expect.alg,
    residentKey: expect.residentKey,
  });
  if (raw.credentialId.length > 0 && !raw.credentialId.equals(cred.credentialId)) {
    throw new WebAuthnResponseError('credential id differs from the authenticator data');
  }
  const credProtect = cred.credProtect || echoedCredProtect(raw);
  if (credProtect < expect.credProtect) {
    // A weaker credential than asked for would let signatures happen without the PIN.
    throw new WebAuthnResponseError(`credProtect ${credProtect} was reported, ${expect.credProtect} was required`);
  }
  return { ...cred, credProtect, userId: Buffer.from(expect.userId) };
}

export function assertionFromWebAuthn(raw: RawAssertion, expect: AssertionExpectation): AssertionResult {
  if (raw.authenticatorData.length !== AUTH_DATA_FIXED_BYTES) {
    throw new WebAuthnResponseError(`authenticator data is ${raw.authenticatorData.length} bytes, an ssh signature needs ${AUTH_DATA_FIXED_BYTES}`);
  }
  const reply: CborMap = new Map<number, CborValue>([
    [GetAssertionReply.authData, raw.authenticatorData],
    [GetAssertionReply.signature, raw.signature],
  ]);
  if (raw.credentialId.length > 0) {
    reply.set(GetAssertionReply.credential, new Map<string, CborValue>([['id', raw.credentialId], ['type', CREDENTIAL_TYPE_PUBLIC_KEY]]));
  }
  if (raw.userId.length > 0) reply.set(GetAssertionReply.user, new Map<string, CborValue>([['id', raw.userId]]));
  const assertion = parseGetAssertionResponse(reply, {
    rpId: expect.application,
    clientDataHash: sha256(expect.data),
    allowList: [expect.keyHandle],
    userPresence: true,
  }, expect.signer);
  if (expect.uv) requireUserVerified(assertion);
  return assertion;
}
