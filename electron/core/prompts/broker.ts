// PromptBroker: core's questions to a person, shown one at a time across all tabs (Teleport's
// "important modal" semaphore). Each prompt names its hop and purpose and has a deadline; closing
// or missing it cancels the operation that asked (down to the key for a touch). A prompt belongs
// to its operation: when that ends (its context's signal aborts) the prompt closes too, and an
// answer that arrives afterwards is ignored.
import { randomUUID } from 'node:crypto';
import { NbgError } from '../../../native/errors';
import type { KeyChoice, PinRequest, PromptContext } from '../../../native/interaction';
import { ErrorCode } from '../../shared/error-codes';
import { inertText } from '../../shared/inert-text';
import type { Prompt, PromptAnswer, PromptClosedReason, PromptKind } from '../../shared/prompts';
import type {
  HostKeyDecision, HostKeyMismatch, HostKeyQuestion, PasswordQuestion, SignConfirmation, StepInteraction,
} from './interaction';

export class PromptNotFoundError extends NbgError {
  constructor() {
    super(ErrorCode.PROMPT_NOT_FOUND, 'That prompt is no longer open (it was answered, cancelled or timed out).');
  }
}

export class PromptAnswerMismatchError extends NbgError {
  constructor(expected: PromptKind, got: string) {
    super(ErrorCode.PROMPT_ANSWER_MISMATCH, `The open prompt asks for ${expected}, not ${got}.`);
  }
}

/** How long a visible prompt waits before cancelling itself. The touch wait matches keys' own ~30 s. */
export const DEFAULT_PROMPT_TIMEOUT_MS: Record<PromptKind, number> = {
  'select-key': 120_000,
  pin: 120_000,
  touch: 30_000,
  'host-key': 300_000,
  'confirm-sign': 60_000,
  'overwrite-key': 120_000,
  confirm: 120_000,
  password: 120_000,
  'new-pin': 120_000,
};

/** How many closed prompt ids are remembered, so a late answer to one is ignored, not an error. */
const CLOSED_IDS_KEPT = 64;

type PromptFields = DistributiveOmit<Prompt, 'id' | 'hop' | 'purpose' | 'deadline' | 'queued'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Pending {
  id: string;
  fields: PromptFields;
  context: PromptContext;
  deadline?: number;
  timer?: NodeJS.Timeout;
  /** Stops listening to the operation's signal. */
  detach?: () => void;
  /** Returns false when the answer does not fit this prompt. */
  answer(answer: PromptAnswer): boolean;
  cancel(): void;
}

export interface PromptBrokerOptions {
  timeoutsMs?: Partial<Record<PromptKind, number>>;
  now?: () => number;
}

export class PromptBroker implements StepInteraction {
  private readonly queue: Pending[] = [];
  private readonly listeners = new Set<(prompt: Prompt | null) => void>();
  private readonly closedListeners = new Set<(id: string, reason: PromptClosedReason) => void>();
  private readonly closedIds: string[] = [];
  private readonly timeouts: Record<PromptKind, number>;
  private readonly now: () => number;

  constructor(options: PromptBrokerOptions = {}) {
    this.timeouts = { ...DEFAULT_PROMPT_TIMEOUT_MS, ...options.timeoutsMs };
    this.now = options.now ?? Date.now;
  }

  /** The visible prompt, or null. */
  current(): Prompt | null {
    const head = this.queue[0];
    if (!head) return null;
    return {
      ...head.fields,
      id: head.id,
      ...(head.context.hop !== undefined ? { hop: head.context.hop } : {}),
      purpose: head.context.purpose,
      deadline: head.deadline ?? 0,
      queued: this.queue.length - 1,
    } as Prompt;
  }

