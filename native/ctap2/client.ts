import { ErrorCode } from '../../electron/shared/error-codes';
import { CtapHidChannel, DEFAULT_TIMEOUT_MS, type TransactOptions } from '../ctaphid/channel';
import { NbgError } from '../errors';
import { type CborMap, decodeCbor, encodeCbor } from './cbor';
import { type CoseKey, coseKeyToMap } from './cose';
import { type PinRetries, parseKeyAgreementReply, parsePinRetries, parseTokenReply } from './client-pin-replies';
import {
  CredMgmtKey, CredMgmtParam, CredMgmtSub, type CredsMetadata, type ResidentCredential, type RpEntry,
  parseCredentialEntry, parseCredsMetadata, parseRpEntry,
} from './cred-mgmt';
import { asMap } from './fields';
import {
  type AssertionResult, type ExpectedSigner, type GetAssertionRequest, buildGetAssertionParams, parseGetAssertionResponse,
} from './get-assertion';
import { type AuthenticatorInfo, type CredMgmtCommand, credMgmtCommand, parseGetInfo, preferredPinProtocol } from './getinfo';
import {
  type MakeCredentialRequest, type MakeCredentialResult, type PublicKeyCredentialUser, buildMakeCredentialParams, parseMakeCredentialResponse,
} from './make-credential';
import { PinProtocolError, PinToken, type PinUvAuthProtocol, pinProtocol } from './pin-protocol';
import { CtapStatus, Ctap2StatusError } from './status';
import { CborDecodeError } from './cbor';
import { sha256 } from './verify';

/** Per-call options: keepalive events for "touch your key", cancel via AbortSignal, host timeout. */
export type CallOptions = TransactOptions;

export const Ctap2Cmd = {
  makeCredential: 0x01, getAssertion: 0x02, getInfo: 0x04, clientPin: 0x06, reset: 0x07, getNextAssertion: 0x08,
  credentialManagement: 0x0a, selection: 0x0b, credentialManagementPreview: 0x41,
} as const;

export const ClientPinSub = {
  getPinRetries: 0x01, getKeyAgreement: 0x02, setPin: 0x03, changePin: 0x04, getPinToken: 0x05,
  getPinUvAuthTokenUsingUvWithPermissions: 0x06, getUvRetries: 0x07, getPinUvAuthTokenUsingPinWithPermissions: 0x09,
} as const;

const ClientPinKey = { pinUvAuthProtocol: 1, subCommand: 2, keyAgreement: 3, pinUvAuthParam: 4, newPinEnc: 5, pinHashEnc: 6, permissions: 9, rpId: 0x0a } as const;

/** Commands that wait for a touch get a host timeout beyond the key's own ~30 s. */
const UP_TIMEOUT_MS = 60_000;
/** Until getInfo says otherwise (python-fido2's assumption). */
const DEFAULT_MAX_MSG_SIZE = 1024;
const PIN_MIN_BYTES = 4;
const PIN_MAX_BYTES = 63;
const PIN_PADDED_LEN = 64;

export class PinFormatError extends NbgError {
  constructor() {
    super(ErrorCode.PIN_FORMAT, `A PIN must be ${PIN_MIN_BYTES} to ${PIN_MAX_BYTES} bytes long.`);
  }
}

export class Ctap2UnsupportedError extends NbgError {
  constructor(what: string) {
    super(ErrorCode.CTAP2_UNSUPPORTED, `This security key does not support ${what}.`);
  }
}

export class RequestTooLargeError extends NbgError {
  constructor(size: number, max: number) {
    super(ErrorCode.CTAP2_REQUEST_TOO_LARGE, `The request (${size} bytes) is larger than this security key accepts (${max} bytes).`);
  }
}

export interface TokenOptions {
  /** Defaults to the key's preferred protocol. */
  protocol?: 1 | 2;
  /** With permissions the 2.1 subcommand 0x09 is used (needs options.pinUvAuthToken); without, legacy 0x05. */
  permissions?: number;
  rpId?: string;
}

/** CTAP2 over one CTAPHID channel. Stateless apart from the cached getInfo. */
export class Ctap2Client {
  private info: AuthenticatorInfo | undefined;
  /** getNextAssertion replies are checked against the request that started the sequence. */
  private lastAssertion: { req: GetAssertionRequest } | undefined;

  constructor(readonly channel: CtapHidChannel) {}

  /** Raw command: returns the decoded reply map (empty when the key sent no map) or throws Ctap2StatusError. */
  async call(cmd: number, params: Map<number, unknown> | undefined, opts: CallOptions = {}, defaultTimeoutMs = DEFAULT_TIMEOUT_MS): Promise<CborMap> {
    const body = params ? encodeCbor(params) : Buffer.alloc(0);
    const payload = Buffer.concat([Buffer.from([cmd]), body]);
    const max = this.info?.maxMsgSize ?? DEFAULT_MAX_MSG_SIZE;
    if (payload.length > max) throw new RequestTooLargeError(payload.length, max);
    const reply = await this.channel.cbor(payload, { ...opts, timeoutMs: opts.timeoutMs ?? defaultTimeoutMs });
    return parseCtap2Reply(reply);
  }

