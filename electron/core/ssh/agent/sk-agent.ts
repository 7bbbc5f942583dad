// ssh2's agent interface over an SkSigner: the app's own ssh2 Clients authenticate with sk keys
// through this, with the signing context (hop, purpose) set per connection for the prompts.
import ssh2 from 'ssh2';
import type { IdentityCallback, ParsedKey, SignCallback, SigningRequestOptions } from 'ssh2';
import { parsePublicKeyLine } from '../../../../native/sk/publickey';
import type { SignRequestContext, SkSigner } from './types';

type AgentKey = Buffer | ParsedKey | string;

/** One per ssh2 connection (or per chain of hops sharing a context that is updated per hop). */
export class SkAgent extends ssh2.BaseAgent<AgentKey> {
  private context: SignRequestContext;

  constructor(private readonly signer: SkSigner, context: SignRequestContext) {
    super();
    this.context = { ...context };
  }

  /** Changes what the next signature prompt says (e.g. the next hop of a jump chain). */
  setContext(context: SignRequestContext): void {
    this.context = { ...context };
  }

  getContext(): SignRequestContext {
    return { ...this.context };
  }

  override getIdentities(cb: IdentityCallback<AgentKey>): void {
    this.signer.identities().then(
      (ids) => cb(null, ids.map((id) => id.publicKeyBlob)),
      (err: Error) => cb(err),
    );
  }

  override sign(pubKey: AgentKey, data: Buffer, options: SigningRequestOptions, cb?: SignCallback): void;
  override sign(pubKey: AgentKey, data: Buffer, cb: SignCallback): void;
  override sign(pubKey: AgentKey, data: Buffer, optionsOrCb: SigningRequestOptions | SignCallback, maybeCb?: SignCallback): void {
    const cb = typeof optionsOrCb === 'function' ? optionsOrCb : maybeCb;
    if (!cb) return;
    let blob: Buffer;
    try {
      blob = publicKeyBlobOf(pubKey);
    } catch (err) {
      cb(err as Error);
      return;
    }
    // The signer returns the complete sk signature blob; the ssh2 patch sends it as is.
    this.signer.sign(blob, data, this.getContext()).then((sig) => cb(null, sig), (err: Error) => cb(err));
  }
}

function publicKeyBlobOf(key: AgentKey): Buffer {
  if (Buffer.isBuffer(key)) return key;
  if (typeof key === 'string') return parsePublicKeyLine(key).key.blob;
  return key.getPublicSSH();
}
