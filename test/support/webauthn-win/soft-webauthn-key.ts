// What a FIDO2 key behind Windows WebAuthn would return, computed with a software key (SoftSk):
// makeCredential authData (attested credential + credProtect extension) in a "none" attestation
// object, and assertions over SHA-256(client data). Windows hashes the client data bytes; so do we.
import { createHash } from 'node:crypto';
import { AuthDataFlag } from '../../../native/ctap2/authdata';
import { encodeCbor } from '../../../native/ctap2/cbor';
import { CoseAlg, coseKeyToMap, CoseCrv, CoseKty, type CoseKey } from '../../../native/ctap2/cose';
import { SkFlag, SkKeyType } from '../../../native/sk/types';
import type { SoftSk } from '../soft-sk';
import type { AssertionResult, AttestationResult } from './webauthn-results';

/** YubiKey 5 NFC (firmware 5.2/5.4) AAGUID, as a realistic value. */
export const YUBIKEY_5_AAGUID = Buffer.from('2fc0579f811347eab116bb5a8db9202a', 'hex');

function coseKeyOf(soft: SoftSk): CoseKey {
  const pub = soft.publicKey.publicKey;
  if (soft.publicKey.type === SkKeyType.Ed25519) return { kty: CoseKty.OKP, alg: CoseAlg.EdDSA, crv: CoseCrv.Ed25519, x: pub };
  return { kty: CoseKty.EC2, alg: CoseAlg.ES256, crv: CoseCrv.P256, x: pub.subarray(1, 33), y: pub.subarray(33, 65) };
}

export function makeCredentialResult(soft: SoftSk, opts: { credProtect: number; uv: boolean; echoCredProtect?: boolean }): AttestationResult {
  const credentialId = soft.handle.keyHandle;
  const idLen = Buffer.alloc(2);
  idLen.writeUInt16BE(credentialId.length);
  const flags = SkFlag.UserPresenceRequired | (opts.uv ? AuthDataFlag.UV : 0) | AuthDataFlag.AT | (opts.credProtect ? AuthDataFlag.ED : 0);
  const authenticatorData = Buffer.concat([
    createHash('sha256').update(soft.publicKey.application).digest(),
    Buffer.from([flags]),
    Buffer.alloc(4),
    YUBIKEY_5_AAGUID,
    idLen,
    credentialId,
    encodeCbor(coseKeyToMap(coseKeyOf(soft))),
    opts.credProtect ? encodeCbor(new Map([['credProtect', opts.credProtect]])) : Buffer.alloc(0),
  ]);
  const attestationStatement = encodeCbor(new Map());
  const attestationObject = encodeCbor(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authenticatorData]]));
  return {
    formatType: 'none',
    authenticatorData,
    attestationStatement,
    attestationObject,
    credentialId,
    ...(opts.credProtect && opts.echoCredProtect !== false ? { credProtect: opts.credProtect } : {}),
  };
}

export function assertionResult(soft: SoftSk, clientData: Buffer, uv: boolean): AssertionResult {
  soft.assertionFlags = SkFlag.UserPresenceRequired | (uv ? SkFlag.UserVerificationRequired : 0);
  const a = soft.assert(clientData);
  return { authenticatorData: a.authData, signature: a.signature, credentialId: soft.handle.keyHandle, userId: Buffer.alloc(0) };
}
