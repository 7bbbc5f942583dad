// Everything core may ask a person, beyond what the security key needs (native/interaction.ts).
// The PromptBroker implements this for the UI; the CLI, tests and drills implement it directly.
import type { PromptContext, UserInteraction } from '../../../native/interaction';

export type HostKeyDecision = 'trust-once' | 'trust-always' | 'refuse';

export interface HostKeyQuestion {
  host: string;
  port: number;
  keyType: string;
  /** "SHA256:..." as ssh-keygen -l prints it. */
  fingerprint: string;
  context: PromptContext;
}

export interface HostKeyMismatch extends HostKeyQuestion {
  /** Fingerprint(s) on record for this host. */
  expected: string[];
  /** Where the recorded key came from (file:line). */
  source: string;
}

export interface PasswordQuestion {
  context: PromptContext;
  user: string;
  host: string;
  /** Server-provided prompt text for keyboard-interactive, else a default. */
  prompt: string;
}

export interface SignConfirmation {
  keyFingerprint: string;
  context: PromptContext;
  /** Who asked: "local ssh client", "forwarded from leaf-02", ... */
  origin: string;
}

export interface CoreInteraction extends UserInteraction {
  hostKey(question: HostKeyQuestion): Promise<HostKeyDecision>;
  /** A changed host key: a hard stop the person can only acknowledge. */
  hostKeyMismatch(info: HostKeyMismatch): Promise<void>;
  /** Method D v1.5 password; null = cancel. Never stored. */
  password(question: PasswordQuestion): Promise<string | null>;
  confirmSign(request: SignConfirmation): Promise<boolean>;
}

/** The elevated step (PIN management) also asks for a new PIN, which the UI has typed twice. */
export interface StepInteraction extends CoreInteraction {
  /** null = cancel. */
  newPin(context: PromptContext): Promise<string | null>;
}
