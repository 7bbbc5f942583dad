import type { CborMap, CborValue } from './cbor';
import { CborDecodeError } from './cbor';
import { asArray, asBool, asBytes, asInt, asMap, asText, asUint, exactLength, optional, required, textArray, uintArray } from './fields';

export interface AuthenticatorInfo {
  versions: string[];
  extensions: string[];
  aaguid: Buffer;
  options: Record<string, boolean>;
  maxMsgSize?: number;
  pinUvAuthProtocols: number[];
  maxCredentialCountInList?: number;
  maxCredentialIdLength?: number;
  transports?: string[];
  algorithms?: { alg: number; type: string }[];
  maxSerializedLargeBlobArray?: number;
  forcePinChange?: boolean;
  minPinLength?: number;
  firmwareVersion?: number;
  maxCredBlobLength?: number;
  maxRpIdsForSetMinPinLength?: number;
  preferredPlatformUvAttempts?: number;
  uvModality?: number;
  certifications?: Map<string, number>;
  remainingDiscoverableCredentials?: number;
  vendorPrototypeConfigCommands?: number[];
  /** Keys newer than this parser (0x15+ not listed above), kept for diagnostics. */
  unknown: Map<number, CborValue>;
}

export const GetInfoKey = {
  versions: 0x01, extensions: 0x02, aaguid: 0x03, options: 0x04, maxMsgSize: 0x05, pinUvAuthProtocols: 0x06,
  maxCredentialCountInList: 0x07, maxCredentialIdLength: 0x08, transports: 0x09, algorithms: 0x0a,
  maxSerializedLargeBlobArray: 0x0b, forcePinChange: 0x0c, minPinLength: 0x0d, firmwareVersion: 0x0e,
  maxCredBlobLength: 0x0f, maxRpIdsForSetMinPinLength: 0x10, preferredPlatformUvAttempts: 0x11, uvModality: 0x12,
  certifications: 0x13, remainingDiscoverableCredentials: 0x14, vendorPrototypeConfigCommands: 0x15,
} as const;

const KNOWN = new Set<number>(Object.values(GetInfoKey));

export function parseGetInfo(m: CborMap): AuthenticatorInfo {
  const K = GetInfoKey;
  const options: Record<string, boolean> = {};
  const optMap = optional(m, K.options, 'options', asMap);
  if (optMap) {
    for (const [k, v] of optMap) options[asText(k, 'option name')] = asBool(v, `option ${String(k)}`);
  }
  const info: AuthenticatorInfo = {
    versions: textArray(required(m, K.versions, 'versions'), 'versions'),
    extensions: optional(m, K.extensions, 'extensions', textArray) ?? [],
    aaguid: exactLength(asBytes(required(m, K.aaguid, 'aaguid'), 'aaguid'), 16, 'aaguid'),
    options,
    pinUvAuthProtocols: optional(m, K.pinUvAuthProtocols, 'pinUvAuthProtocols', uintArray) ?? [],
    unknown: new Map(),
  };
  const uint = (key: number, what: string) => optional(m, key, what, asUint);
  info.maxMsgSize = uint(K.maxMsgSize, 'maxMsgSize');
  info.maxCredentialCountInList = uint(K.maxCredentialCountInList, 'maxCredentialCountInList');
  info.maxCredentialIdLength = uint(K.maxCredentialIdLength, 'maxCredentialIdLength');
  info.transports = optional(m, K.transports, 'transports', textArray);
  info.algorithms = optional(m, K.algorithms, 'algorithms', asArrayOfAlgs);
  info.maxSerializedLargeBlobArray = uint(K.maxSerializedLargeBlobArray, 'maxSerializedLargeBlobArray');
  info.forcePinChange = optional(m, K.forcePinChange, 'forcePINChange', asBool);
  info.minPinLength = uint(K.minPinLength, 'minPINLength');
  info.firmwareVersion = uint(K.firmwareVersion, 'firmwareVersion');
  info.maxCredBlobLength = uint(K.maxCredBlobLength, 'maxCredBlobLength');
  info.maxRpIdsForSetMinPinLength = uint(K.maxRpIdsForSetMinPinLength, 'maxRPIDsForSetMinPINLength');
  info.preferredPlatformUvAttempts = uint(K.preferredPlatformUvAttempts, 'preferredPlatformUvAttempts');
  info.uvModality = uint(K.uvModality, 'uvModality');
  info.certifications = optional(m, K.certifications, 'certifications', (v, w) => {
    const out = new Map<string, number>();
    for (const [k, n] of asMap(v, w)) out.set(asText(k, 'certification name'), asInt(n, 'certification level'));
    return out;
  });
  info.remainingDiscoverableCredentials = uint(K.remainingDiscoverableCredentials, 'remainingDiscoverableCredentials');
  info.vendorPrototypeConfigCommands = optional(m, K.vendorPrototypeConfigCommands, 'vendorPrototypeConfigCommands', uintArray);
  for (const [k, v] of m) {
    if (typeof k !== 'number') throw new CborDecodeError('getInfo key is not an integer');
    if (!KNOWN.has(k)) info.unknown.set(k, v);
  }
  for (const key of Object.keys(info) as (keyof AuthenticatorInfo)[]) if (info[key] === undefined) delete info[key];
  return info;
}

function asArrayOfAlgs(v: CborValue, what: string): { alg: number; type: string }[] {
  return asArray(v, what).map((e, i) => {
    const em = asMap(e, `${what}[${i}]`);
    return { alg: asInt(required(em, 'alg', 'algorithm alg'), 'algorithm alg'), type: asText(required(em, 'type', 'algorithm type'), 'algorithm type') };
  });
}

/** Which PIN/UV auth protocol to use: the key's first listed one that we implement. */
export function preferredPinProtocol(info: AuthenticatorInfo): 1 | 2 | undefined {
  for (const p of info.pinUvAuthProtocols) if (p === 1 || p === 2) return p;
  // CTAP 2.0 keys with clientPin but no list speak protocol 1.
  return info.options.clientPin !== undefined ? 1 : undefined;
}

export type CredMgmtCommand = 0x0a | 0x41;

/** credentialManagement command byte: 0x0A on CTAP 2.1 keys, 0x41 on FIDO_2_1_PRE keys. */
export function credMgmtCommand(info: AuthenticatorInfo): CredMgmtCommand | undefined {
  if (info.options.credMgmt) return 0x0a;
  if (info.options.credentialMgmtPreview) return 0x41;
  return undefined;
}