  async getInfo(opts?: CallOptions): Promise<AuthenticatorInfo> {
    this.info = parseGetInfo(await this.call(Ctap2Cmd.getInfo, undefined, opts));
    return this.info;
  }

  private async ensureInfo(opts?: CallOptions): Promise<AuthenticatorInfo> {
    return this.info ?? this.getInfo(opts);
  }

  private async protocolFor(requested: 1 | 2 | undefined, opts?: CallOptions): Promise<PinUvAuthProtocol> {
    const info = await this.ensureInfo(opts);
    const v = requested ?? preferredPinProtocol(info);
    if (v === undefined) throw new Ctap2UnsupportedError('PINs');
    if (info.pinUvAuthProtocols.length && !info.pinUvAuthProtocols.includes(v)) throw new Ctap2UnsupportedError(`PIN protocol ${v}`);
    return pinProtocol(v);
  }

  // ---- clientPIN ----

  async getPinRetries(opts?: CallOptions): Promise<PinRetries> {
    const proto = await this.protocolFor(undefined, opts);
    return parsePinRetries(await this.call(Ctap2Cmd.clientPin, new Map([[ClientPinKey.pinUvAuthProtocol, proto.version], [ClientPinKey.subCommand, ClientPinSub.getPinRetries]]), opts));
  }

  async getKeyAgreement(protocol: PinUvAuthProtocol, opts?: CallOptions): Promise<CoseKey> {
    return parseKeyAgreementReply(await this.call(Ctap2Cmd.clientPin, new Map([[ClientPinKey.pinUvAuthProtocol, protocol.version], [ClientPinKey.subCommand, ClientPinSub.getKeyAgreement]]), opts));
  }

  /**
   * PIN → pinUvAuthToken. A wrong PIN throws Ctap2StatusError PIN_INVALID carrying the retries
   * left (read from the key right after), so the prompt can show the real count.
   */
  async getPinToken(pin: string, tokenOpts: TokenOptions = {}, opts?: CallOptions): Promise<PinToken> {
    const proto = await this.protocolFor(tokenOpts.protocol, opts);
    const info = await this.ensureInfo(opts);
    const withPermissions = tokenOpts.permissions !== undefined;
    if (withPermissions && !info.options.pinUvAuthToken) throw new Ctap2UnsupportedError('PIN tokens with permissions (CTAP 2.1)');
    const pinHash = pinHash16(pin); // format errors surface before the key is asked anything
    let sharedSecret: Buffer | undefined;
    try {
      const peer = await this.getKeyAgreement(proto, opts);
      const agreed = proto.encapsulate(peer);
      sharedSecret = agreed.sharedSecret;
      const keyAgreement = agreed.keyAgreement;
      const params = new Map<number, unknown>([
        [ClientPinKey.pinUvAuthProtocol, proto.version],
        [ClientPinKey.subCommand, withPermissions ? ClientPinSub.getPinUvAuthTokenUsingPinWithPermissions : ClientPinSub.getPinToken],
        [ClientPinKey.keyAgreement, coseKeyToMap(keyAgreement)],
        [ClientPinKey.pinHashEnc, proto.encrypt(sharedSecret, pinHash)],
      ]);
      if (withPermissions) {
        params.set(ClientPinKey.permissions, tokenOpts.permissions);
        if (tokenOpts.rpId !== undefined) params.set(ClientPinKey.rpId, tokenOpts.rpId);
      }
      const m = await this.withPinRetries(() => this.call(Ctap2Cmd.clientPin, params, opts), opts);
      const token = proto.decrypt(sharedSecret, parseTokenReply(m));
      if (!(token.length === 32 || (proto.version === 1 && token.length === 16))) throw new PinProtocolError(`token of ${token.length} bytes`);
      return new PinToken(proto, token, tokenOpts.permissions, tokenOpts.rpId);
    } finally {
      pinHash.fill(0);
      sharedSecret?.fill(0);
    }
  }

