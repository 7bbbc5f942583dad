import { NbgError } from '../errors';
import { decodeCborPrefix } from './cbor';
import { type CoseKey, parseCoseKey } from './cose';
import { asMap } from './fields';
import { ErrorCode } from '../../electron/shared/error-codes';

export const AuthDataFlag = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

const RP_ID_HASH_LEN = 32;
const FLAGS_OFFSET = 32;
const COUNTER_OFFSET = 33;
/** rpIdHash(32) || flags(1) || counter(4): all an assertion's authData holds without extensions. */
export const AUTH_DATA_FIXED_BYTES = 37;
const AAGUID_LEN = 16;

export interface AuthData {
  rpIdHash: Buffer;
  flags: number;
  counter: number;
  attested?: { aaguid: Buffer; credentialId: Buffer; cose: CoseKey };
  extensions?: Map<string, unknown>;
}

export class AuthDataError extends NbgError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(ErrorCode.AUTHDATA_INVALID, `The security key returned malformed authenticator data (${detail}).`, options);
  }
}

/** Strict parse: every byte must be accounted for by the flags (AT, ED). */
export function parseAuthData(buf: Buffer): AuthData {
  if (buf.length < AUTH_DATA_FIXED_BYTES) throw new AuthDataError(`${buf.length} bytes, need at least ${AUTH_DATA_FIXED_BYTES}`);
  const flags = buf[FLAGS_OFFSET] as number;
  const out: AuthData = {
    rpIdHash: Buffer.from(buf.subarray(0, RP_ID_HASH_LEN)),
    flags,
    counter: buf.readUInt32BE(COUNTER_OFFSET),
  };
  let pos = AUTH_DATA_FIXED_BYTES;
  if (flags & AuthDataFlag.AT) {
    if (buf.length < pos + AAGUID_LEN + 2) throw new AuthDataError('attested credential data truncated');
    const aaguid = Buffer.from(buf.subarray(pos, pos + AAGUID_LEN));
    pos += AAGUID_LEN;
    const idLen = buf.readUInt16BE(pos);
    pos += 2;
    if (idLen === 0 || buf.length < pos + idLen) throw new AuthDataError('credential id truncated');
    const credentialId = Buffer.from(buf.subarray(pos, pos + idLen));
    pos += idLen;
    const { value, end } = wrap(() => decodeCborPrefix(buf, pos), 'credential public key');
    pos = end;
    out.attested = { aaguid, credentialId, cose: wrap(() => parseCoseKey(asMap(value, 'credential public key')), 'credential public key') };
  }
  if (flags & AuthDataFlag.ED) {
    const { value, end } = wrap(() => decodeCborPrefix(buf, pos), 'extensions');
    pos = end;
    const ext = wrap(() => asMap(value, 'extensions'), 'extensions');
    const extensions = new Map<string, unknown>();
    for (const [k, v] of ext) {
      if (typeof k !== 'string') throw new AuthDataError('extension identifier is not text');
      extensions.set(k, v);
    }
    out.extensions = extensions;
  }
  if (pos !== buf.length) throw new AuthDataError(`${buf.length - pos} unexpected trailing bytes`);
  return out;
}

function wrap<T>(f: () => T, what: string): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof AuthDataError) throw err;
    throw new AuthDataError(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
