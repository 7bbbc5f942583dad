// A CoreInteraction for tests, the CLI's automation paths and drills: answers come from queues
// (or defaults) and every prompt is recorded, so tests assert what a person would have seen.
import type { KeyChoice, PinRequest, PromptContext } from '../../native/interaction';
import type {
  CoreInteraction, HostKeyDecision, HostKeyMismatch, HostKeyQuestion, PasswordQuestion, SignConfirmation,
} from '../../electron/core/prompts/interaction';

export type TouchBehaviour = 'wait' | 'cancel';

export class ScriptedInteraction implements CoreInteraction {
  readonly pins: PinRequest[] = [];
  readonly touches: PromptContext[] = [];
  readonly touchesClosed: PromptContext[] = [];
  readonly selections: KeyChoice[][] = [];
  readonly confirms: { kind: string; message: string }[] = [];
  readonly hostKeys: HostKeyQuestion[] = [];
  readonly mismatches: HostKeyMismatch[] = [];
  readonly passwords: PasswordQuestion[] = [];
  readonly signConfirmations: SignConfirmation[] = [];

  /** PINs handed out in order; when empty, `defaultPin` (null = cancel). */
  pinQueue: (string | null)[] = [];
  defaultPin: string | null = null;
  confirmQueue: boolean[] = [];
  defaultConfirm = false;
  selectAnswer: ((choices: KeyChoice[]) => string | null) = (c) => c[0]?.id ?? null;
  touchBehaviour: TouchBehaviour = 'wait';
  hostKeyAnswer: HostKeyDecision = 'refuse';
  passwordAnswer: string | null = null;
  confirmSignAnswer = false;

  constructor(init: Partial<Pick<ScriptedInteraction, 'defaultPin' | 'pinQueue' | 'confirmQueue' | 'defaultConfirm' | 'touchBehaviour' | 'hostKeyAnswer' | 'passwordAnswer' | 'confirmSignAnswer'>> = {}) {
    Object.assign(this, init);
  }

  async selectKey(choices: KeyChoice[]): Promise<string | null> {
    this.selections.push(choices);
    return this.selectAnswer(choices);
  }

  async pin(request: PinRequest): Promise<string | null> {
    this.pins.push(request);
    return this.pinQueue.length ? (this.pinQueue.shift() as string | null) : this.defaultPin;
  }

  touch(context: PromptContext, cancel: () => void): () => void {
    this.touches.push(context);
    if (this.touchBehaviour === 'cancel') setImmediate(cancel);
    return () => { this.touchesClosed.push(context); };
  }

  async confirm(q: { kind: string; message: string }): Promise<boolean> {
    this.confirms.push({ kind: q.kind, message: q.message });
    return this.confirmQueue.length ? (this.confirmQueue.shift() as boolean) : this.defaultConfirm;
  }

  async hostKey(q: HostKeyQuestion): Promise<HostKeyDecision> {
    this.hostKeys.push(q);
    return this.hostKeyAnswer;
  }

  async hostKeyMismatch(info: HostKeyMismatch): Promise<void> {
    this.mismatches.push(info);
  }

  async password(q: PasswordQuestion): Promise<string | null> {
    this.passwords.push(q);
    return this.passwordAnswer;
  }

  async confirmSign(r: SignConfirmation): Promise<boolean> {
    this.signConfirmations.push(r);
    return this.confirmSignAnswer;
  }
}
