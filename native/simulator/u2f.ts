import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { SimCredential, SimPersistentState } from './state';

// U2F (CTAP1) raw messages over CTAPHID_MSG, as a YubiKey 5 serves them next to CTAP2. Written
// from "FIDO U2F Raw Message Formats" v1.2 (§3 APDU framing, §4 register, §5 authenticate, §6
// version); status words from ISO 7816-4 as that document lists them.

const SW = {
  NO_ERROR: 0x9000, CONDITIONS_NOT_SATISFIED: 0x6985, WRONG_DATA: 0x6a80, WRONG_LENGTH: 0x6700,
  CLA_NOT_SUPPORTED: 0x6e00, INS_NOT_SUPPORTED: 0x6d00,
} as const;
const INS = { REGISTER: 0x01, AUTHENTICATE: 0x02, VERSION: 0x03 } as const;
/** Authenticate P1 (§5.1): check-only, enforce-user-presence-and-sign, dont-enforce-user-presence-and-sign. */
const P1 = { CHECK_ONLY: 0x07, ENFORCE_UP: 0x03, DONT_ENFORCE_UP: 0x08 } as const;
const REGISTER_RESERVED = 0x05;
const REGISTER_SIGN_RESERVED = 0x00;
const FLAG_UP = 0x01;
const PARAM_BYTES = 32;
const KEY_HANDLE_BYTES = 64;

class U2fStatus extends Error {
  constructor(readonly sw: number) {
    super(`U2F status ${sw.toString(16)}`);
  }
}

/** What the U2F side needs of the authenticator it shares credentials and counter with. */
export interface U2fHost {
  /** The current state (a reset replaces it). */
  state(): SimPersistentState;
  /** One test of user presence: U2F never waits, the host polls until it gets a touch (§4.1). */
  userPresent(command: 'u2fRegister' | 'u2fAuthenticate'): Promise<boolean>;
  markDirty(): void;
}

export class SoftU2f {
  private attestation: { key: KeyObject; certificate: Buffer } | undefined;

  constructor(private readonly host: U2fHost) {}

  /** One request APDU in, response data || SW1 SW2 out. Never throws. */
  async handle(apdu: Buffer): Promise<Buffer> {
    try {
      const { ins, p1, data } = parseApdu(apdu);
      const body = await this.dispatch(ins, p1, data);
      return withStatus(body, SW.NO_ERROR);
    } catch (err) {
      if (!(err instanceof U2fStatus)) throw err;
      return withStatus(Buffer.alloc(0), err.sw);
    }
  }

  private dispatch(ins: number, p1: number, data: Buffer): Promise<Buffer> | Buffer {
    switch (ins) {
      case INS.VERSION:
        if (data.length !== 0) throw new U2fStatus(SW.WRONG_LENGTH);
        return Buffer.from('U2F_V2');
      case INS.REGISTER:
        return this.register(data);
      case INS.AUTHENTICATE:
        return this.authenticate(p1, data);
      default:
        throw new U2fStatus(SW.INS_NOT_SUPPORTED);
    }
  }

  private async register(data: Buffer): Promise<Buffer> {
    if (data.length !== 2 * PARAM_BYTES) throw new U2fStatus(SW.WRONG_LENGTH);
    const challenge = data.subarray(0, PARAM_BYTES);
    const application = data.subarray(PARAM_BYTES);
    if (!(await this.host.userPresent('u2fRegister'))) throw new U2fStatus(SW.CONDITIONS_NOT_SATISFIED);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const point = uncompressedPoint(publicKey);
    const keyHandle = randomBytes(KEY_HANDLE_BYTES);
    const state = this.host.state();
    const cred: SimCredential = {
      id: keyHandle.toString('base64'),
      rpId: '',
      u2fApplication: application.toString('hex'),
      userId: '',
      alg: -7,
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      credProtect: 1,
      resident: false,
      created: ++state.serial,
    };
    state.credentials.push(cred);
    this.host.markDirty();
    const att = this.attestationKey();
    const signed = Buffer.concat([Buffer.from([REGISTER_SIGN_RESERVED]), application, challenge, keyHandle, point]);
    return Buffer.concat([
      Buffer.from([REGISTER_RESERVED]), point, Buffer.from([keyHandle.length]), keyHandle, att.certificate, sign('sha256', signed, att.key),
    ]);
  }

