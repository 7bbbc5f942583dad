// sshd's publickey policy for sk keys, as the drill servers apply it: the key must be listed for
// the user, must be an sk key, the signature must verify over the session data (native/sk), user
// presence (UP) is always required and user verification (UV) where the device demands it.
// Method D v1.5 devices take the shared TelcoRO / TelcoRW passwords instead.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fingerprintSha256, parsePublicKeyBlob, parsePublicKeyLine, type ParsedPublicKey } from '../../native/sk/publickey';
import { verifySkSignature } from '../../native/sk/signature';
import { SkFlag } from '../../native/sk/types';
import type { DrillConfig } from './config';
import type { DrillRole } from './eos-shell';

export type AuthRefusal =
  | 'unknown-user' | 'unknown-key' | 'not-sk-key' | 'bad-signature' | 'up-missing' | 'uv-missing'
  | 'wrong-password' | 'method-not-allowed';

export type AuthRequest =
  | { method: 'publickey'; user: string; keyAlgo: string; keyBlob: Buffer; signature?: Buffer; signedData?: Buffer }
  | { method: 'password'; user: string; password: string }
  | { method: 'none' | 'other'; user: string };

export type AuthDecision =
  | { kind: 'accept'; user: string; role: DrillRole; method: 'publickey' | 'password'; keyFingerprint?: string; flags?: number; counter?: number }
  /** The key is acceptable; the client may now send a signature (the publickey "check"). */
  | { kind: 'key-ok'; user: string; keyFingerprint: string }
  | { kind: 'refuse'; user: string; reason: AuthRefusal; keyFingerprint?: string; flags?: number };

/** A v1.5 shared account. The password is kept only as a salted hash; the briefing shows the clear text once. */
export interface PasswordAccount {
  user: string;
  role: DrillRole;
  salt: Buffer;
  hash: Buffer;
}

export function passwordAccount(user: string, role: DrillRole, password: string): PasswordAccount {
  const salt = randomBytes(16);
  return { user, role, salt, hash: hashPassword(salt, password) };
}

function hashPassword(salt: Buffer, password: string): Buffer {
  return createHash('sha256').update(salt).update(password, 'utf8').digest();
}

interface KeyUser {
  role: DrillRole;
  keys: ParsedPublicKey[];
}

export interface AuthPolicy {
  /** Demand the UV flag (PIN or biometric), like `verify-required` in authorized_keys. */
  requireUv: boolean;
  /** Present on v1.5 devices: password only, no keys. */
  passwords?: PasswordAccount[];
}

export class DrillAuthenticator {
  private readonly users = new Map<string, KeyUser>();

  constructor(config: DrillConfig, private readonly policy: AuthPolicy) {
    for (const u of config.users) this.users.set(u.name, { role: u.role, keys: u.keys.map((l) => parsePublicKeyLine(l).key) });
  }

  /** The methods to offer after a refusal, as in SSH_MSG_USERAUTH_FAILURE. */
  get methods(): ('password' | 'publickey')[] {
    return this.policy.passwords ? ['password'] : ['publickey'];
  }

  decide(req: AuthRequest): AuthDecision {
    if (req.method === 'password') return this.password(req.user, req.password);
    if (req.method !== 'publickey' || this.policy.passwords) return { kind: 'refuse', user: req.user, reason: 'method-not-allowed' };
    return this.publicKey(req);
  }

  private password(user: string, password: string): AuthDecision {
    const account = this.policy.passwords?.find((a) => a.user === user);
    if (!this.policy.passwords) return { kind: 'refuse', user, reason: 'method-not-allowed' };
    if (!account) return { kind: 'refuse', user, reason: 'unknown-user' };
    if (!timingSafeEqual(hashPassword(account.salt, password), account.hash)) return { kind: 'refuse', user, reason: 'wrong-password' };
    return { kind: 'accept', user, role: account.role, method: 'password' };
  }

  private publicKey(req: Extract<AuthRequest, { method: 'publickey' }>): AuthDecision {
    const { user } = req;
    const entry = this.users.get(user);
    const keyFingerprint = fingerprintSha256(req.keyBlob);
    if (!entry) return { kind: 'refuse', user, reason: 'unknown-user', keyFingerprint };
    const key = entry.keys.find((k) => k.blob.equals(req.keyBlob));
    if (!key) return { kind: 'refuse', user, reason: 'unknown-key', keyFingerprint };
    if (!key.sk || req.keyAlgo !== key.type) return { kind: 'refuse', user, reason: 'not-sk-key', keyFingerprint };
    if (!req.signature || !req.signedData) return { kind: 'key-ok', user, keyFingerprint };
    let signed: { flags: number; counter: number };
    try {
      signed = verifySkSignature(parsePublicKeyBlob(req.keyBlob).sk ?? key.sk, req.signedData, req.signature);
    } catch {
      return { kind: 'refuse', user, reason: 'bad-signature', keyFingerprint };
    }
    if (!(signed.flags & SkFlag.UserPresenceRequired)) return { kind: 'refuse', user, reason: 'up-missing', keyFingerprint, flags: signed.flags };
    if (this.policy.requireUv && !(signed.flags & SkFlag.UserVerificationRequired)) {
      return { kind: 'refuse', user, reason: 'uv-missing', keyFingerprint, flags: signed.flags };
    }
    return { kind: 'accept', user, role: entry.role, method: 'publickey', keyFingerprint, flags: signed.flags, counter: signed.counter };
  }
}
