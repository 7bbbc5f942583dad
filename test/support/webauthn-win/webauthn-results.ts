// Images of WEBAUTHN_CREDENTIAL_ATTESTATION and WEBAUTHN_ASSERTION laid out by the SDK offsets, at
// the versions a current Windows 11 returns (attestation v7, assertion v5; later fields zero).
import { SDK } from './sdk-layout';
import { ImageBuilder, type NativeImage } from './native-image';

export const WINDOWS_11_ATTESTATION_VERSION = 7;
export const WINDOWS_11_ASSERTION_VERSION = 5;
export const TRANSPORT_USB = 0x1;

export interface AttestationResult {
  formatType: string;
  authenticatorData: Buffer;
  /** CBOR attStmt (Windows also hands it out separately). */
  attestationStatement: Buffer;
  attestationObject: Buffer;
  credentialId: Buffer;
  /** credProtect echoed in the Extensions array (a DWORD), as Windows does when it was requested. */
  credProtect?: number;
  version?: number;
}

export function credentialAttestationImage(r: AttestationResult): NativeImage {
  const L = SDK.credentialAttestation;
  const b = new ImageBuilder(L.size);
  b.u32(L.at('dwVersion'), r.version ?? WINDOWS_11_ATTESTATION_VERSION);
  b.ptr(L.at('pwszFormatType'), b.wide(r.formatType));
  b.blob(L.at('cbAuthenticatorData'), L.at('pbAuthenticatorData'), r.authenticatorData);
  b.blob(L.at('cbAttestation'), L.at('pbAttestation'), r.attestationStatement);
  b.u32(L.at('dwAttestationDecodeType'), 0).ptr(L.at('pvAttestationDecode'), null);
  b.blob(L.at('cbAttestationObject'), L.at('pbAttestationObject'), r.attestationObject);
  b.blob(L.at('cbCredentialId'), L.at('pbCredentialId'), r.credentialId);
  const extBase = L.at('Extensions');
  if (r.credProtect !== undefined) {
    const E = SDK.extension;
    const array = b.reserve(E.size);
    const level = Buffer.alloc(4);
    level.writeUInt32LE(r.credProtect);
    b.ptr(array + E.at('pwszExtensionIdentifier'), b.wide('credProtect'));
    b.blob(array + E.at('cbExtension'), array + E.at('pvExtension'), level);
    b.u32(extBase + SDK.extensions.at('cExtensions'), 1).ptr(extBase + SDK.extensions.at('pExtensions'), array);
  }
  b.u32(L.at('dwUsedTransport'), TRANSPORT_USB);
  return b.build();
}

export interface AssertionResult {
  authenticatorData: Buffer;
  signature: Buffer;
  credentialId: Buffer;
  userId: Buffer;
  version?: number;
}

export function assertionImage(r: AssertionResult): NativeImage {
  const L = SDK.assertion;
  const C = SDK.credential;
  const b = new ImageBuilder(L.size);
  b.u32(L.at('dwVersion'), r.version ?? WINDOWS_11_ASSERTION_VERSION);
  b.blob(L.at('cbAuthenticatorData'), L.at('pbAuthenticatorData'), r.authenticatorData);
  b.blob(L.at('cbSignature'), L.at('pbSignature'), r.signature);
  const cred = L.at('Credential');
  b.u32(cred + C.at('dwVersion'), 1);
  b.blob(cred + C.at('cbId'), cred + C.at('pbId'), r.credentialId);
  b.ptr(cred + C.at('pwszCredentialType'), b.wide('public-key'));
  b.blob(L.at('cbUserId'), L.at('pbUserId'), r.userId);
  return b.build();
}
