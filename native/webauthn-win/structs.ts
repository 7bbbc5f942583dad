// koffi declarations of the webauthn.h structures at the versions this app uses (see
// constants.ts StructVersion). Every pointer member is `void *` so it crosses as a bigint address
// into memory we allocated ourselves (memory.ts); koffi then never allocates behind our back and
// the layout is exactly what a C compiler builds for x64 Windows (checked in unit tests).
import koffi from 'koffi';

const DWORD = 'uint32_t';
const LONG = 'int32_t';
const BOOL = 'int32_t';
const PTR = 'void *';

export const RP_ENTITY_INFORMATION = koffi.struct('WEBAUTHN_RP_ENTITY_INFORMATION', {
  dwVersion: DWORD,
  pwszId: PTR,
  pwszName: PTR,
  pwszIcon: PTR,
});

export const USER_ENTITY_INFORMATION = koffi.struct('WEBAUTHN_USER_ENTITY_INFORMATION', {
  dwVersion: DWORD,
  cbId: DWORD,
  pbId: PTR,
  pwszName: PTR,
  pwszIcon: PTR,
  pwszDisplayName: PTR,
});

export const CLIENT_DATA = koffi.struct('WEBAUTHN_CLIENT_DATA', {
  dwVersion: DWORD,
  cbClientDataJSON: DWORD,
  pbClientDataJSON: PTR,
  pwszHashAlgId: PTR,
});

export const COSE_CREDENTIAL_PARAMETER = koffi.struct('WEBAUTHN_COSE_CREDENTIAL_PARAMETER', {
  dwVersion: DWORD,
  pwszCredentialType: PTR,
  lAlg: LONG,
});

export const COSE_CREDENTIAL_PARAMETERS = koffi.struct('WEBAUTHN_COSE_CREDENTIAL_PARAMETERS', {
  cCredentialParameters: DWORD,
  pCredentialParameters: PTR,
});

export const CREDENTIAL = koffi.struct('WEBAUTHN_CREDENTIAL', {
  dwVersion: DWORD,
  cbId: DWORD,
  pbId: PTR,
  pwszCredentialType: PTR,
});

export const CREDENTIALS = koffi.struct('WEBAUTHN_CREDENTIALS', {
  cCredentials: DWORD,
  pCredentials: PTR,
});

export const CRED_PROTECT_EXTENSION_IN = koffi.struct('WEBAUTHN_CRED_PROTECT_EXTENSION_IN', {
  dwCredProtect: DWORD,
  bRequireCredProtect: BOOL,
});

export const EXTENSION = koffi.struct('WEBAUTHN_EXTENSION', {
  pwszExtensionIdentifier: PTR,
  cbExtension: DWORD,
  pvExtension: PTR,
});

export const EXTENSIONS = koffi.struct('WEBAUTHN_EXTENSIONS', {
  cExtensions: DWORD,
  pExtensions: PTR,
});

/** Cancellation ids are GUIDs; we only ever pass their address around. */
export const GUID = koffi.struct('WEBAUTHN_GUID', {
  Data1: 'uint32_t',
  Data2: 'uint16_t',
  Data3: 'uint16_t',
  Data4: koffi.array('uint8_t', 8),
});

/** Version 2: up to pCancellationId. */
export const MAKE_CREDENTIAL_OPTIONS = koffi.struct('WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS_V2', {
  dwVersion: DWORD,
  dwTimeoutMilliseconds: DWORD,
  CredentialList: CREDENTIALS,
  Extensions: EXTENSIONS,
  dwAuthenticatorAttachment: DWORD,
  bRequireResidentKey: BOOL,
  dwUserVerificationRequirement: DWORD,
  dwAttestationConveyancePreference: DWORD,
  dwFlags: DWORD,
  pCancellationId: PTR,
});

/** Version 3: up to pCancellationId. */
export const GET_ASSERTION_OPTIONS = koffi.struct('WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS_V3', {
  dwVersion: DWORD,
  dwTimeoutMilliseconds: DWORD,
  CredentialList: CREDENTIALS,
  Extensions: EXTENSIONS,
  dwAuthenticatorAttachment: DWORD,
  dwUserVerificationRequirement: DWORD,
  dwFlags: DWORD,
  pwszU2fAppId: PTR,
  pbU2fAppId: PTR,
  pCancellationId: PTR,
});

/** The fields present in every version webauthn.dll returns (v3 and later). */
export const CREDENTIAL_ATTESTATION = koffi.struct('WEBAUTHN_CREDENTIAL_ATTESTATION_V3', {
  dwVersion: DWORD,
  pwszFormatType: PTR,
  cbAuthenticatorData: DWORD,
  pbAuthenticatorData: PTR,
  cbAttestation: DWORD,
  pbAttestation: PTR,
  dwAttestationDecodeType: DWORD,
  pvAttestationDecode: PTR,
  cbAttestationObject: DWORD,
  pbAttestationObject: PTR,
  cbCredentialId: DWORD,
  pbCredentialId: PTR,
  Extensions: EXTENSIONS,
  dwUsedTransport: DWORD,
});

/** Version 1 fields: everything an ssh signature needs. */
export const ASSERTION = koffi.struct('WEBAUTHN_ASSERTION_V1', {
  dwVersion: DWORD,
  cbAuthenticatorData: DWORD,
  pbAuthenticatorData: PTR,
  cbSignature: DWORD,
  pbSignature: PTR,
  Credential: CREDENTIAL,
  cbUserId: DWORD,
  pbUserId: PTR,
});

/** JS shapes koffi decodes the structures to (pointers as bigint, NULL as null). */
export type Address = bigint | null;

export interface ExtensionsValue { cExtensions: number; pExtensions: Address }
export interface ExtensionValue { pwszExtensionIdentifier: Address; cbExtension: number; pvExtension: Address }
export interface CredentialValue { dwVersion: number; cbId: number; pbId: Address; pwszCredentialType: Address }

export interface CredentialAttestationValue {
  dwVersion: number;
  pwszFormatType: Address;
  cbAuthenticatorData: number;
  pbAuthenticatorData: Address;
  cbAttestation: number;
  pbAttestation: Address;
  dwAttestationDecodeType: number;
  pvAttestationDecode: Address;
  cbAttestationObject: number;
  pbAttestationObject: Address;
  cbCredentialId: number;
  pbCredentialId: Address;
  Extensions: ExtensionsValue;
  dwUsedTransport: number;
}

export interface AssertionValue {
  dwVersion: number;
  cbAuthenticatorData: number;
  pbAuthenticatorData: Address;
  cbSignature: number;
  pbSignature: Address;
  Credential: CredentialValue;
  cbUserId: number;
  pbUserId: Address;
}
