// The SkSigner the agent and the sessions use in the app: identities are the sk handle files in
// the key store, signatures come from the security key through the authenticator facade, and
// every signature is put on record (fingerprint, flags, counter) before it leaves core.
import type { Authenticator } from '../../../native/authenticator/authenticator';
import { CancelledError } from '../../../native/interaction';
import { fingerprintSha256, parsePublicKeyLine } from '../../../native/sk/publickey';
import type { AuditSink } from '../audit/audit-log';
import { auditFailure } from '../audit/audited';
import type { AgentIdentity, SignRequestContext, SkSigner } from '../ssh/agent/types';
import { KeyNotFoundError, type KeyStore, type StoredKey } from './store';

export interface AuthenticatorSignerOptions {
  audit?: AuditSink;
  /** Only these files (e.g. the enrolled key); default: every sk key file in the store. */
  files?: string[];
}

export class AuthenticatorSigner implements SkSigner {
  constructor(private readonly auth: Authenticator, private readonly store: KeyStore, private readonly opts: AuthenticatorSignerOptions = {}) {}

  /** From the directory listing, which never decrypts: a passphrase is asked only when its key signs. */
  async identities(): Promise<AgentIdentity[]> {
    return (await this.keys()).map((k) => ({ publicKeyBlob: blobOf(k), comment: k.comment ?? '' }));
  }

  async sign(publicKeyBlob: Buffer, data: Buffer, context: SignRequestContext): Promise<Buffer> {
    const key = (await this.keys()).find((k) => blobOf(k).equals(publicKeyBlob));
    if (!key) throw new KeyNotFoundError(`matches ${fingerprintSha256(publicKeyBlob)}`);
    const handle = await this.store.read(key.file);
    const { pinCache, signal } = context;
    // Nobody is waiting any more: no PIN, no touch.
    if (signal?.aborted) throw new CancelledError('The signature');
    const prompt = { purpose: context.purpose, ...(context.hop ? { hop: context.hop } : {}), ...(signal ? { signal } : {}) };
    let result;
    try {
      result = await this.auth.sign(handle, data, { context: prompt, ...(pinCache ? { pinCache } : {}), ...(signal ? { signal } : {}) });
    } catch (err) {
      await this.refused(publicKeyBlob, context, auditFailure(err).message);
      throw err;
    }
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

  /** A signature asked for and not made (declined, cancelled, wrong PIN, key gone) goes on record too. */
  async refused(publicKeyBlob: Buffer, context: SignRequestContext, reason: string): Promise<void> {
    await this.opts.audit?.append({
      type: 'sign-refused',
      purpose: context.purpose,
      ...(context.hop ? { hop: context.hop } : {}),
      keyFingerprint: fingerprintSha256(publicKeyBlob),
      reason,
    }).catch(() => undefined);
  }

  private async keys(): Promise<StoredKey[]> {
    const keys = await this.store.list();
    if (!this.opts.files) return keys;
    const wanted = new Set(this.opts.files.map((f) => this.store.path(f)));
    return keys.filter((k) => wanted.has(k.file));
  }
}

function blobOf(key: StoredKey): Buffer {
  return parsePublicKeyLine(key.publicKeyLine.trimEnd()).key.blob;
}
