// The SkSigner the agent and the sessions use in the app: identities are the sk handle files in
// the key store, signatures come from the security key through the authenticator facade, and
// every signature is put on record (fingerprint, flags, counter) before it leaves core.
import type { Authenticator, PinCache } from '../../../native/authenticator';
import { encodeSkPublicKeyBlob, fingerprintSha256 } from '../../../native/sk/publickey';
import type { SkKeyHandle } from '../../../native/sk/types';
import type { AuditSink } from '../audit/audit-log';
import type { AgentIdentity, SignRequestContext, SkSigner } from '../ssh/agent/types';
import { KeyNotFoundError, type KeyStore } from './store';

/** A context that carries a per-connect PIN holder (ConnectScope) is used as the PIN cache. */
function pinCacheOf(context: SignRequestContext): PinCache | undefined {
  const connect = (context as { connect?: unknown }).connect;
  if (connect && typeof (connect as PinCache).pin === 'function' && typeof (connect as PinCache).forgetPin === 'function') {
    return connect as PinCache;
  }
  return undefined;
}

export interface AuthenticatorSignerOptions {
  audit?: AuditSink;
  /** Only these files (e.g. the enrolled key); default: every unencrypted-or-unlockable sk file in the store. */
  files?: string[];
}

export class AuthenticatorSigner implements SkSigner {
  constructor(private readonly auth: Authenticator, private readonly store: KeyStore, private readonly opts: AuthenticatorSignerOptions = {}) {}

  async identities(): Promise<AgentIdentity[]> {
    return (await this.handles()).map((h) => ({ publicKeyBlob: encodeSkPublicKeyBlob(h), comment: h.comment }));
  }

  async sign(publicKeyBlob: Buffer, data: Buffer, context: SignRequestContext): Promise<Buffer> {
    const handle = (await this.handles()).find((h) => encodeSkPublicKeyBlob(h).equals(publicKeyBlob));
    if (!handle) throw new KeyNotFoundError(`matches ${fingerprintSha256(publicKeyBlob)}`);
    const pinCache = pinCacheOf(context);
    const prompt = { purpose: context.purpose, ...(context.hop ? { hop: context.hop } : {}) };
    const result = await this.auth.sign(handle, data, { context: prompt, ...(pinCache ? { pinCache } : {}) });
    await this.opts.audit?.append({
      type: 'sign',
      keyFingerprint: fingerprintSha256(publicKeyBlob),
      purpose: context.purpose,
      ...(context.hop ? { hop: context.hop } : {}),
      origin: context.origin,
      flags: result.flags,
      counter: result.counter,
    });
    return result.signature;
  }

  private async handles(): Promise<SkKeyHandle[]> {
    if (this.opts.files) return Promise.all(this.opts.files.map((f) => this.store.read(f)));
    const keys = await this.store.list();
    return Promise.all(keys.map((k) => this.store.read(k.file)));
  }
}
