// The koffi declarations against the x64 layout a C compiler computed from Microsoft's webauthn.h,
// and every structure round-tripped through raw memory laid out by those SDK offsets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import koffi, { type TypeObject } from 'koffi';
import { PROTOTYPES } from '../../../../native/webauthn-win/library';
import * as S from '../../../../native/webauthn-win/structs';
import { sdkStruct, type StructLayout } from '../../../support/webauthn-win/sdk-layout';
import { readPtr, readU32 } from '../../../support/webauthn-win/native-image';

interface Case {
  type: TypeObject;
  sdk: StructLayout;
  /** SDK offset where the next struct version starts (our declaration stops before it). */
  nextVersionField?: string;
}

const CASES: Record<string, Case> = {
  RP_ENTITY_INFORMATION: { type: S.RP_ENTITY_INFORMATION, sdk: sdkStruct('WEBAUTHN_RP_ENTITY_INFORMATION') },
  USER_ENTITY_INFORMATION: { type: S.USER_ENTITY_INFORMATION, sdk: sdkStruct('WEBAUTHN_USER_ENTITY_INFORMATION') },
  CLIENT_DATA: { type: S.CLIENT_DATA, sdk: sdkStruct('WEBAUTHN_CLIENT_DATA') },
  COSE_CREDENTIAL_PARAMETER: { type: S.COSE_CREDENTIAL_PARAMETER, sdk: sdkStruct('WEBAUTHN_COSE_CREDENTIAL_PARAMETER') },
  COSE_CREDENTIAL_PARAMETERS: { type: S.COSE_CREDENTIAL_PARAMETERS, sdk: sdkStruct('WEBAUTHN_COSE_CREDENTIAL_PARAMETERS') },
  CREDENTIAL: { type: S.CREDENTIAL, sdk: sdkStruct('WEBAUTHN_CREDENTIAL') },
  CREDENTIALS: { type: S.CREDENTIALS, sdk: sdkStruct('WEBAUTHN_CREDENTIALS') },
  CRED_PROTECT_EXTENSION_IN: { type: S.CRED_PROTECT_EXTENSION_IN, sdk: sdkStruct('WEBAUTHN_CRED_PROTECT_EXTENSION_IN') },
  EXTENSION: { type: S.EXTENSION, sdk: sdkStruct('WEBAUTHN_EXTENSION') },
  EXTENSIONS: { type: S.EXTENSIONS, sdk: sdkStruct('WEBAUTHN_EXTENSIONS') },
  GUID: { type: S.GUID, sdk: sdkStruct('GUID') },
  MAKE_CREDENTIAL_OPTIONS: {
    type: S.MAKE_CREDENTIAL_OPTIONS, sdk: sdkStruct('WEBAUTHN_AUTHENTICATOR_MAKE_CREDENTIAL_OPTIONS'), nextVersionField: 'pExcludeCredentialList',
  },
  GET_ASSERTION_OPTIONS: {
    type: S.GET_ASSERTION_OPTIONS, sdk: sdkStruct('WEBAUTHN_AUTHENTICATOR_GET_ASSERTION_OPTIONS'), nextVersionField: 'pAllowCredentialList',
  },
  CREDENTIAL_ATTESTATION: { type: S.CREDENTIAL_ATTESTATION, sdk: sdkStruct('WEBAUTHN_CREDENTIAL_ATTESTATION'), nextVersionField: 'bEpAtt' },
  ASSERTION: { type: S.ASSERTION, sdk: sdkStruct('WEBAUTHN_ASSERTION'), nextVersionField: 'Extensions' },
};

type Member = { name: string; type: TypeObject; offset: number };
const membersOf = (t: TypeObject): Member[] => Object.values(koffi.type(t).members ?? {});

