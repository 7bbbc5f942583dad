// A stand-in for webauthn.dll behind koffi's library interface. It receives exactly what the real
// DLL would: addresses of the request structures. It reads them by the SDK's x64 offsets (not by
// our koffi declarations), records what it understood, and answers with result structures laid out
// the same way in native memory. That proves the marshalling both ways without Windows.
import koffi, { type TypeObject } from 'koffi';
import { randomBytes } from 'node:crypto';
import type { ForeignFunction, ForeignLibrary } from '../../../native/webauthn-win/library';
import { HResult } from '../../../native/webauthn-win/constants';
import { loadImage, readI32, readPtr, readRaw, readU32, readWide, type NativeImage } from './native-image';
import { SDK, type StructLayout } from './sdk-layout';

export interface DecodedClientData { version: number; data: Buffer; hashAlgId: string | null }

export interface DecodedExtension { id: string | null; size: number; credProtect?: { level: number; require: number } }

export interface DecodedCredential { version: number; id: Buffer; type: string | null }

export interface DecodedMakeCredential {
  hwnd: bigint | null;
  rp: { version: number; id: string | null; name: string | null; icon: string | null };
  user: { version: number; id: Buffer; name: string | null; icon: string | null; displayName: string | null };
  params: { version: number; type: string | null; alg: number }[];
  clientData: DecodedClientData;
  options: {
    version: number; timeoutMs: number; exclude: DecodedCredential[]; extensions: DecodedExtension[];
    attachment: number; requireResidentKey: number; uv: number; attestation: number; flags: number;
    cancellationId: bigint | null;
  };
}

export interface DecodedGetAssertion {
  hwnd: bigint | null;
  rpId: string | null;
  clientData: DecodedClientData;
  options: {
    version: number; timeoutMs: number; allow: DecodedCredential[]; extensions: DecodedExtension[];
    attachment: number; uv: number; flags: number; u2fAppId: bigint | null; u2fAppIdUsed: bigint | null;
    cancellationId: bigint | null;
  };
}

export type FakeAnswer = { hr: number; image?: NativeImage };

export interface FakeAuthenticator {
  makeCredential(req: DecodedMakeCredential): FakeAnswer | Promise<FakeAnswer>;
  getAssertion(req: DecodedGetAssertion): FakeAnswer | Promise<FakeAnswer>;
}

/** WebAuthNGetErrorName as webauthn.h documents it. */
export function documentedErrorName(hr: number): string {
  switch (hr >>> 0) {
    case HResult.S_OK: return 'Success';
    case HResult.NTE_EXISTS: return 'InvalidStateError';
    case HResult.E_WIN32_NOT_SUPPORTED: case HResult.NTE_NOT_SUPPORTED: case HResult.NTE_TOKEN_KEYSET_STORAGE_FULL:
      return 'ConstraintError';
    case HResult.NTE_INVALID_PARAMETER: return 'NotSupportedError';
    case HResult.NTE_DEVICE_NOT_FOUND: case HResult.NTE_NOT_FOUND: case HResult.E_CANCELLED:
    case HResult.NTE_USER_CANCELLED: case HResult.E_TIMEOUT:
      return 'NotAllowedError';
    default: return 'UnknownError';
  }
}

function readClientData(address: bigint): DecodedClientData {
  const L = SDK.clientData;
  return {
    version: readU32(address, L.at('dwVersion')),
    data: readRaw(readPtr(address, L.at('pbClientDataJSON')), readU32(address, L.at('cbClientDataJSON'))),
    hashAlgId: readWide(readPtr(address, L.at('pwszHashAlgId'))),
  };
}

/** A `{ count, pointer }` list header at `base + offset`: reads each element of `elemSize` bytes with `readOne(array, elementOffset)`. */
function readCountedArray<T>(
  base: bigint, offset: number, header: StructLayout, countField: string, arrayField: string, elemSize: number,
  readOne: (array: bigint, at: number) => T,
): T[] {
  const count = readU32(base, offset + header.at(countField));
  const array = readPtr(base, offset + header.at(arrayField));
  const out: T[] = [];
  for (let i = 0; i < count && array !== null; i++) out.push(readOne(array, i * elemSize));
  return out;
}