  async setPin(pin: string, opts?: CallOptions): Promise<void> {
    const proto = await this.protocolFor(undefined, opts);
    const padded = padPin(pin);
    let sharedSecret: Buffer | undefined;
    try {
      const agreed = proto.encapsulate(await this.getKeyAgreement(proto, opts));
      sharedSecret = agreed.sharedSecret;
      const newPinEnc = proto.encrypt(sharedSecret, padded);
      await this.call(Ctap2Cmd.clientPin, new Map<number, unknown>([
        [ClientPinKey.pinUvAuthProtocol, proto.version],
        [ClientPinKey.subCommand, ClientPinSub.setPin],
        [ClientPinKey.keyAgreement, coseKeyToMap(agreed.keyAgreement)],
        [ClientPinKey.pinUvAuthParam, proto.authenticate(sharedSecret, newPinEnc)],
        [ClientPinKey.newPinEnc, newPinEnc],
      ]), opts);
    } finally {
      padded.fill(0);
      sharedSecret?.fill(0);
    }
  }

  async changePin(oldPin: string, newPin: string, opts?: CallOptions): Promise<void> {
    const proto = await this.protocolFor(undefined, opts);
    const padded = padPin(newPin);
    const oldHash = pinHash16(oldPin);
    let sharedSecret: Buffer | undefined;
    try {
      const agreed = proto.encapsulate(await this.getKeyAgreement(proto, opts));
      const ss = (sharedSecret = agreed.sharedSecret);
      const newPinEnc = proto.encrypt(ss, padded);
      const pinHashEnc = proto.encrypt(ss, oldHash);
      await this.withPinRetries(() => this.call(Ctap2Cmd.clientPin, new Map<number, unknown>([
        [ClientPinKey.pinUvAuthProtocol, proto.version],
        [ClientPinKey.subCommand, ClientPinSub.changePin],
        [ClientPinKey.keyAgreement, coseKeyToMap(agreed.keyAgreement)],
        [ClientPinKey.pinUvAuthParam, proto.authenticate(ss, Buffer.concat([newPinEnc, pinHashEnc]))],
        [ClientPinKey.newPinEnc, newPinEnc],
        [ClientPinKey.pinHashEnc, pinHashEnc],
      ]), opts), opts);
    } finally {
      padded.fill(0);
      oldHash.fill(0);
      sharedSecret?.fill(0);
    }
  }

  private async withPinRetries<T>(f: () => Promise<T>, opts?: CallOptions): Promise<T> {
    try {
      return await f();
    } catch (err) {
      if (err instanceof Ctap2StatusError && err.status === CtapStatus.PIN_INVALID && err.retriesLeft === undefined) {
        const { retries } = await this.getPinRetries(opts);
        throw new Ctap2StatusError(CtapStatus.PIN_INVALID, retries);
      }
      throw err;
    }
  }

  // ---- credentials ----

  async makeCredential(req: MakeCredentialRequest, token?: PinToken, opts?: CallOptions): Promise<MakeCredentialResult> {
    const auth = token ? { param: token.authenticate(req.clientDataHash), protocol: token.protocol.version } : undefined;
    const m = await this.call(Ctap2Cmd.makeCredential, buildMakeCredentialParams(req, auth), opts, UP_TIMEOUT_MS);
    return parseMakeCredentialResponse(m, req);
  }

  /** `signer` (stored public key) makes the signature verified before it is returned. */
  async getAssertion(req: GetAssertionRequest, token?: PinToken, signer?: ExpectedSigner, opts?: CallOptions): Promise<AssertionResult> {
    const auth = token ? { param: token.authenticate(req.clientDataHash), protocol: token.protocol.version } : undefined;
    const m = await this.call(Ctap2Cmd.getAssertion, buildGetAssertionParams(req, auth), opts, UP_TIMEOUT_MS);
    this.lastAssertion = { req };
    return parseGetAssertionResponse(m, req, signer);
  }

  /** The next of `numberOfCredentials` discoverable assertions from the last getAssertion. */
  async getNextAssertion(signer?: ExpectedSigner, opts?: CallOptions): Promise<AssertionResult> {
    if (!this.lastAssertion) throw new Ctap2StatusError(CtapStatus.NOT_ALLOWED);
    const m = await this.call(Ctap2Cmd.getNextAssertion, undefined, opts);
    return parseGetAssertionResponse(m, this.lastAssertion.req, signer);
  }

  /** Credential management with a token (permission cm on 2.1 keys; legacy token on preview keys). */
  async credentialManagement(token: PinToken, opts?: CallOptions): Promise<CredentialManagement> {
    const command = credMgmtCommand(await this.ensureInfo(opts));
    if (command === undefined) throw new Ctap2UnsupportedError('credential management');
    return new CredentialManagement(this, token, command);
  }

  /** CTAP 2.1 authenticatorSelection: blink and wait for a touch. */
  async selection(opts?: CallOptions): Promise<void> {
    await this.call(Ctap2Cmd.selection, undefined, opts, UP_TIMEOUT_MS);
  }

  wink(opts?: CallOptions): Promise<void> {
    return this.channel.wink(opts);
  }
}

export class CredentialManagement {
  constructor(private readonly client: Ctap2Client, private readonly token: PinToken, readonly command: CredMgmtCommand) {}

