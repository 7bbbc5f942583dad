// What the agent needs from whatever holds the keys (the real authenticator facade, or the
// software key in tests). Everything user-facing about a signature travels in the context.
import type { PinCache } from '../../../../native/authenticator/authenticator';

export interface AgentIdentity {
  /** Complete OpenSSH public key blob (for sk keys including the application string). */
  publicKeyBlob: Buffer;
  comment: string;
}

/** Why and for whom a signature is made; prompts show it ("sign in to leaf-02 via jump-01"). */
export interface SignRequestContext {
  purpose: string;
  hop?: string;
  /** Who asked: "nbg session", "ssh-agent socket client", ... */
  origin: string;
  /**
   * Holds the PIN across the signatures of one operation (a connect's ConnectScope: one PIN for
   * every hop). Without it each signature asks for the PIN.
   */
  pinCache?: PinCache;
  /** The asker is gone (agent client disconnected, login over): close its prompts, cancel the key (CTAPHID_CANCEL). */
  signal?: AbortSignal;
}

export interface SkSigner {
  identities(): Promise<AgentIdentity[]>;
  /** Returns the complete SSH signature blob (string type, string sig, byte flags, uint32 counter). */
  sign(publicKeyBlob: Buffer, data: Buffer, context: SignRequestContext): Promise<Buffer>;
  /** Told when a signature was refused before reaching the key (the operator declined it), to record it. */
  refused?(publicKeyBlob: Buffer, context: SignRequestContext, reason: string): Promise<void>;
}
