// Turns what webauthn.dll returned into the same records the HID path produces (SkCredential,
// SkAssertion), checking everything OpenSSH relies on: rp id hash, algorithm, credential id,
// credProtect, and for signatures the flags sshd will look at.
import { createHash } from 'node:crypto';
import { Decoder } from 'cbor-x';
import { AuthDataFlag, coseToSkPublicKey, parseAuthData } from '../ctap2/authdata';
import { SkFlag, type CoseAlg, type SkAssertion, type SkCredential } from '../sk/types';
import { EXTENSION_CRED_PROTECT } from './constants';
import { WebAuthnResponseError } from './errors';
import type { RawAssertion, RawCredentialAttestation } from './marshal';

/** The attestation object is plain WebAuthn CBOR {fmt, attStmt, authData}; keep maps as Maps. */
const attestationDecoder = new Decoder({ useRecords: false, mapsAsObjects: false });

/** rpIdHash(32) || flags(1) || counter(4): an ssh assertion carries nothing else. */
const ASSERTION_AUTH_DATA_BYTES = 37;
const DWORD_BYTES = 4;

export interface CredentialExpectation {
  application: string;
  alg: CoseAlg;
  userId: Buffer;
  /** The credProtect level that was required (0 = none). */
  credProtect: number;
}

export interface AssertionExpectation {
  application: string;
  keyHandle: Buffer;
  uv: boolean;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function decodeAttestationObject(bytes: Buffer): { fmt: string; authData: Buffer } {
  let decoded: unknown;
  try {
    decoded = attestationDecoder.decode(bytes);
  } catch (err) {
    throw new WebAuthnResponseError('the attestation object is not CBOR', { cause: err });
  }
  if (!(decoded instanceof Map)) throw new WebAuthnResponseError('the attestation object is not a CBOR map');
  const fmt: unknown = decoded.get('fmt');
  const authData: unknown = decoded.get('authData');
  if (typeof fmt !== 'string') throw new WebAuthnResponseError('the attestation object has no format');
  if (!(authData instanceof Uint8Array)) throw new WebAuthnResponseError('the attestation object has no authenticator data');
  return { fmt, authData: Buffer.from(authData) };
}

/** credProtect as the authenticator reported it: signed authData extension first, Windows' echo second. */
function reportedCredProtect(authDataExtensions: Map<string, unknown> | undefined, raw: RawCredentialAttestation): number {
  const signed = authDataExtensions?.get(EXTENSION_CRED_PROTECT);
  if (typeof signed === 'number') return signed;
  const echoed = raw.extensions.find((e) => e.id === EXTENSION_CRED_PROTECT);
  if (echoed && echoed.data.length === DWORD_BYTES) return echoed.data.readUInt32LE(0);
  return 0;
}

export function credentialFromAttestation(raw: RawCredentialAttestation, expect: CredentialExpectation): SkCredential {
  const { fmt, authData } = decodeAttestationObject(raw.attestationObject);
  if (raw.authenticatorData.length > 0 && !raw.authenticatorData.equals(authData)) {
    throw new WebAuthnResponseError('authenticator data differs from the attestation object');
  }
  const parsed = parseAuthData(authData);
  if (!parsed.rpIdHash.equals(sha256(expect.application))) {
    throw new WebAuthnResponseError(`the credential is not for ${expect.application}`);
  }
  if (!parsed.attested) throw new WebAuthnResponseError('no attested credential data');
  const { credentialId, cose } = parsed.attested;
  if (raw.credentialId.length > 0 && !raw.credentialId.equals(credentialId)) {
    throw new WebAuthnResponseError('credential id differs from the authenticator data');
  }
  const pub = coseToSkPublicKey(cose);
  if (pub.alg !== expect.alg) throw new WebAuthnResponseError(`the key uses COSE algorithm ${pub.alg}, not ${expect.alg}`);
  const credProtect = reportedCredProtect(parsed.extensions, raw);
  if (credProtect < expect.credProtect) {
    // A weaker credential than asked for would let signatures happen without the PIN.
    throw new WebAuthnResponseError(`credProtect ${credProtect} was reported, ${expect.credProtect} was required`);
  }
  return {
    type: pub.type,
    publicKey: pub.publicKey,
    application: expect.application,
    credentialId,
    authData,
    fmt,
    userId: Buffer.from(expect.userId),
    credProtect,
  };
}

export function assertionFromWebAuthn(raw: RawAssertion, expect: AssertionExpectation): SkAssertion {
  if (raw.credentialId.length > 0 && !raw.credentialId.equals(expect.keyHandle)) {
    throw new WebAuthnResponseError('Windows signed with a different credential than requested');
  }
  if (raw.authenticatorData.length !== ASSERTION_AUTH_DATA_BYTES) {
    throw new WebAuthnResponseError(`authenticator data is ${raw.authenticatorData.length} bytes, an ssh signature needs ${ASSERTION_AUTH_DATA_BYTES}`);
  }
  const parsed = parseAuthData(raw.authenticatorData);
  if (!parsed.rpIdHash.equals(sha256(expect.application))) {
    throw new WebAuthnResponseError(`the signature is not for ${expect.application}`);
  }
  if (!(parsed.flags & SkFlag.UserPresenceRequired)) throw new WebAuthnResponseError('the key did not confirm a touch');
  if (expect.uv && !(parsed.flags & AuthDataFlag.UV)) {
    throw new WebAuthnResponseError('the key did not verify the PIN although the SSH key requires it');
  }
  if (raw.signature.length === 0) throw new WebAuthnResponseError('the signature is empty');
  return {
    authData: Buffer.from(raw.authenticatorData),
    signature: Buffer.from(raw.signature),
    flags: parsed.flags,
    counter: parsed.counter,
  };
}
