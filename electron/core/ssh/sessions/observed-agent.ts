// Wraps the agent ssh2 signs with for one hop, so the session learns what was signed (key
// fingerprint, sk flags and counter), counts signatures, and writes the audit `sign` event.
import { BaseAgent, type ParsedKey } from 'ssh2';
import type { GetStreamCallback, IdentityCallback, SignCallback, SigningRequestOptions } from 'ssh2';
import { fingerprintSha256, isSkKeyType } from '../../../../native/sk/publickey';
import { parseSkSignatureBlob } from '../../../../native/sk/signature';

type AgentKey = string | Buffer | ParsedKey;

export interface SignObservation {
  keyFingerprint: string;
  /** Present for sk keys: the authenticator's flags and counter from the signature blob. */
  sk?: { flags: number; counter: number };
}

function publicBlob(key: AgentKey): Buffer | undefined {
  if (Buffer.isBuffer(key)) return key;
  if (typeof key === 'string') return undefined;
  return key.getPublicSSH();
}

export class ObservedAgent extends BaseAgent {
  /** `hold` is called as a signature starts (it may wait for a PIN and a touch); its result when it ends. */
  constructor(private readonly inner: BaseAgent, private readonly onSign: (observation: SignObservation) => void,
    private readonly hold: () => () => void = () => () => undefined) {
    super();
  }

  override getIdentities(cb: IdentityCallback): void {
    this.inner.getIdentities(cb);
  }

  override sign(pubKey: AgentKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    const done = typeof options === 'function' ? options : cb;
    if (!done) return; // ssh2 always passes a callback: without one nobody would get the signature
    const opts = typeof options === 'function' ? {} : options;
    const release = this.hold();
    this.inner.sign(pubKey, data, opts, (err?: Error | null, signature?: Buffer) => {
      release();
      if (!err && signature) {
        const blob = publicBlob(pubKey);
        if (blob) {
          const parsedType = typeof pubKey === 'object' && !Buffer.isBuffer(pubKey) ? pubKey.type : '';
          // sk signatures arrive as the complete blob (patched ssh2), carrying flags and counter.
          let sk: SignObservation['sk'];
          if (isSkKeyType(parsedType)) {
            const parsed = parseSkSignatureBlob(signature);
            sk = { flags: parsed.flags, counter: parsed.counter };
          }
          this.onSign({ keyFingerprint: fingerprintSha256(blob), ...(sk ? { sk } : {}) });
        }
      }
      done(err, signature);
    });
  }

  override getStream(cb: GetStreamCallback): void {
    if (this.inner.getStream) this.inner.getStream(cb);
    else cb(new Error('this agent cannot be forwarded'));
  }
}
