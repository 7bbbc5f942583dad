// What protocol code may ask of a person. Injected (python-fido2's UserInteraction idea), so the
// desktop UI, the CLI, tests and drills answer the same questions. Protocol code never imports UI.
import { NbgError } from './errors';
import { ErrorCode } from '../electron/shared/error-codes';

/** The person said no: cancelled a prompt, a key choice or a Windows Security dialog. */
export class CancelledError extends NbgError {
  constructor(what = 'The operation') {
    super(ErrorCode.CANCELLED, `${what} was cancelled.`);
  }
}

/** Where and why: every prompt names its hop and purpose ("sign in to leaf-02 via jump-01"). */
export interface PromptContext {
  purpose: string;
  hop?: string;
  /** The asking operation's lifetime: when it aborts (timeout, cancel, server gone, tab closed)
   *  the prompt closes with it, and a late answer is ignored. */
  signal?: AbortSignal;
}

export interface KeyChoice {
  /** Stable id of a connected authenticator (its transport path). */
  id: string;
  label: string;
}

export interface PinRequest {
  context: PromptContext;
  /** Retries left, read from the key before asking (never guessed). */
  retriesLeft: number;
  /** True when the previous attempt in this operation was wrong. */
  previousWrong: boolean;
}

export interface UserInteraction {
  /** Several keys connected: pick one. Resolves to a KeyChoice id, or null to cancel. */
  selectKey(choices: KeyChoice[], context: PromptContext): Promise<string | null>;
  /** Ask for the PIN. Resolves to null when the person cancels. */
  pin(request: PinRequest): Promise<string | null>;
  /**
   * The key is waiting for a touch. `cancel` aborts the operation down to the key
   * (CTAPHID_CANCEL); the returned function is called when the touch wait ends.
   */
  touch(context: PromptContext, cancel: () => void): () => void;
  /** A yes/no decision (overwrite a resident key, set a PIN first, ...). */
  confirm(question: { kind: string; message: string; context: PromptContext }): Promise<boolean>;
}