function readCredentials(base: bigint, offset: number): DecodedCredential[] {
  const C = SDK.credential;
  return readCountedArray(base, offset, SDK.credentials, 'cCredentials', 'pCredentials', C.size, (array, at) => ({
    version: readU32(array, at + C.at('dwVersion')),
    id: readRaw(readPtr(array, at + C.at('pbId')), readU32(array, at + C.at('cbId'))),
    type: readWide(readPtr(array, at + C.at('pwszCredentialType'))),
  }));
}

function readExtensions(base: bigint, offset: number): DecodedExtension[] {
  const E = SDK.extension;
  return readCountedArray(base, offset, SDK.extensions, 'cExtensions', 'pExtensions', E.size, (array, at) => {
    const id = readWide(readPtr(array, at + E.at('pwszExtensionIdentifier')));
    const size = readU32(array, at + E.at('cbExtension'));
    const value = readPtr(array, at + E.at('pvExtension'));
    const ext: DecodedExtension = { id, size };
    if (id === 'credProtect' && value !== null) {
      ext.credProtect = {
        level: readU32(value, SDK.credProtectIn.at('dwCredProtect')),
        require: readI32(value, SDK.credProtectIn.at('bRequireCredProtect')),
      };
    }
    return ext;
  });
}

function readMakeCredential(args: unknown[]): DecodedMakeCredential {
  const [hwnd, rp, user, params, clientData, options] = args as [bigint | null, bigint, bigint, bigint, bigint, bigint];
  const R = SDK.rp, U = SDK.user, P = SDK.coseParam, O = SDK.makeCredentialOptions;
  const decodedParams = readCountedArray(params, 0, SDK.coseParams, 'cCredentialParameters', 'pCredentialParameters', P.size, (array, at) => ({
    version: readU32(array, at + P.at('dwVersion')),
    type: readWide(readPtr(array, at + P.at('pwszCredentialType'))),
    alg: readI32(array, at + P.at('lAlg')),
  }));
  return {
    hwnd,
    rp: {
      version: readU32(rp, R.at('dwVersion')), id: readWide(readPtr(rp, R.at('pwszId'))),
      name: readWide(readPtr(rp, R.at('pwszName'))), icon: readWide(readPtr(rp, R.at('pwszIcon'))),
    },
    user: {
      version: readU32(user, U.at('dwVersion')),
      id: readRaw(readPtr(user, U.at('pbId')), readU32(user, U.at('cbId'))),
      name: readWide(readPtr(user, U.at('pwszName'))),
      icon: readWide(readPtr(user, U.at('pwszIcon'))),
      displayName: readWide(readPtr(user, U.at('pwszDisplayName'))),
    },
    params: decodedParams,
    clientData: readClientData(clientData),
    options: {
      version: readU32(options, O.at('dwVersion')),
      timeoutMs: readU32(options, O.at('dwTimeoutMilliseconds')),
      exclude: readCredentials(options, O.at('CredentialList')),
      extensions: readExtensions(options, O.at('Extensions')),
      attachment: readU32(options, O.at('dwAuthenticatorAttachment')),
      requireResidentKey: readI32(options, O.at('bRequireResidentKey')),
      uv: readU32(options, O.at('dwUserVerificationRequirement')),
      attestation: readU32(options, O.at('dwAttestationConveyancePreference')),
      flags: readU32(options, O.at('dwFlags')),
      cancellationId: readPtr(options, O.at('pCancellationId')),
    },
  };
}

