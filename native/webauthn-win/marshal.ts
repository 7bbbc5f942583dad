// Builds the webauthn.dll request structures in native memory and reads its result structures
// back. Pure data movement: policy (which UV, which credProtect) is decided by the caller.
import koffi from 'koffi';
import {
  AttestationConveyance, AuthenticatorAttachment, CREDENTIAL_TYPE_PUBLIC_KEY, EXTENSION_CRED_PROTECT,
  HASH_ALGORITHM_SHA_256, StructVersion,
} from './constants';
import { WebAuthnResponseError } from './errors';
import { NativeArena, readBytes, readWideString } from './memory';
import {
  ASSERTION, CLIENT_DATA, COSE_CREDENTIAL_PARAMETER, COSE_CREDENTIAL_PARAMETERS, CRED_PROTECT_EXTENSION_IN, CREDENTIAL,
  CREDENTIAL_ATTESTATION, EXTENSION, GET_ASSERTION_OPTIONS, MAKE_CREDENTIAL_OPTIONS, RP_ENTITY_INFORMATION,
  USER_ENTITY_INFORMATION, type Address, type AssertionValue, type CredentialAttestationValue, type ExtensionValue,
} from './structs';

export interface MakeCredentialRequest {
  rpId: string;
  user: { id: Buffer; name: string; displayName: string };
  alg: number;
  /** Raw bytes Windows hashes with SHA-256 into clientDataHash (OpenSSH's challenge). */
  clientData: Buffer;
  residentKey: boolean;
  /** CTAP credProtect level to require; 0 sends no extension. */
  credProtect: number;
  userVerification: number;
  timeoutMs: number;
  cancellationId: Address;
}

export interface EncodedMakeCredential {
  rp: bigint;
  user: bigint;
  pubKeyCredParams: bigint;
  clientData: bigint;
  options: bigint;
}

export interface GetAssertionRequest {
  rpId: string;
  /** Raw bytes Windows hashes with SHA-256 into clientDataHash (the data OpenSSH signs). */
  clientData: Buffer;
  allowCredentialIds: Buffer[];
  userVerification: number;
  timeoutMs: number;
  cancellationId: Address;
}

export interface EncodedGetAssertion {
  rpId: bigint;
  clientData: bigint;
  options: bigint;
}

function encodeClientData(arena: NativeArena, data: Buffer): bigint {
  return arena.struct(CLIENT_DATA, {
    dwVersion: StructVersion.clientData,
    cbClientDataJSON: data.length,
    pbClientDataJSON: arena.bytes(data),
    pwszHashAlgId: arena.wideString(HASH_ALGORITHM_SHA_256),
  });
}

export function encodeMakeCredential(arena: NativeArena, req: MakeCredentialRequest): EncodedMakeCredential {
  // OpenSSH sends no rp name; webauthn.dll accepts NULL as libfido2's Windows build shows.
  const rp = arena.struct(RP_ENTITY_INFORMATION, {
    dwVersion: StructVersion.rpEntity, pwszId: arena.wideString(req.rpId), pwszName: null, pwszIcon: null,
  });
  const user = arena.struct(USER_ENTITY_INFORMATION, {
    dwVersion: StructVersion.userEntity,
    cbId: req.user.id.length,
    pbId: arena.bytes(req.user.id),
    pwszName: arena.wideString(req.user.name),
    pwszIcon: null,
    pwszDisplayName: arena.wideString(req.user.displayName),
  });
  const param = arena.struct(COSE_CREDENTIAL_PARAMETER, {
    dwVersion: StructVersion.coseCredentialParameter,
    pwszCredentialType: arena.wideString(CREDENTIAL_TYPE_PUBLIC_KEY),
    lAlg: req.alg,
  });
  const pubKeyCredParams = arena.struct(COSE_CREDENTIAL_PARAMETERS, { cCredentialParameters: 1, pCredentialParameters: param });
  const extensions = req.credProtect > 0
    ? [{
      pwszExtensionIdentifier: arena.wideString(EXTENSION_CRED_PROTECT),
      cbExtension: koffi.sizeof(CRED_PROTECT_EXTENSION_IN),
      // bRequireCredProtect: fail rather than silently create a weaker credential.
      pvExtension: arena.struct(CRED_PROTECT_EXTENSION_IN, { dwCredProtect: req.credProtect, bRequireCredProtect: 1 }),
    } satisfies ExtensionValue]
    : [];
  const options = arena.struct(MAKE_CREDENTIAL_OPTIONS, {
    dwVersion: StructVersion.makeCredentialOptions,
    dwTimeoutMilliseconds: req.timeoutMs,
    CredentialList: { cCredentials: 0, pCredentials: null },
    Extensions: { cExtensions: extensions.length, pExtensions: arena.structArray(EXTENSION, extensions) },
    // A security key, never Windows Hello's platform authenticator (it cannot hold ed25519-sk keys).
    dwAuthenticatorAttachment: AuthenticatorAttachment.CrossPlatform,
    bRequireResidentKey: req.residentKey ? 1 : 0,
    dwUserVerificationRequirement: req.userVerification,
    dwAttestationConveyancePreference: AttestationConveyance.Direct,
    dwFlags: 0,
    pCancellationId: req.cancellationId,
  });
  return { rp, user, pubKeyCredParams, clientData: encodeClientData(arena, req.clientData), options };
}

