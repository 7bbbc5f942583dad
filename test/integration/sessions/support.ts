// Shared pieces of the session tests: a scripted CoreInteraction that records every prompt, and a
// signer that behaves like the authenticator facade towards the connect scope (PIN asked through
// scope.pin once per connect, one touch per signature) over the software sk key.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KeyChoice, PinRequest, PromptContext } from '../../../native/interaction';
import type { HostKeyDecision, HostKeyMismatch, HostKeyQuestion, PasswordQuestion, SignConfirmation, CoreInteraction } from '../../../electron/core/prompts/interaction';
import type { AgentIdentity, SignRequestContext, SkSigner } from '../../../electron/core/ssh/agent/types';
import type { SessionSignContext } from '../../../electron/core/ssh/sessions';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';

export const TEST_PIN = '246810';

export class ScriptedInteraction implements CoreInteraction {
  readonly pins: PinRequest[] = [];
  readonly touches: PromptContext[] = [];
  readonly hostKeys: HostKeyQuestion[] = [];
  readonly mismatches: HostKeyMismatch[] = [];
  readonly passwords: PasswordQuestion[] = [];
  readonly confirms: SignConfirmation[] = [];
  hostKeyAnswer: HostKeyDecision = 'trust-once';
  passwordAnswer: string | null = null;
  confirmAnswer = true;

  async selectKey(choices: KeyChoice[]): Promise<string | null> {
    return choices[0]?.id ?? null;
  }
  async pin(request: PinRequest): Promise<string | null> {
    this.pins.push(request);
    return TEST_PIN;
  }
  touch(context: PromptContext, _cancel: () => void): () => void {
    this.touches.push(context);
    return () => undefined;
  }
  async confirm(): Promise<boolean> {
    return true;
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
    this.confirms.push(r);
    return this.confirmAnswer;
  }
}

/** PIN via the connect scope (once per connect), touch per signature, then the soft key signs. */
export class ScopedPinSigner implements SkSigner {
  readonly soft: SoftSkSigner;
  /** Every PIN value the scope handed out (to prove it was the same held bytes for all hops). */
  readonly pinsUsed: string[] = [];

  constructor(readonly key: SoftSk, private readonly interaction: ScriptedInteraction) {
    this.soft = new SoftSkSigner([key]);
  }

  get signatures(): number {
    return this.soft.requests.length;
  }

  identities(): Promise<AgentIdentity[]> {
    return this.soft.identities();
  }

  async sign(publicKeyBlob: Buffer, data: Buffer, context: SignRequestContext): Promise<Buffer> {
    const { connect } = context as SessionSignContext;
    const prompt = { purpose: context.purpose, ...(context.hop ? { hop: context.hop } : {}) };
    const pin = await connect.pin(() => this.interaction.pin({ context: prompt, retriesLeft: 8, previousWrong: false }));
    if (!pin) throw new Error('PIN entry cancelled');
    this.pinsUsed.push(pin.toString('utf8'));
    this.interaction.touch(prompt, () => undefined)();
    return this.soft.sign(publicKeyBlob, data, context);
  }
}

export function tempDir(t: { after(fn: () => void): void }, prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