  private async sub(subCommand: number, params: Map<number, unknown> | undefined, authenticated: boolean, opts?: CallOptions): Promise<CborMap> {
    const m = new Map<number, unknown>([[CredMgmtKey.subCommand, subCommand]]);
    if (params) m.set(CredMgmtKey.subCommandParams, params);
    if (authenticated) {
      const message = Buffer.concat([Buffer.from([subCommand]), params ? encodeCbor(params) : Buffer.alloc(0)]);
      m.set(CredMgmtKey.pinUvAuthProtocol, this.token.protocol.version);
      m.set(CredMgmtKey.pinUvAuthParam, this.token.authenticate(message));
    }
    return this.client.call(this.command, m, opts);
  }

  async getMetadata(opts?: CallOptions): Promise<CredsMetadata> {
    return parseCredsMetadata(await this.sub(CredMgmtSub.getCredsMetadata, undefined, true, opts));
  }

  async enumerateRps(opts?: CallOptions): Promise<RpEntry[]> {
    return this.enumerate(CredMgmtSub.enumerateRPsBegin, CredMgmtSub.enumerateRPsGetNextRP, undefined, parseRpEntry, opts);
  }

  async enumerateCredentials(rpIdHash: Buffer, opts?: CallOptions): Promise<ResidentCredential[]> {
    const params = new Map<number, unknown>([[CredMgmtParam.rpIdHash, rpIdHash]]);
    return this.enumerate(CredMgmtSub.enumerateCredentialsBegin, CredMgmtSub.enumerateCredentialsGetNextCredential, params, parseCredentialEntry, opts);
  }

  /** Authenticated begin (NO_CREDENTIALS → []), then unauthenticated getNext until the announced total. */
  private async enumerate<T extends { total?: number }>(
    begin: number, next: number, params: Map<number, unknown> | undefined, parse: (m: CborMap) => T, opts?: CallOptions,
  ): Promise<T[]> {
    let reply: CborMap;
    try {
      reply = await this.sub(begin, params, true, opts);
    } catch (err) {
      // The spec's answer to "begin" on an empty key (CTAP 2.1 §6.8.3/6.8.4): none stored, not a failure.
      if (err instanceof Ctap2StatusError && err.status === CtapStatus.NO_CREDENTIALS) return [];
      throw err;
    }
    // solo1 (and keys built on its firmware) answer an empty key with success and no body; an
    // entry always has members, so an empty map is the same "none stored" (python-fido2 reads it so too).
    if (reply.size === 0) return [];
    const first = parse(reply);
    const out = [first];
    const total = first.total ?? 1;
    for (let i = 1; i < total; i++) out.push(parse(await this.sub(next, undefined, false, opts)));
    return out;
  }

  /** CTAP 2.1 §6.8.6: replaces the stored user name and display name (absent ones are removed); the user id must match. */
  async updateUserInformation(credentialId: Buffer, user: PublicKeyCredentialUser, opts?: CallOptions): Promise<void> {
    const stored: Record<string, unknown> = { id: user.id };
    if (user.name !== undefined) stored.name = user.name;
    if (user.displayName !== undefined) stored.displayName = user.displayName;
    await this.sub(CredMgmtSub.updateUserInformation, new Map<number, unknown>([
      [CredMgmtParam.credentialId, { id: credentialId, type: 'public-key' }],
      [CredMgmtParam.user, stored],
    ]), true, opts);
  }

  async deleteCredential(credentialId: Buffer, opts?: CallOptions): Promise<void> {
    await this.sub(CredMgmtSub.deleteCredential, new Map([[CredMgmtParam.credentialId, { id: credentialId, type: 'public-key' }]]), true, opts);
  }
}

/** status byte || CBOR map. Non-zero status → Ctap2StatusError; body must be exactly one map. */
export function parseCtap2Reply(reply: Buffer): CborMap {
  if (reply.length === 0) throw new CborDecodeError('empty reply');
  const status = reply[0] as number;
  if (status !== CtapStatus.SUCCESS) throw new Ctap2StatusError(status);
  if (reply.length === 1) return new Map();
  return asMap(decodeCbor(reply.subarray(1)), 'reply');
}

function pinBytes(pin: string): Buffer {
  const b = Buffer.from(pin, 'utf8');
  if (b.length < PIN_MIN_BYTES || b.length > PIN_MAX_BYTES) {
    b.fill(0);
    throw new PinFormatError();
  }
  return b;
}

function pinHash16(pin: string): Buffer {
  const b = pinBytes(pin);
  const h = sha256(b).subarray(0, 16);
  b.fill(0);
  return Buffer.from(h);
}

function padPin(pin: string): Buffer {
  const b = pinBytes(pin);
  const out = Buffer.alloc(PIN_PADDED_LEN);
  b.copy(out);
  b.fill(0);
  return out;
}

