import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { type SimulatorProfile, PROFILES, type SimulatorProfileName } from './profiles';
import { SimKeyAgreement, simDecrypt, simEncrypt, simVerify } from './pin-crypto';
import { simDecodeCanonical, simEncode } from './sim-cbor';
import { type SimCredential, type SimPersistentState, freshState } from './state';
import { SoftU2f } from './u2f';

// A CTAP2 authenticator in software. Status bytes and map keys are spelled out here as numbers
// from the CTAP spec rather than imported from the client, so client bugs cannot hide behind
// shared constants.

const S = {
  OK: 0x00, INVALID_COMMAND: 0x01, INVALID_PARAMETER: 0x02, INVALID_LENGTH: 0x03, CBOR_UNEXPECTED_TYPE: 0x11,
  INVALID_CBOR: 0x12, MISSING_PARAMETER: 0x14, CREDENTIAL_EXCLUDED: 0x19, UNSUPPORTED_ALGORITHM: 0x26,
  OPERATION_DENIED: 0x27, KEY_STORE_FULL: 0x28, UNSUPPORTED_OPTION: 0x2b, INVALID_OPTION: 0x2c, KEEPALIVE_CANCEL: 0x2d,
  NO_CREDENTIALS: 0x2e, USER_ACTION_TIMEOUT: 0x2f, NOT_ALLOWED: 0x30, PIN_INVALID: 0x31, PIN_BLOCKED: 0x32,
  PIN_AUTH_INVALID: 0x33, PIN_AUTH_BLOCKED: 0x34, PIN_NOT_SET: 0x35, PIN_REQUIRED: 0x36, PIN_POLICY_VIOLATION: 0x37,
  REQUEST_TOO_LARGE: 0x39, INVALID_SUBCOMMAND: 0x3e, UNAUTHORIZED_PERMISSION: 0x40,
} as const;

const PERM_MC = 0x01, PERM_GA = 0x02, PERM_CM = 0x04, PERM_LBW = 0x10;
const FLAG_UP = 0x01, FLAG_UV = 0x04, FLAG_AT = 0x40, FLAG_ED = 0x80;
const MAX_PIN_RETRIES = 8;
const MAX_CONSECUTIVE_WRONG = 3;

class SimError extends Error {
  constructor(readonly status: number) {
    super(`status 0x${status.toString(16)}`);
  }
}

export type PresenceAnswer = 'approve' | 'deny' | 'never';
export interface PresenceRequest {
  command: 'makeCredential' | 'getAssertion' | 'selection' | 'reset' | 'u2fRegister' | 'u2fAuthenticate';
  rpId?: string;
}
export type PresenceDecider = (req: PresenceRequest) => PresenceAnswer | Promise<PresenceAnswer>;

/** What the transport gives one CBOR request: a cancel signal and a way to report UPNEEDED. */
export interface SimRequestContext {
  signal: AbortSignal;
  setWaitingForTouch(waiting: boolean): void;
}

export interface SoftAuthenticatorOptions {
  profile?: SimulatorProfileName;
  state?: SimPersistentState;
  presence?: PresenceDecider;
  /** How long the key waits for a touch before USER_ACTION_TIMEOUT (real keys: ~30 s). */
  upTimeoutMs?: number;
  /** Called after any change that must survive a restart; awaited before the reply goes out. */
  persist?: (state: SimPersistentState) => Promise<void>;
}

interface TokenState { token: Buffer; permissions: number; rpId?: string }

type M = Map<unknown, unknown>;

const sha256 = (d: Buffer | string): Buffer => createHash('sha256').update(d).digest();

function need<T>(v: T | undefined, status: number = S.MISSING_PARAMETER): T {
  if (v === undefined) throw new SimError(status);
  return v;
}
const isBytes = (v: unknown): v is Buffer => Buffer.isBuffer(v);
function bytes(v: unknown): Buffer {
  if (!isBytes(v)) throw new SimError(S.CBOR_UNEXPECTED_TYPE);
  return v;
}
function text(v: unknown): string {
  if (typeof v !== 'string') throw new SimError(S.CBOR_UNEXPECTED_TYPE);
  return v;
}
function int(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new SimError(S.CBOR_UNEXPECTED_TYPE);
  return v;
}
function map(v: unknown): M {
  if (!(v instanceof Map)) throw new SimError(S.CBOR_UNEXPECTED_TYPE);
  return v;
}
function array(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new SimError(S.CBOR_UNEXPECTED_TYPE);
  return v;
}
function bool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new SimError(S.CBOR_UNEXPECTED_TYPE);
  return v;
}

