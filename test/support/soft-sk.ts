// A software "security key" for tests: the authenticator math of an OpenSSH sk key (ed25519-sk
// or ecdsa-sk) with node:crypto keys, so agent/sshd/ssh2 tests do not need the CTAP stack.
// Not a CTAP simulator: it signs SHA256(app) || flags || counter || SHA256(data) directly.
import { createECDH, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import type { AgentIdentity, SignRequestContext, SkSigner } from '../../electron/core/ssh/agent/types';
import { encodeSkPublicKeyBlob, formatPublicKeyLine } from '../../native/sk/publickey';
import { buildSkSignatureBlob } from '../../native/sk/signature';
import { SkFlag, SkKeyType, type SkAssertion, type SkKeyHandle, type SkPublicKey } from '../../native/sk/types';

export interface SoftSkOptions {
  type?: SkKeyType;
  application?: string;
  comment?: string;
  /** Flags put into every assertion (authData flags); default UP|UV = 0x05. */
  assertionFlags?: number;
  /** Counter of the next assertion; incremented after each. */
  counter?: number;
  /** Flags stored in the key file (requested at enrollment); default 0x25. */
  keyFlags?: number;
  /** Fixed key pair (golden vectors); default: a fresh random one. Must match `type`. */
  privateKey?: KeyObject;
  /** Fixed credential id; default: 64 random bytes. */
  keyHandle?: Buffer;
}

/** Deterministic private keys for golden vectors: Ed25519 from a 32-byte seed, P-256 from a scalar. */
export function fixedPrivateKey(type: SkKeyType, secret: Buffer): KeyObject {
  if (type === SkKeyType.Ed25519) {
    return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
  }
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(secret);
  const point = ecdh.getPublicKey();
  return createPrivateKey({
    key: { kty: 'EC', crv: 'P-256', d: secret.toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
}
/** PKCS#8 header of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class SoftSk {
  readonly publicKey: SkPublicKey;
  readonly handle: SkKeyHandle;
  readonly blob: Buffer;
  assertionFlags: number;
  counter: number;
  private readonly privateKey: KeyObject;

  constructor(opts: SoftSkOptions = {}) {
    const type = opts.type ?? SkKeyType.Ed25519;
    const application = opts.application ?? 'ssh:';
    this.privateKey = opts.privateKey
      ?? (type === SkKeyType.Ed25519 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' })).privateKey;
    const jwk = createPublicKey(this.privateKey).export({ format: 'jwk' });
    const pub = type === SkKeyType.Ed25519
      ? Buffer.from(jwk.x!, 'base64url')
      : Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    this.publicKey = { type, publicKey: pub, application };
    this.handle = {
      ...this.publicKey,
      flags: opts.keyFlags ?? (SkFlag.UserPresenceRequired | SkFlag.UserVerificationRequired | SkFlag.Resident),
      keyHandle: opts.keyHandle ?? randomBytes(64),
      comment: opts.comment ?? 'NexusIdentitySSHKey',
    };
    this.blob = encodeSkPublicKeyBlob(this.publicKey);
    this.assertionFlags = opts.assertionFlags ?? (SkFlag.UserPresenceRequired | SkFlag.UserVerificationRequired);
    this.counter = opts.counter ?? 1;
  }

  /** `.pub` line (with newline). */
  get publicKeyLine(): string {
    return formatPublicKeyLine(this.blob, this.handle.comment);
  }

  /** One getAssertion with clientDataHash = SHA-256(data), as a real key would answer. */
  assert(data: Buffer): SkAssertion {
    const flags = this.assertionFlags;
    const counter = this.counter++;
    const authData = Buffer.alloc(37);
    createHash('sha256').update(this.publicKey.application).digest().copy(authData, 0);
    authData[32] = flags;
    authData.writeUInt32BE(counter, 33);
    const signed = Buffer.concat([authData, createHash('sha256').update(data).digest()]);
    const signature = this.publicKey.type === SkKeyType.Ed25519
      ? cryptoSign(null, signed, this.privateKey)
      : cryptoSign('sha256', signed, this.privateKey); // DER, like an authenticator's ES256
    return { authData, signature, flags, counter };
  }

  signBlob(data: Buffer): Buffer {
    return buildSkSignatureBlob(this.publicKey.type, this.assert(data));
  }
}

export interface RecordedSignRequest {
  publicKeyBlob: Buffer;
  data: Buffer;
  context: SignRequestContext;
}

/** SkSigner over SoftSk keys that records every request (tests assert on hops and purposes). */
export class SoftSkSigner implements SkSigner {
  readonly requests: RecordedSignRequest[] = [];

  constructor(readonly keys: SoftSk[]) {}

  async identities(): Promise<AgentIdentity[]> {
    return this.keys.map((k) => ({ publicKeyBlob: k.blob, comment: k.handle.comment }));
  }

  async sign(publicKeyBlob: Buffer, data: Buffer, context: SignRequestContext): Promise<Buffer> {
    const key = this.keys.find((k) => k.blob.equals(publicKeyBlob));
    if (!key) throw new Error('soft-sk: no such key');
    this.requests.push({ publicKeyBlob, data, context });
    return key.signBlob(data);
  }
}