function readGetAssertion(args: unknown[]): DecodedGetAssertion {
  const [hwnd, rpId, clientData, options] = args as [bigint | null, bigint, bigint, bigint];
  const O = SDK.getAssertionOptions;
  return {
    hwnd,
    rpId: readWide(rpId),
    clientData: readClientData(clientData),
    options: {
      version: readU32(options, O.at('dwVersion')),
      timeoutMs: readU32(options, O.at('dwTimeoutMilliseconds')),
      allow: readCredentials(options, O.at('CredentialList')),
      extensions: readExtensions(options, O.at('Extensions')),
      attachment: readU32(options, O.at('dwAuthenticatorAttachment')),
      uv: readU32(options, O.at('dwUserVerificationRequirement')),
      flags: readU32(options, O.at('dwFlags')),
      u2fAppId: readPtr(options, O.at('pwszU2fAppId')),
      u2fAppIdUsed: readPtr(options, O.at('pbU2fAppId')),
      cancellationId: readPtr(options, O.at('pCancellationId')),
    },
  };
}

const parsedPrototypes = new Map<string, TypeObject>();

/** Parses the declaration as koffi would (once: koffi type names are global). */
function prototypeOf(definition: string): TypeObject {
  let proto = parsedPrototypes.get(definition);
  if (!proto) {
    proto = koffi.proto(definition);
    parsedPrototypes.set(definition, proto);
  }
  return proto;
}

const POINTER_TYPE = 'void *';

/** Windows would read these while the dialog is open; so the stand-in reads them at answer time. */
export class FakeWebAuthnDll implements ForeignLibrary {
  readonly makeCredentialRequests: DecodedMakeCredential[] = [];
  readonly getAssertionRequests: DecodedGetAssertion[] = [];
  readonly declared: string[] = [];
  /** Results handed out and not yet freed through the matching free function. */
  readonly outstanding = new Map<bigint, 'attestation' | 'assertion'>();
  readonly freed: bigint[] = [];
  readonly cancellationIds: bigint[] = [];
  readonly cancelled: bigint[] = [];
  private readonly pendingCancels = new Map<bigint, () => void>();

  constructor(
    private readonly authenticator: FakeAuthenticator,
    readonly apiVersion = 4,
    /** Symbols this "DLL" lacks (to test a partial webauthn.dll). */
    private readonly missing: string[] = [],
  ) {}

  func(definition: string): ForeignFunction {
    const name = this.declare(definition).name;
    const sync = (...args: unknown[]): unknown => this.callSync(name, args);
    const fn = sync as ForeignFunction;
    fn.async = (...args: unknown[]) => {
      const callback = args.pop() as (err: unknown, result: unknown) => void;
      this.callAsync(name, args).then((hr) => callback(null, hr), (err: unknown) => callback(err, undefined));
    };
    return fn;
  }

  private declare(definition: string): TypeObject {
    const proto = prototypeOf(definition);
    if (this.missing.includes(proto.name)) throw new Error(`Cannot find function '${proto.name}' in shared library`);
    this.declared.push(proto.name);
    return proto;
  }

  /**
   * The same stand-in behind real C function pointers (koffi.register): bindWebAuthn's calls then
   * cross koffi's FFI exactly as into webauthn.dll, async worker thread and out-pointer included.
   * The authenticator must answer synchronously here (no held dialogs).
   */
  nativeLibrary(): ForeignLibrary & { dispose(): void } {
    const registered: unknown[] = [];
    const wideStrings: bigint[] = [];
    return {
      func: (definition: string) => {
        const proto = this.declare(definition);
        const pointer: unknown = koffi.register((...args: unknown[]) => this.callNative(proto.name, args, wideStrings), koffi.pointer(proto));
        registered.push(pointer);
        return koffi.decode(pointer, proto) as ForeignFunction;
      },
      dispose: () => {
        for (const p of registered) koffi.unregister(p as bigint);
        for (const s of wideStrings) koffi.free(s);
      },
    };
  }