  /** Called with the visible prompt whenever it (or the queue behind it) changes. */
  onChange(listener: (prompt: Prompt | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with the id of every prompt that closes, and why (the UI drops its form for it). */
  onClosed(listener: (id: string, reason: PromptClosedReason) => void): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  /** Whether `id` was a prompt that has closed (answered, cancelled, timed out, operation ended). */
  wasClosed(id: string): boolean {
    return this.closedIds.includes(id);
  }

  /** Answers the visible prompt. An answer to a prompt that has already closed is ignored. */
  answer(id: string, answer: PromptAnswer): void {
    const pending = this.queue.find((p) => p.id === id);
    if (!pending && this.wasClosed(id)) return;
    if (!pending || pending !== this.queue[0]) throw new PromptNotFoundError();
    if (!pending.answer(answer)) throw new PromptAnswerMismatchError(pending.fields.kind, answer.kind);
    this.remove(pending, 'answered');
  }

  /** Cancels a prompt (visible or queued); the operation that asked is told "cancelled". */
  cancel(id: string): void {
    const pending = this.queue.find((p) => p.id === id);
    if (!pending && this.wasClosed(id)) return;
    if (!pending) throw new PromptNotFoundError();
    this.remove(pending, 'cancelled');
    pending.cancel();
  }

  /** Cancels everything (window closed, app quitting). */
  cancelAll(): void {
    for (const pending of [...this.queue]) {
      this.remove(pending, 'cancelled');
      pending.cancel();
    }
  }

  selectKey(choices: KeyChoice[], context: PromptContext): Promise<string | null> {
    return this.ask<string | null>({ kind: 'select-key', choices }, context, null,
      (a) => (a.kind === 'select-key' && choices.some((c) => c.id === a.keyId) ? { value: a.keyId } : undefined));
  }

  pin(request: PinRequest): Promise<string | null> {
    return this.ask<string | null>(
      { kind: 'pin', retriesLeft: request.retriesLeft, previousWrong: request.previousWrong },
      request.context, null, (a) => (a.kind === 'pin' ? { value: a.pin } : undefined));
  }

  touch(context: PromptContext, cancel: () => void): () => void {
    const pending = this.enqueue({ kind: 'touch' }, context, {
      answer: () => false, // a touch is answered by the key, not by the UI
      cancel,
    });
    return () => {
      if (this.queue.includes(pending)) this.remove(pending, 'answered');
    };
  }

  confirm(question: { kind: string; message: string; context: PromptContext }): Promise<boolean> {
    const fields: PromptFields = question.kind === 'overwrite-key'
      ? { kind: 'overwrite-key', message: question.message }
      : { kind: 'confirm', question: question.kind, message: question.message };
    return this.ask<boolean>(fields, question.context, false,
      (a) => (a.kind === fields.kind && 'approve' in a ? { value: a.approve } : undefined));
  }

  hostKey(q: HostKeyQuestion): Promise<HostKeyDecision> {
    return this.ask<HostKeyDecision>(
      { kind: 'host-key', host: q.host, port: q.port, keyType: q.keyType, fingerprint: q.fingerprint },
      q.context, 'refuse',
      (a) => (a.kind === 'host-key' && a.decision !== 'acknowledge' ? { value: a.decision } : undefined));
  }

  hostKeyMismatch(info: HostKeyMismatch): Promise<void> {
    return this.ask<void>(
      { kind: 'host-key', host: info.host, port: info.port, keyType: info.keyType, fingerprint: info.fingerprint,
        mismatch: { expected: info.expected, source: info.source } },
      info.context, undefined,
      (a) => (a.kind === 'host-key' && a.decision === 'acknowledge' ? { value: undefined } : undefined));
  }

  password(q: PasswordQuestion): Promise<string | null> {
    return this.ask<string | null>({ kind: 'password', user: q.user, host: q.host, prompt: q.prompt },
      q.context, null, (a) => (a.kind === 'password' ? { value: a.password } : undefined));
  }

  newPin(context: PromptContext): Promise<string | null> {
    return this.ask<string | null>({ kind: 'new-pin' }, context, null, (a) => (a.kind === 'new-pin' ? { value: a.pin } : undefined));
  }

  confirmSign(r: SignConfirmation): Promise<boolean> {
    return this.ask<boolean>({ kind: 'confirm-sign', keyFingerprint: r.keyFingerprint, origin: r.origin },
      r.context, false, (a) => (a.kind === 'confirm-sign' ? { value: a.approve } : undefined));
  }

  private ask<T>(fields: PromptFields, context: PromptContext, onCancel: T,
    accept: (a: PromptAnswer) => { value: T } | undefined): Promise<T> {
    return new Promise<T>((resolve) => {
      this.enqueue(fields, context, {
        answer: (a) => {
          const accepted = accept(a);
          if (accepted) resolve(accepted.value);
          return accepted !== undefined;
        },
        cancel: () => resolve(onCancel),
      });
    });
  }

  private enqueue(fields: PromptFields, context: PromptContext,
    handlers: Pick<Pending, 'answer' | 'cancel'>): Pending {
    const pending: Pending = { id: randomUUID(), fields: inertFields(fields), context: inertContext(context), ...handlers };
    const signal = context.signal;
    if (signal) {
      const onEnded = (): void => {
        if (!this.queue.includes(pending)) return;
        this.remove(pending, 'operation-ended');
        pending.cancel();
      };
      if (signal.aborted) {
        // The operation is already over: nothing to show, the asker hears "cancelled".
        this.remember(pending.id, 'operation-ended');
        queueMicrotask(() => pending.cancel());
        return pending;
      }
      signal.addEventListener('abort', onEnded, { once: true });
      pending.detach = () => signal.removeEventListener('abort', onEnded);
    }
    this.queue.push(pending);
    if (this.queue.length === 1) this.show(pending);
    this.emit();
    return pending;
  }

  private show(pending: Pending): void {
    const timeout = this.timeouts[pending.fields.kind];
    pending.deadline = this.now() + timeout;
    pending.timer = setTimeout(() => {
      if (!this.queue.includes(pending)) return;
      this.remove(pending, 'timed-out');
      pending.cancel();
    }, timeout);
  }

  private remove(pending: Pending, reason: PromptClosedReason): void {
    const index = this.queue.indexOf(pending);
    if (index < 0) return;
    clearTimeout(pending.timer);
    pending.detach?.();
    this.queue.splice(index, 1);
    this.remember(pending.id, reason);
    const head = this.queue[0];
    if (index === 0 && head) this.show(head);
    this.emit();
  }

  private remember(id: string, reason: PromptClosedReason): void {
    this.closedIds.push(id);
    if (this.closedIds.length > CLOSED_IDS_KEPT) this.closedIds.shift();
    for (const listener of this.closedListeners) listener(id, reason);
  }

  private emit(): void {
    const prompt = this.current();
    for (const listener of this.listeners) listener(prompt);
  }
}

/** Every text field of a prompt may carry what a server, Azure or an agent client sent. */
function inertFields(fields: PromptFields): PromptFields {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = typeof v === 'string' && k !== 'kind' ? inertText(v, { multiline: k === 'message' }) : v;
  if (fields.kind === 'select-key') out.choices = fields.choices.map((c) => ({ id: c.id, label: inertText(c.label) }));
  if (fields.kind === 'host-key' && fields.mismatch) {
    out.mismatch = { expected: fields.mismatch.expected.map((e) => inertText(e)), source: inertText(fields.mismatch.source) };
  }
  return out as PromptFields;
}

function inertContext(context: PromptContext): PromptContext {
  return { ...context, purpose: inertText(context.purpose), ...(context.hop !== undefined ? { hop: inertText(context.hop) } : {}) };
}