  private async authenticate(p1: number, data: Buffer): Promise<Buffer> {
    if (data.length < 2 * PARAM_BYTES + 1) throw new U2fStatus(SW.WRONG_LENGTH);
    const challenge = data.subarray(0, PARAM_BYTES);
    const application = data.subarray(PARAM_BYTES, 2 * PARAM_BYTES);
    const handleLength = data[2 * PARAM_BYTES] as number;
    if (data.length !== 2 * PARAM_BYTES + 1 + handleLength) throw new U2fStatus(SW.WRONG_LENGTH);
    const keyHandle = data.subarray(2 * PARAM_BYTES + 1);
    const cred = this.host.state().credentials.find((c) =>
      c.u2fApplication === application.toString('hex') && Buffer.from(c.id, 'base64').equals(keyHandle));
    if (!cred) throw new U2fStatus(SW.WRONG_DATA);
    // §5.1: "check-only" answers a known handle with "conditions not satisfied" and signs nothing.
    if (p1 === P1.CHECK_ONLY) throw new U2fStatus(SW.CONDITIONS_NOT_SATISFIED);
    if (p1 !== P1.ENFORCE_UP && p1 !== P1.DONT_ENFORCE_UP) throw new U2fStatus(SW.WRONG_DATA);
    const present = p1 === P1.ENFORCE_UP;
    if (present && !(await this.host.userPresent('u2fAuthenticate'))) throw new U2fStatus(SW.CONDITIONS_NOT_SATISFIED);
    const state = this.host.state();
    state.counter++;
    this.host.markDirty();
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(state.counter >>> 0);
    const flags = Buffer.from([present ? FLAG_UP : 0]);
    const key = { key: Buffer.from(cred.privateKey, 'base64'), format: 'der' as const, type: 'pkcs8' as const };
    return Buffer.concat([flags, counter, sign('sha256', Buffer.concat([application, flags, counter, challenge]), key)]);
  }

  /** A batch attestation key and its self-signed certificate, made once per simulator. */
  private attestationKey(): { key: KeyObject; certificate: Buffer } {
    if (!this.attestation) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      this.attestation = { key: privateKey, certificate: selfSignedCertificate(privateKey, publicKey) };
    }
    return this.attestation;
  }
}

/** §3: CLA INS P1 P2, then no body, short Lc (1 byte) or extended Lc (00 + 2 bytes), each with an optional Le. */
function parseApdu(apdu: Buffer): { ins: number; p1: number; data: Buffer } {
  if (apdu.length < 4) throw new U2fStatus(SW.WRONG_LENGTH);
  if (apdu[0] !== 0x00) throw new U2fStatus(SW.CLA_NOT_SUPPORTED);
  const ins = apdu[1] as number;
  const p1 = apdu[2] as number;
  const rest = apdu.subarray(4);
  if (rest.length === 0) return { ins, p1, data: Buffer.alloc(0) };
  if (rest[0] === 0x00 && rest.length >= 3) {
    const lc = rest.readUInt16BE(1);
    const tail = rest.length - 3 - lc;
    // Extended with no body is Le only (00 Le1 Le2).
    if (lc === 0 && rest.length === 3) return { ins, p1, data: Buffer.alloc(0) };
    if (tail !== 0 && tail !== 2) throw new U2fStatus(SW.WRONG_LENGTH);
    return { ins, p1, data: rest.subarray(3, 3 + lc) };
  }
  const lc = rest[0] as number;
  const tail = rest.length - 1 - lc;
  if (rest.length === 1) return { ins, p1, data: Buffer.alloc(0) }; // Le only
  if (tail !== 0 && tail !== 1) throw new U2fStatus(SW.WRONG_LENGTH);
  return { ins, p1, data: rest.subarray(1, 1 + lc) };
}

function withStatus(body: Buffer, sw: number): Buffer {
  const out = Buffer.alloc(body.length + 2);
  body.copy(out);
  out.writeUInt16BE(sw, body.length);
  return out;
}

function uncompressedPoint(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);
}

// ---- a minimal X.509 v1 certificate in DER (RFC 5280 §4.1), enough for an attestation cert ----

function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...items: Buffer[]): Buffer => der(0x30, Buffer.concat(items));
/** ecdsa-with-SHA256, 1.2.840.10045.4.3.2 */
const ECDSA_WITH_SHA256 = seq(der(0x06, Buffer.from('2a8648ce3d040302', 'hex')));
/** commonName, 2.5.4.3 */
const COMMON_NAME = der(0x06, Buffer.from('550403', 'hex'));
const SUBJECT = 'Nexus Break-Glass simulated U2F attestation';
const VALID_FROM = '200101000000Z';
const VALID_TO = '491231235959Z';

function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  const name = seq(der(0x31, seq(COMMON_NAME, der(0x0c, Buffer.from(SUBJECT)))));
  const serial = der(0x02, Buffer.concat([Buffer.from([0x01]), randomBytes(8)]));
  const validity = seq(der(0x17, Buffer.from(VALID_FROM)), der(0x17, Buffer.from(VALID_TO)));
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const tbs = seq(serial, ECDSA_WITH_SHA256, name, validity, name, spki);
  const signature = sign('sha256', tbs, privateKey);
  return seq(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.concat([Buffer.from([0x00]), signature])));
}