  private callNative(name: string, args: unknown[], wideStrings: bigint[]): unknown {
    if (name === 'WebAuthNGetErrorName') {
      const units = Buffer.from(`${documentedErrorName(args[0] as number)}\0`, 'utf16le');
      const text = koffi.alloc('uint8_t', units.length) as bigint;
      koffi.encode(text, 'uint8_t', units, units.length);
      wideStrings.push(text);
      return text;
    }
    if (name !== 'WebAuthNAuthenticatorMakeCredential' && name !== 'WebAuthNAuthenticatorGetAssertion') return this.callSync(name, args);
    const outSlot = args.pop() as bigint;
    let answer: FakeAnswer | Promise<FakeAnswer>;
    let kind: 'attestation' | 'assertion';
    if (name === 'WebAuthNAuthenticatorMakeCredential') {
      const req = readMakeCredential(args);
      this.makeCredentialRequests.push(req);
      answer = this.authenticator.makeCredential(req);
      kind = 'attestation';
    } else {
      const req = readGetAssertion(args);
      this.getAssertionRequests.push(req);
      answer = this.authenticator.getAssertion(req);
      kind = 'assertion';
    }
    if (answer instanceof Promise) throw new Error('fake webauthn.dll: native calls need synchronous answers');
    let address: bigint | null = null;
    if (answer.image) {
      address = loadImage(answer.image);
      this.outstanding.set(address, kind);
    }
    koffi.encode(outSlot, POINTER_TYPE, address);
    return answer.hr | 0;
  }

  /** Makes the next held operation end as if the person closed the Windows dialog. */
  private waitForCancel(cancellationId: bigint | null): Promise<FakeAnswer> | null {
    if (cancellationId === null) return null;
    return new Promise((resolve) => this.pendingCancels.set(cancellationId, () => resolve({ hr: HResult.E_CANCELLED })));
  }

  private async callAsync(name: string, args: unknown[]): Promise<number> {
    const out = args.pop() as (bigint | null)[];
    let answer: FakeAnswer;
    let kind: 'attestation' | 'assertion';
    if (name === 'WebAuthNAuthenticatorMakeCredential') {
      const req = readMakeCredential(args);
      this.makeCredentialRequests.push(req);
      answer = await Promise.race([this.authenticator.makeCredential(req), this.waitForCancel(req.options.cancellationId) ?? new Promise<never>(() => undefined)]);
      kind = 'attestation';
    } else if (name === 'WebAuthNAuthenticatorGetAssertion') {
      const req = readGetAssertion(args);
      this.getAssertionRequests.push(req);
      answer = await Promise.race([this.authenticator.getAssertion(req), this.waitForCancel(req.options.cancellationId) ?? new Promise<never>(() => undefined)]);
      kind = 'assertion';
    } else {
      throw new Error(`fake webauthn.dll: no async ${name}`);
    }
    this.pendingCancels.clear();
    if (answer.image) {
      const address = loadImage(answer.image);
      this.outstanding.set(address, kind);
      out[0] = address;
    } else {
      out[0] = null;
    }
    return answer.hr | 0; // koffi hands a LONG back signed
  }

  private callSync(name: string, args: unknown[]): unknown {
    switch (name) {
      case 'WebAuthNGetApiVersionNumber':
        return this.apiVersion;
      case 'WebAuthNGetErrorName':
        return documentedErrorName(args[0] as number);
      case 'WebAuthNGetCancellationId': {
        const guid = args[0] as bigint;
        koffi.encode(guid, 'uint8_t', randomBytes(SDK.guid.size), SDK.guid.size);
        this.cancellationIds.push(guid);
        return HResult.S_OK;
      }
      case 'WebAuthNCancelCurrentOperation': {
        const guid = args[0] as bigint;
        this.cancelled.push(guid);
        const cancel = this.pendingCancels.get(guid);
        this.pendingCancels.delete(guid);
        cancel?.();
        return cancel ? HResult.S_OK : HResult.NTE_NOT_FOUND | 0;
      }
      case 'WebAuthNFreeCredentialAttestation':
      case 'WebAuthNFreeAssertion': {
        const address = args[0] as bigint;
        const expected = name === 'WebAuthNFreeAssertion' ? 'assertion' : 'attestation';
        if (this.outstanding.get(address) !== expected) throw new Error(`fake webauthn.dll: ${name} of an unknown pointer`);
        this.outstanding.delete(address);
        this.freed.push(address);
        koffi.free(address);
        return undefined;
      }
      default:
        throw new Error(`fake webauthn.dll: no sync ${name}`);
    }
  }
}
