// The x64 layout of webauthn.h structures as a C compiler computed it from Microsoft's header
// (test/fixtures/webauthn-win/sdk-x64-layout.json). Tests read and write native memory by these
// numbers only, independently of the koffi declarations under test.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const LayoutFile = z.object({
  _source: z.string(),
  structs: z.record(z.string(), z.object({ size: z.number().int().positive(), offsets: z.record(z.string(), z.number().int().nonnegative()) })),
});

const parsed = LayoutFile.parse(JSON.parse(readFileSync(new URL('../../fixtures/webauthn-win/sdk-x64-layout.json', import.meta.url), 'utf8')));

export interface StructLayout {
  size: number;
  at(field: string): number;
  offsets: Record<string, number>;
}

export function sdkStruct(name: string): StructLayout {
  const s = parsed.structs[name];
  if (!s) throw new Error(`no SDK layout for ${name}`);
  return {
    size: s.size,
    offsets: s.offsets,
    at(field: string): number {
      const off = s.offsets[field];
      if (off === undefined) throw new Error(`no SDK offset for ${name}.${field}`);
      return off;
    },
  };
}

export const SDK = {
  rp: sdkStruct('WEBAUTHN_RP_ENTITY_INFORMATION'),
  user: sdkStruct('WEBAUTHN_USER_ENTITY_INFORMATION'),
  clientData: sdkStruct('WEBAUTHN_CLIENT_DATA'),
  coseParam: sdkStruct('WEBAUTHN_COSE_CREDENTIAL_PARAMETER'),
  coseParams: sdkStruct('WEBAUTHN_COSE_CREDENTIAL_PARAMETERS'),
  credential: sdkStruct('WEBAUTHN_CREDENTIAL'),
  credentials: sdkStruct('WEBAUTHN_CREDENTIALS'),
  credProtectIn: sdkStruct('WEBAUTHN_CRED_PROTECT_EXTENSION_IN'),
  extension: sdkStruct('WEBAUTHN_EXTENSION'),
  extensions: sdkStruct('WEBAUTHN_EXTENSIONS'),
  makeCredentialOptions: sdkStruct('WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS'),
  getAssertionOptions: sdkStruct('WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS'),
  credentialAttestation: sdkStruct('WEBAUTHN_CREDENTIAL_ATTESTATION'),
  assertion: sdkStruct('WEBAUTHN_ASSERTION'),
  guid: sdkStruct('GUID'),
};