export function encodeGetAssertion(arena: NativeArena, req: GetAssertionRequest): EncodedGetAssertion {
  const credentials = req.allowCredentialIds.map((id) => ({
    dwVersion: StructVersion.credential,
    cbId: id.length,
    pbId: arena.bytes(id),
    pwszCredentialType: arena.wideString(CREDENTIAL_TYPE_PUBLIC_KEY),
  }));
  const options = arena.struct(GET_ASSERTION_OPTIONS, {
    dwVersion: StructVersion.getAssertionOptions,
    dwTimeoutMilliseconds: req.timeoutMs,
    CredentialList: { cCredentials: credentials.length, pCredentials: arena.structArray(CREDENTIAL, credentials) },
    Extensions: { cExtensions: 0, pExtensions: null },
    dwAuthenticatorAttachment: AuthenticatorAttachment.CrossPlatform,
    dwUserVerificationRequirement: req.userVerification,
    dwFlags: 0,
    pwszU2fAppId: null,
    pbU2fAppId: null,
    pCancellationId: req.cancellationId,
  });
  return { rpId: arena.wideString(req.rpId), clientData: encodeClientData(arena, req.clientData), options };
}

export interface RawExtension {
  id: string;
  data: Buffer;
}

/** WEBAUTHN_CREDENTIAL_ATTESTATION as plain bytes, copied out of Windows' memory. */
export interface RawCredentialAttestation {
  formatType: string | null;
  authenticatorData: Buffer;
  attestationObject: Buffer;
  credentialId: Buffer;
  extensions: RawExtension[];
}

/** WEBAUTHN_ASSERTION as plain bytes, copied out of Windows' memory. */
export interface RawAssertion {
  authenticatorData: Buffer;
  signature: Buffer;
  credentialId: Buffer;
  userId: Buffer;
}

/** Windows writes a larger, newer struct than we read; check its version before reading our prefix. */
function checkVersion(address: bigint, min: number, what: string): void {
  const version = koffi.decode.uint32(address);
  if (version < min) throw new WebAuthnResponseError(`${what} version ${version} is older than ${min}`);
}

function readExtensions(count: number, array: Address): RawExtension[] {
  if (count === 0 || array === null) return [];
  const size = koffi.sizeof(EXTENSION);
  const out: RawExtension[] = [];
  for (let i = 0; i < count; i++) {
    const ext = koffi.decode(array, i * size, EXTENSION) as ExtensionValue;
    out.push({ id: readWideString(ext.pwszExtensionIdentifier) ?? '', data: readBytes(ext.pvExtension, ext.cbExtension) });
  }
  return out;
}

export function decodeCredentialAttestation(address: bigint): RawCredentialAttestation {
  checkVersion(address, StructVersion.credentialAttestationMin, 'WEBAUTHN_CREDENTIAL_ATTESTATION');
  const v = koffi.decode(address, CREDENTIAL_ATTESTATION) as CredentialAttestationValue;
  return {
    formatType: readWideString(v.pwszFormatType),
    authenticatorData: readBytes(v.pbAuthenticatorData, v.cbAuthenticatorData),
    attestationObject: readBytes(v.pbAttestationObject, v.cbAttestationObject),
    credentialId: readBytes(v.pbCredentialId, v.cbCredentialId),
    extensions: readExtensions(v.Extensions.cExtensions, v.Extensions.pExtensions),
  };
}

export function decodeAssertion(address: bigint): RawAssertion {
  checkVersion(address, StructVersion.assertionMin, 'WEBAUTHN_ASSERTION');
  const v = koffi.decode(address, ASSERTION) as AssertionValue;
  return {
    authenticatorData: readBytes(v.pbAuthenticatorData, v.cbAuthenticatorData),
    signature: readBytes(v.pbSignature, v.cbSignature),
    credentialId: readBytes(v.Credential.pbId, v.Credential.cbId),
    userId: readBytes(v.pbUserId, v.cbUserId),
  };
}