/** Every scalar leaf of a struct with its absolute offset, e.g. "CredentialList.pCredentials". */
function leaves(t: TypeObject, base = 0, prefix = ''): { path: string; type: TypeObject; offset: number }[] {
  return membersOf(t).flatMap((m) => m.type.primitive === 'Record'
    ? leaves(m.type, base + m.offset, `${prefix}${m.name}.`)
    : [{ path: `${prefix}${m.name}`, type: m.type, offset: base + m.offset }]);
}

describe('webauthn.h structures (x64)', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: every declared field sits at the SDK offset`, () => {
      const members = membersOf(c.type);
      assert.ok(members.length > 0);
      for (const m of members) assert.equal(m.offset, c.sdk.at(m.name), `${name}.${m.name}`);
    });

    it(`${name}: size matches the SDK at the declared version`, () => {
      const size = koffi.sizeof(c.type);
      if (!c.nextVersionField) {
        assert.equal(size, c.sdk.size);
      } else {
        const last = membersOf(c.type).at(-1)!;
        // The declared prefix ends exactly where the SDK's next-version field begins (up to padding).
        assert.ok(last.offset + last.type.size <= c.sdk.at(c.nextVersionField));
        assert.equal(size, Math.ceil(c.sdk.at(c.nextVersionField) / 8) * 8);
        assert.ok(size <= c.sdk.size);
      }
    });

    it(`${name}: marshalling round-trips through raw memory at SDK offsets`, () => {
      const fields = leaves(c.type);
      // Distinct, recognisable values per field; pointers are never dereferenced here.
      const values = fields.map((f, i) => (f.type.primitive === 'Pointer' ? 0x1000_0000_0000n + BigInt(i) * 0x10n : 0x0101 * (i + 1)));
      const value: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        const parts = f.path.split('.');
        let node = value;
        for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
        node[parts.at(-1)!] = f.type.primitive === 'Array' ? new Array(f.type.length ?? 0).fill(i) : values[i];
      });
      const size = koffi.sizeof(c.type);
      const mem = koffi.alloc('uint8_t', size) as bigint;
      try {
        // koffi → memory: read back by raw offsets.
        koffi.encode(mem, c.type, value);
        fields.forEach((f, i) => {
          if (f.type.primitive === 'Pointer') assert.equal(readPtr(mem, f.offset), values[i], f.path);
          else if (f.type.size === 4) assert.equal(readU32(mem, f.offset), values[i], f.path);
        });
        // memory → koffi: raw bytes written at SDK offsets decode to the same object.
        const raw = Buffer.alloc(size);
        fields.forEach((f, i) => {
          if (f.type.primitive === 'Pointer') raw.writeBigUInt64LE(values[i] as bigint, f.offset);
          else if (f.type.primitive === 'Array') raw.fill(i, f.offset, f.offset + f.type.size);
          else if (f.type.size === 4) raw.writeUInt32LE(values[i] as number, f.offset);
          else if (f.type.size === 2) raw.writeUInt16LE(values[i] as number, f.offset);
        });
        koffi.encode(mem, 'uint8_t', raw, size);
        const decoded = koffi.decode(mem, c.type) as Record<string, unknown>;
        const normalised = JSON.parse(JSON.stringify(decoded, (_k, v: unknown) =>
          (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v)));
        const expected = JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
        assert.deepEqual(normalised, expected);
      } finally {
        koffi.free(mem);
      }
    });
  }

  it('every webauthn.dll prototype is valid for koffi with the expected arity', () => {
    const arity: Record<string, number> = {
      getApiVersionNumber: 0, makeCredential: 7, getAssertion: 5, freeCredentialAttestation: 1, freeAssertion: 1,
      getCancellationId: 1, cancelCurrentOperation: 1, getErrorName: 1,
    };
    for (const [key, definition] of Object.entries(PROTOTYPES)) {
      const parsed = koffi.proto(definition.replace(/(WebAuthN\w+)\(/, '$1_layout_test('));
      assert.equal(parsed.proto?.arguments.length, arity[key], key);
    }
  });
});