function coseOf(cred: SimCredential): M {
  const jwk = createPrivateKey({ key: Buffer.from(cred.privateKey, 'base64'), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  if (cred.alg === -8) return new Map<unknown, unknown>([[1, 1], [3, -8], [-1, 6], [-2, x]]);
  return new Map<unknown, unknown>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, Buffer.from(jwk.y ?? '', 'base64url')]]);
}

function signWith(cred: SimCredential, data: Buffer): Buffer {
  const key: KeyObject = createPrivateKey({ key: Buffer.from(cred.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
  return cred.alg === -8 ? sign(null, data, key) : sign('sha256', data, key);
}

export class SoftAuthenticator {
  readonly profile: SimulatorProfile;
  state: SimPersistentState;
  presence: PresenceDecider;
  upTimeoutMs: number;
  private readonly persistFn: ((s: SimPersistentState) => Promise<void>) | undefined;
  private dirty = false;
  // Volatile state: lost on "power cycle" (replug).
  private keyAgreement = new SimKeyAgreement();
  private consecutiveWrong = 0;
  private token: TokenState | undefined;
  private pendingAssertions: { list: SimCredential[]; cdh: Buffer; flags: number; rpId: string } | undefined;
  private rpEnum: string[] | undefined;
  private credEnum: SimCredential[] | undefined;
  // U2F asks for presence once and does not wait: the host polls (U2F raw messages §4.1).
  private readonly u2f = new SoftU2f({
    state: () => this.state,
    userPresent: async (command) => (await this.presence({ command })) === 'approve',
    markDirty: () => this.markDirty(),
  });

  constructor(opts: SoftAuthenticatorOptions = {}) {
    this.state = opts.state ?? freshState(opts.profile ?? 'yubikey5-fw54');
    this.profile = PROFILES[this.state.profile];
    this.presence = opts.presence ?? (() => 'approve');
    this.upTimeoutMs = opts.upTimeoutMs ?? 30_000;
    this.persistFn = opts.persist;
  }

  /** A power cycle: PIN_AUTH_BLOCKED lifts, tokens and key agreement are regenerated. */
  powerCycle(): void {
    this.keyAgreement = new SimKeyAgreement();
    this.consecutiveWrong = 0;
    this.token = undefined;
    this.pendingAssertions = undefined;
    this.rpEnum = undefined;
    this.credEnum = undefined;
  }

  get residentCredentials(): readonly SimCredential[] {
    return this.state.credentials.filter((c) => c.resident);
  }

  /** One CTAPHID_CBOR payload in, status byte || CBOR out. Never throws. */
  async handleCbor(payload: Buffer, ctx: SimRequestContext): Promise<Buffer> {
    let reply: Buffer;
    try {
      if (payload.length === 0) throw new SimError(S.INVALID_LENGTH);
      if (payload.length > this.profile.maxMsgSize) throw new SimError(S.REQUEST_TOO_LARGE);
      const cmd = payload[0] as number;
      let params: M = new Map();
      if (payload.length > 1) {
        const v = simDecodeCanonical(payload.subarray(1));
        if (v === null) throw new SimError(S.INVALID_CBOR);
        params = map(v);
      }
      if (cmd !== 0x08) this.pendingAssertions = undefined;
      const out = await this.dispatch(cmd, params, payload.length > 1, ctx);
      reply = out === undefined ? Buffer.from([S.OK]) : Buffer.concat([Buffer.from([S.OK]), simEncode(out)]);
    } catch (err) {
      if (!(err instanceof SimError)) throw err;
      reply = Buffer.from([err.status]);
    }
    await this.flush();
    return reply;
  }

  /** Whether this key serves U2F (CTAPHID_MSG): the profiles that list U2F_V2, as YubiKey 5s do. */
  get speaksU2f(): boolean {
    return this.profile.versions.includes('U2F_V2');
  }

  /** One CTAPHID_MSG payload (a U2F request APDU) in, response data || status word out. */
  async handleMsg(apdu: Buffer): Promise<Buffer> {
    const reply = await this.u2f.handle(apdu);
    await this.flush();
    return reply;
  }

  private async flush(): Promise<void> {
    if (this.dirty && this.persistFn) {
      this.dirty = false;
      await this.persistFn(this.state);
    }
  }

  private dispatch(cmd: number, p: M, hasParams: boolean, ctx: SimRequestContext): Promise<M | undefined> | M | undefined {
    switch (cmd) {
      case 0x01: return this.makeCredential(p, ctx);
      case 0x02: return this.getAssertion(p, ctx);
      case 0x04:
        if (hasParams) throw new SimError(S.INVALID_LENGTH);
        return this.getInfo();
      case 0x06: return this.clientPin(p);
      case 0x07: return this.reset(ctx);
      case 0x08: return this.getNextAssertion();
      case 0x0a:
      case 0x41:
        if (!this.profile.credMgmtCommands.includes(cmd)) throw new SimError(S.INVALID_COMMAND);
        return this.credMgmt(p);
      case 0x0b:
        if (!this.profile.selection) throw new SimError(S.INVALID_COMMAND);
        return this.waitForPresence({ command: 'selection' }, ctx).then(() => undefined);
      default:
        throw new SimError(S.INVALID_COMMAND);
    }
  }

  private markDirty(): void {
    this.dirty = true;
  }

  // ---- user presence ----

  private async waitForPresence(req: PresenceRequest, ctx: SimRequestContext): Promise<void> {
    if (ctx.signal.aborted) throw new SimError(S.KEEPALIVE_CANCEL);
    ctx.setWaitingForTouch(true);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const answer = await new Promise<PresenceAnswer | 'timeout' | 'cancel'>((resolve, reject) => {
        timer = setTimeout(() => resolve('timeout'), this.upTimeoutMs);
        onAbort = () => resolve('cancel');
        ctx.signal.addEventListener('abort', onAbort, { once: true });
        Promise.resolve().then(() => this.presence(req)).then((a) => {
          if (a !== 'never') resolve(a);
        }, reject);
      });
      if (answer === 'approve') return;
      if (answer === 'deny') throw new SimError(S.OPERATION_DENIED);
      if (answer === 'cancel') throw new SimError(S.KEEPALIVE_CANCEL);
      throw new SimError(S.USER_ACTION_TIMEOUT);
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) ctx.signal.removeEventListener('abort', onAbort);
      ctx.setWaitingForTouch(false);
    }
  }

  // ---- getInfo ----

  private getInfo(): M {
    const pr = this.profile;
    const options = new Map<unknown, unknown>(Object.entries(pr.options));
    options.set('clientPin', this.state.pinHash !== undefined);
    const m = new Map<unknown, unknown>([
      [0x01, pr.versions],
      [0x02, pr.extensions],
      [0x03, Buffer.from(pr.aaguid, 'hex')],
      [0x04, options],
      [0x05, pr.maxMsgSize],
      [0x06, pr.pinUvAuthProtocols],
      [0x07, pr.maxCredentialCountInList],
      [0x08, pr.maxCredentialIdLength],
      [0x09, pr.transports],
      [0x0a, [-7, -8].map((alg) => new Map<string, unknown>([['alg', alg], ['type', 'public-key']]))],
    ]);
    if (pr.tokenPermissions) {
      m.set(0x0c, false);
      m.set(0x0d, pr.minPinLength);
      const [major, minor, build] = pr.firmware;
      m.set(0x0e, (major << 16) | (minor << 8) | build);
      m.set(0x14, pr.maxResidentCredentials - this.residentCredentials.length);
    }
    return m;
  }

  // ---- clientPIN ----

  private clientPin(p: M): M | undefined {
    const protocol = int(need(p.get(1)));
    const sub = int(need(p.get(2)));
    if (!this.profile.pinUvAuthProtocols.includes(protocol)) throw new SimError(S.INVALID_PARAMETER);
    switch (sub) {
      case 0x01:
        return new Map<unknown, unknown>([[3, this.state.pinRetries], [4, false]]);
      case 0x02: {
        const { x, y } = this.keyAgreement.publicXY();
        return new Map<unknown, unknown>([[1, new Map<unknown, unknown>([[1, 2], [3, -25], [-1, 1], [-2, x], [-3, y]])]]);
      }
      case 0x03:
        return this.setPin(protocol, p);
      case 0x04:
        return this.changePin(protocol, p);
      case 0x05:
        return this.issueToken(protocol, p, false);
      case 0x09:
        if (!this.profile.tokenPermissions) throw new SimError(S.INVALID_SUBCOMMAND);
        return this.issueToken(protocol, p, true);
      default:
        throw new SimError(S.INVALID_SUBCOMMAND);
    }
  }

  private sharedSecret(protocol: number, p: M): Buffer {
    const ka = map(need(p.get(3)));
    if (ka.get(1) !== 2 || ka.get(-1) !== 1) throw new SimError(S.INVALID_PARAMETER);
    const ss = this.keyAgreement.sharedSecret(protocol, bytes(need(ka.get(-2))), bytes(need(ka.get(-3))));
    if (!ss) throw new SimError(S.INVALID_PARAMETER);
    return ss;
  }

  private decodeNewPin(protocol: number, ss: Buffer, newPinEnc: Buffer): Buffer {
    const expectedLen = protocol === 1 ? 64 : 80;
    if (newPinEnc.length !== expectedLen) throw new SimError(S.INVALID_PARAMETER);
    const padded = need(simDecrypt(protocol, ss, newPinEnc) ?? undefined, S.INVALID_PARAMETER);
    const end = padded.indexOf(0);
    const pin = padded.subarray(0, end < 0 ? padded.length : end);
    if (pin.length > 63 || [...pin.toString('utf8')].length < this.profile.minPinLength) throw new SimError(S.PIN_POLICY_VIOLATION);
    return pin;
  }

  private setPin(protocol: number, p: M): undefined {
    const ss = this.sharedSecret(protocol, p);
    const auth = bytes(need(p.get(4)));
    const newPinEnc = bytes(need(p.get(5)));
    if (this.state.pinHash !== undefined) throw new SimError(S.NOT_ALLOWED);
    if (!simVerify(protocol, ss, newPinEnc, auth)) throw new SimError(S.PIN_AUTH_INVALID);
    const pin = this.decodeNewPin(protocol, ss, newPinEnc);
    this.state.pinHash = sha256(pin).subarray(0, 16).toString('hex');
    this.state.pinRetries = MAX_PIN_RETRIES;
    this.markDirty();
    return undefined;
  }

  private changePin(protocol: number, p: M): undefined {
    const ss = this.sharedSecret(protocol, p);
    const auth = bytes(need(p.get(4)));
    const newPinEnc = bytes(need(p.get(5)));
    const pinHashEnc = bytes(need(p.get(6)));
    if (this.state.pinHash === undefined) throw new SimError(S.PIN_NOT_SET);
    if (!simVerify(protocol, ss, Buffer.concat([newPinEnc, pinHashEnc]), auth)) throw new SimError(S.PIN_AUTH_INVALID);
    this.checkPinHash(protocol, ss, pinHashEnc);
    const pin = this.decodeNewPin(protocol, ss, newPinEnc);
    this.state.pinHash = sha256(pin).subarray(0, 16).toString('hex');
    this.token = undefined;
    this.markDirty();
    return undefined;
  }

  /** CTAP's PIN check: retries go down before comparing; a mismatch rotates the key agreement. */
  private checkPinHash(protocol: number, ss: Buffer, pinHashEnc: Buffer): void {
    if (this.state.pinRetries === 0) throw new SimError(S.PIN_BLOCKED);
    if (this.consecutiveWrong >= MAX_CONSECUTIVE_WRONG) throw new SimError(S.PIN_AUTH_BLOCKED);
    this.state.pinRetries--;
    this.markDirty();
    const got = simDecrypt(protocol, ss, pinHashEnc);
    if (!got || got.length !== 16 || got.toString('hex') !== this.state.pinHash) {
      this.keyAgreement.regenerate();
      this.consecutiveWrong++;
      if (this.state.pinRetries === 0) throw new SimError(S.PIN_BLOCKED);
      if (this.consecutiveWrong >= MAX_CONSECUTIVE_WRONG) throw new SimError(S.PIN_AUTH_BLOCKED);
      throw new SimError(S.PIN_INVALID);
    }
    this.state.pinRetries = MAX_PIN_RETRIES;
    this.consecutiveWrong = 0;
  }

  private issueToken(protocol: number, p: M, withPermissions: boolean): M {
    const ss = this.sharedSecret(protocol, p);
    const pinHashEnc = bytes(need(p.get(6)));
    let permissions = PERM_MC | PERM_GA | PERM_CM | PERM_LBW;
    let rpId: string | undefined;
    if (withPermissions) {
      permissions = int(need(p.get(9)));
      if (permissions === 0) throw new SimError(S.INVALID_PARAMETER);
      if (p.has(0x0a)) rpId = text(p.get(0x0a));
      if (permissions & (PERM_MC | PERM_GA) && rpId === undefined) throw new SimError(S.MISSING_PARAMETER);
    } else if (p.has(9) || p.has(0x0a)) {
      throw new SimError(S.INVALID_PARAMETER);
    } else if (this.profile.tokenPermissions) {
      permissions = PERM_MC | PERM_GA; // CTAP 2.1: the legacy token gets mc+ga only
    }
    if (this.state.pinHash === undefined) throw new SimError(S.PIN_NOT_SET);
    this.checkPinHash(protocol, ss, pinHashEnc);
    const token = randomBytes(32);
    this.token = rpId === undefined ? { token, permissions } : { token, permissions, rpId };
    return new Map<unknown, unknown>([[2, simEncrypt(protocol, ss, token)]]);
  }

  /** Checks pinUvAuthParam over `message` with the current token and the permission needed. */
  private verifyToken(protocol: number, param: Buffer, message: Buffer, permission: number, rpId?: string): void {
    if (!this.profile.pinUvAuthProtocols.includes(protocol)) throw new SimError(S.INVALID_PARAMETER);
    const t = this.token;
    if (!t || !simVerify(protocol, t.token, message, param)) throw new SimError(S.PIN_AUTH_INVALID);
    if (!this.profile.tokenPermissions) return;
    if (!(t.permissions & permission)) throw new SimError(S.UNAUTHORIZED_PERMISSION);
    if (rpId !== undefined) {
      if (t.rpId !== undefined && t.rpId !== rpId) throw new SimError(S.UNAUTHORIZED_PERMISSION);
      t.rpId = rpId;
    }
  }

  /** CTAP 2.1 single-use rule after an mc/ga that saw the user. */
  private consumeToken(): void {
    if (this.profile.tokenPermissions && this.token) this.token.permissions &= PERM_LBW;
  }

  // ---- makeCredential ----

  private async makeCredential(p: M, ctx: SimRequestContext): Promise<M> {
    const cdh = bytes(need(p.get(1)));
    const rp = map(need(p.get(2)));
    const rpId = text(need(rp.get('id')));
    const user = map(need(p.get(3)));
    const userId = bytes(need(user.get('id')));
    if (userId.length > 64) throw new SimError(S.INVALID_LENGTH);
    const params = array(need(p.get(4)));
    let alg: -7 | -8 | undefined;
    for (const e of params) {
      const em = map(e);
      const a = int(need(em.get('alg')));
      text(need(em.get('type')));
      if (alg === undefined && (a === -7 || a === -8) && em.get('type') === 'public-key') alg = a;
    }
    if (alg === undefined) throw new SimError(S.UNSUPPORTED_ALGORITHM);
    const exclude = p.has(5) ? array(p.get(5)).map((e) => bytes(need(map(e).get('id')))) : [];
    const ext = p.has(6) ? map(p.get(6)) : new Map();
    let credProtect = 1;
    if (ext.has('credProtect')) {
      credProtect = int(ext.get('credProtect'));
      if (credProtect < 1 || credProtect > 3) throw new SimError(S.INVALID_OPTION);
    }
    const opts = p.has(7) ? map(p.get(7)) : new Map();
    const rk = opts.has('rk') ? bool(opts.get('rk')) : false;
    if (opts.has('up')) throw new SimError(S.INVALID_OPTION);
    if (opts.has('uv') && bool(opts.get('uv'))) throw new SimError(S.UNSUPPORTED_OPTION);

    let uv = false;
    if (p.has(8)) {
      const param = bytes(p.get(8));
      const protocol = int(need(p.get(9)));
      if (param.length === 0) {
        // Device selection by touch (libfido2 touch.c): answer after the touch, never create.
        await this.waitForPresence({ command: 'makeCredential', rpId }, ctx);
        throw new SimError(this.state.pinHash === undefined ? S.PIN_NOT_SET : S.PIN_INVALID);
      }
      this.verifyToken(protocol, param, cdh, PERM_MC, rpId);
      uv = true;
    } else if (this.state.pinHash !== undefined) {
      throw new SimError(S.PIN_REQUIRED);
    }
    const excluded = exclude.some((id) => this.state.credentials.some((c) => c.rpId === rpId && Buffer.from(c.id, 'base64').equals(id)));
    await this.waitForPresence({ command: 'makeCredential', rpId }, ctx);
    this.consumeToken();
    if (excluded) throw new SimError(S.CREDENTIAL_EXCLUDED);

    const replaced = rk ? this.state.credentials.findIndex((c) => c.resident && c.rpId === rpId && Buffer.from(c.userId, 'base64').equals(userId)) : -1;
    if (rk && replaced < 0 && this.residentCredentials.length >= this.profile.maxResidentCredentials) throw new SimError(S.KEY_STORE_FULL);

    const { privateKey } = alg === -8 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const cred: SimCredential = {
      id: randomBytes(48).toString('base64'),
      rpId,
      userId: userId.toString('base64'),
      alg,
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      credProtect,
      resident: rk,
      created: ++this.state.serial,
    };
    if (user.has('name')) cred.userName = text(user.get('name'));
    if (user.has('displayName')) cred.displayName = text(user.get('displayName'));
    if (replaced >= 0) this.state.credentials.splice(replaced, 1);
    this.state.credentials.push(cred);
    this.state.counter++;
    this.markDirty();

    const credId = Buffer.from(cred.id, 'base64');
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(credId.length);
    const hasExt = ext.has('credProtect');
    const authData = Buffer.concat([
      this.fixedAuthData(rpId, FLAG_UP | (uv ? FLAG_UV : 0) | FLAG_AT | (hasExt ? FLAG_ED : 0)),
      Buffer.from(this.profile.aaguid, 'hex'),
      idLen,
      credId,
      simEncode(coseOf(cred)),
      hasExt ? simEncode(new Map([['credProtect', credProtect]])) : Buffer.alloc(0),
    ]);
    const sig = signWith(cred, Buffer.concat([authData, cdh]));
    return new Map<unknown, unknown>([[1, 'packed'], [2, authData], [3, new Map<unknown, unknown>([['alg', alg], ['sig', sig]])]]);
  }

  private fixedAuthData(rpId: string, flags: number): Buffer {
    const b = Buffer.alloc(37);
    sha256(rpId).copy(b, 0);
    b[32] = flags;
    b.writeUInt32BE(this.state.counter >>> 0, 33);
    return b;
  }

  // ---- getAssertion ----

  private visible(c: SimCredential, uv: boolean, viaAllowList: boolean): boolean {
    if (c.credProtect === 3) return uv;
    if (c.credProtect === 2) return uv || viaAllowList;
    return true;
  }

  private async getAssertion(p: M, ctx: SimRequestContext): Promise<M> {
    const rpId = text(need(p.get(1)));
    const cdh = bytes(need(p.get(2)));
    const allow = p.has(3) ? array(p.get(3)).map((e) => bytes(need(map(e).get('id')))) : [];
    if (allow.length > this.profile.maxCredentialCountInList) throw new SimError(S.REQUEST_TOO_LARGE);
    const opts = p.has(5) ? map(p.get(5)) : new Map();
    const up = opts.has('up') ? bool(opts.get('up')) : true;
    if (opts.has('uv') && bool(opts.get('uv'))) throw new SimError(S.UNSUPPORTED_OPTION);
    let uv = false;
    if (p.has(6)) {
      const protocol = int(need(p.get(7)));
      this.verifyToken(protocol, bytes(p.get(6)), cdh, PERM_GA, rpId);
      uv = true;
    }
    const byViaAllow = allow.length > 0;
    const candidates = (byViaAllow
      ? this.state.credentials.filter((c) => c.rpId === rpId && allow.some((id) => id.equals(Buffer.from(c.id, 'base64'))))
      : this.residentCredentials.filter((c) => c.rpId === rpId))
      .filter((c) => this.visible(c, uv, byViaAllow))
      .sort((a, b) => b.created - a.created);
    if (candidates.length === 0) throw new SimError(S.NO_CREDENTIALS);
    if (up) {
      await this.waitForPresence({ command: 'getAssertion', rpId }, ctx);
      this.consumeToken();
    }
    const flags = (up ? FLAG_UP : 0) | (uv ? FLAG_UV : 0);
    const first = candidates[0] as SimCredential;
    const reply = this.assertionFor(first, rpId, cdh, flags, !byViaAllow, uv);
    if (!byViaAllow && candidates.length > 1) {
      reply.set(5, candidates.length);
      this.pendingAssertions = { list: candidates.slice(1), cdh, flags, rpId };
    }
    return reply;
  }

  private getNextAssertion(): M {
    const pending = this.pendingAssertions;
    const next = pending?.list.shift();
    if (!pending || !next) throw new SimError(S.NOT_ALLOWED);
    if (pending.list.length === 0) this.pendingAssertions = undefined;
    return this.assertionFor(next, pending.rpId, pending.cdh, pending.flags, true, (pending.flags & FLAG_UV) !== 0);
  }

  private assertionFor(c: SimCredential, rpId: string, cdh: Buffer, flags: number, withUser: boolean, uv: boolean): M {
    this.state.counter++;
    this.markDirty();
    const authData = this.fixedAuthData(rpId, flags);
    const m = new Map<unknown, unknown>([
      [1, new Map<unknown, unknown>([['id', Buffer.from(c.id, 'base64')], ['type', 'public-key']])],
      [2, authData],
      [3, signWith(c, Buffer.concat([authData, cdh]))],
    ]);
    if (withUser) {
      const user = new Map<unknown, unknown>([['id', Buffer.from(c.userId, 'base64')]]);
      if (uv && c.userName !== undefined) user.set('name', c.userName);
      if (uv && c.displayName !== undefined) user.set('displayName', c.displayName);
      m.set(4, user);
    }
    return m;
  }

  // ---- credentialManagement ----

  private credMgmt(p: M): M | undefined {
    const sub = int(need(p.get(1)));
    const params = p.has(2) ? map(p.get(2)) : undefined;
    const authenticated = sub === 0x01 || sub === 0x02 || sub === 0x04 || sub === 0x06 || sub === 0x07;
    if (authenticated) {
      const protocol = int(need(p.get(3), S.PIN_REQUIRED));
      const param = bytes(need(p.get(4), S.PIN_REQUIRED));
      const message = Buffer.concat([Buffer.from([sub]), params ? simEncode(params) : Buffer.alloc(0)]);
      this.verifyToken(protocol, param, message, PERM_CM);
      // CTAP 2.1 §6.8.2/6.8.3: a token limited to an rpId cannot count or list every RP.
      if ((sub === 0x01 || sub === 0x02) && this.tokenRpId() !== undefined) throw new SimError(S.PIN_AUTH_INVALID);
    }
    switch (sub) {
      case 0x01:
        return new Map<unknown, unknown>([[1, this.residentCredentials.length], [2, this.profile.maxResidentCredentials - this.residentCredentials.length]]);
      case 0x02: {
        const rps = [...new Set(this.residentCredentials.map((c) => c.rpId))].sort();
        if (rps.length === 0) throw new SimError(S.NO_CREDENTIALS);
        this.rpEnum = rps.slice(1);
        return this.rpEntry(rps[0] as string).set(5, rps.length);
      }
      case 0x03: {
        const next = this.rpEnum?.shift();
        if (next === undefined) throw new SimError(S.NOT_ALLOWED);
        return this.rpEntry(next);
      }
      case 0x04: {
        const hash = bytes(need(need(params).get(1)));
        this.requireTokenRp((rpId) => sha256(rpId).equals(hash)); // §6.8.4
        const creds = this.residentCredentials.filter((c) => sha256(c.rpId).equals(hash)).sort((a, b) => a.created - b.created);
        if (creds.length === 0) throw new SimError(S.NO_CREDENTIALS);
        this.credEnum = creds.slice(1);
        return this.credEntry(creds[0] as SimCredential).set(9, creds.length);
      }
      case 0x05: {
        const next = this.credEnum?.shift();
        if (!next) throw new SimError(S.NOT_ALLOWED);
        return this.credEntry(next);
      }
      case 0x06: {
        const cred = this.managedCredential(need(params));
        this.state.credentials.splice(this.state.credentials.indexOf(cred), 1);
        this.markDirty();
        return undefined;
      }
      case 0x07: {
        // updateUserInformation (CTAP 2.1 §6.8.6): a 2.1 key only; the preview command set has no 0x07.
        if (!this.profile.options.credMgmt) throw new SimError(S.INVALID_SUBCOMMAND);
        const cred = this.managedCredential(need(params));
        const user = map(need(need(params).get(3)));
        if (!bytes(need(user.get('id'))).equals(Buffer.from(cred.userId, 'base64'))) throw new SimError(S.INVALID_PARAMETER);
        // Absent or empty members are removed, present ones replaced.
        const name = user.has('name') ? text(user.get('name')) : '';
        const displayName = user.has('displayName') ? text(user.get('displayName')) : '';
        if (name) cred.userName = name;
        else delete cred.userName;
        if (displayName) cred.displayName = displayName;
        else delete cred.displayName;
        this.markDirty();
        return undefined;
      }
      default:
        throw new SimError(S.INVALID_SUBCOMMAND);
    }
  }

  /** The resident credential named by subCommandParams.credentialID, within the token's rpId if it has one. */
  private managedCredential(params: M): SimCredential {
    const id = bytes(need(map(need(params.get(2))).get('id')));
    const cred = this.state.credentials.find((c) => c.resident && Buffer.from(c.id, 'base64').equals(id));
    if (!cred) throw new SimError(S.NO_CREDENTIALS);
    this.requireTokenRp((rpId) => rpId === cred.rpId); // §6.8.5, §6.8.6
    return cred;
  }

  /** The permissions RP ID of the current token (CTAP 2.1 tokens only). */
  private tokenRpId(): string | undefined {
    return this.profile.tokenPermissions ? this.token?.rpId : undefined;
  }

  private requireTokenRp(matches: (rpId: string) => boolean): void {
    const rpId = this.tokenRpId();
    if (rpId !== undefined && !matches(rpId)) throw new SimError(S.PIN_AUTH_INVALID);
  }

  private rpEntry(rpId: string): M {
    return new Map<unknown, unknown>([[3, new Map([['id', rpId]])], [4, sha256(rpId)]]);
  }

  private credEntry(c: SimCredential): M {
    const user = new Map<unknown, unknown>([['id', Buffer.from(c.userId, 'base64')]]);
    if (c.userName !== undefined) user.set('name', c.userName);
    if (c.displayName !== undefined) user.set('displayName', c.displayName);
    return new Map<unknown, unknown>([
      [6, user],
      [7, new Map<unknown, unknown>([['id', Buffer.from(c.id, 'base64')], ['type', 'public-key']])],
      [8, coseOf(c)],
      [0x0a, c.credProtect],
    ]);
  }

  // ---- reset ----

  private async reset(ctx: SimRequestContext): Promise<undefined> {
    await this.waitForPresence({ command: 'reset' }, ctx);
    const profile = this.state.profile;
    this.state = freshState(profile);
    this.powerCycle();
    this.markDirty();
    return undefined;
  }
}
