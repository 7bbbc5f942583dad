// Prompts of the `nbg` command line. Questions and touch requests go to stderr so stdout stays
// data; PINs and passwords are read without echo from the terminal, or line by line from stdin
// for automation (--pin-stdin). Without a terminal, questions that need a person are declined.
// Every field that came from outside (host names, server prompts, agent client names) is printed
// through inertText, and a question closes when the operation that asked has ended.
import type { KeyChoice, PinRequest, PromptContext } from '../../native/interaction';
import type {
  CoreInteraction, HostKeyDecision, HostKeyMismatch, HostKeyQuestion, PasswordQuestion, SignConfirmation,
} from '../core/prompts/interaction';
import { inertText } from '../shared/inert-text';
import type { CliIo } from './command';

function where(c: PromptContext): string {
  return inertText(c.hop ? `${c.purpose} (${c.hop})` : c.purpose);
}

/**
 * Lines of a non-interactive stdin, read on demand; null after EOF. The stream flows only while a
 * line is awaited, so a finished command is not kept alive by its stdin.
 */
class LineSource {
  private buffered = '';
  private lines: string[] = [];
  private ended = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly stream: CliIo['stdin']) {
    stream.setEncoding?.('utf8');
    stream.on('data', (chunk: string | Buffer) => {
      this.buffered += chunk.toString();
      const parts = this.buffered.split(/\r?\n/);
      this.buffered = parts.pop() ?? '';
      this.lines.push(...parts);
      this.wake();
    });
    stream.on('end', () => {
      if (this.buffered) this.lines.push(this.buffered);
      this.buffered = '';
      this.ended = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async next(): Promise<string | null> {
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined || this.ended) {
        this.stream.pause();
        return line ?? null;
      }
      this.stream.resume();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

export interface TerminalInteractionOptions {
  /** Read PINs (and passwords) from stdin lines instead of the terminal. */
  pinFromStdin?: boolean;
}

export class TerminalInteraction implements CoreInteraction {
  private lines: LineSource | undefined;

  constructor(private readonly io: CliIo, private readonly opts: TerminalInteractionOptions = {}) {}

  private get tty(): boolean {
    return this.io.stdin.isTTY === true && typeof this.io.stdin.setRawMode === 'function';
  }

  private say(text: string): void {
    this.io.stderr.write(text);
  }

  private stdinLine(): Promise<string | null> {
    this.lines ??= new LineSource(this.io.stdin);
    return this.lines.next();
  }

  /**
   * Reads one line from the terminal; `hidden` suppresses echo. Ctrl-C / Ctrl-D cancel (null), and
   * so does the end of the operation that asked (`signal`).
   */
  private readTty(prompt: string, hidden: boolean, signal?: AbortSignal): Promise<string | null> {
    const { stdin } = this.io;
    if (signal?.aborted) return Promise.resolve(null);
    this.say(prompt);
    return new Promise((resolve) => {
      let value = '';
      const onEnded = (): void => {
        this.say(' (closed: the operation that asked has ended)');
        finish(null);
      };
      signal?.addEventListener('abort', onEnded, { once: true });
      const finish = (v: string | null) => {
        signal?.removeEventListener('abort', onEnded);
        stdin.off('data', onData);
        stdin.setRawMode?.(false);
        stdin.pause();
        this.say('\n');
        resolve(v);
      };
      const onData = (chunk: Buffer | string) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return finish(value);
          if (ch === '\u0003' || ch === '\u0004') return finish(null);
          if (ch === '\u007f' || ch === '\b') {
            value = value.slice(0, -1);
            if (!hidden) this.say('\b \b');
          } else if (ch >= ' ') {
            value += ch;
            if (!hidden) this.say(ch);
          }
        }
      };
      stdin.setRawMode?.(true);
      stdin.resume();
      stdin.on('data', onData);
    });
  }

  private async secret(prompt: string, signal?: AbortSignal): Promise<string | null> {
    if (this.opts.pinFromStdin) return this.stdinLine();
    if (!this.tty) {
      this.say(`nbg: ${prompt.trim()} needs a terminal; use --pin-stdin to pass it on standard input\n`);
      return null;
    }
    return this.readTty(prompt, true, signal);
  }

  private async ask(prompt: string, signal?: AbortSignal): Promise<string | null> {
    if (!this.tty) return null;
    return this.readTty(prompt, false, signal);
  }

  async selectKey(choices: KeyChoice[], context: PromptContext): Promise<string | null> {
    this.say(`Several security keys are plugged in. Which one to ${where(context)}?\n`);
    choices.forEach((c, i) => this.say(`  ${i + 1}) ${inertText(c.label)}\n`));
    const answer = await this.ask(`Key [1-${choices.length}]: `, context.signal);
    const n = answer === null ? NaN : Number.parseInt(answer, 10);
    return choices[n - 1]?.id ?? null;
  }

  async pin(request: PinRequest): Promise<string | null> {
    if (request.previousWrong) this.say('Wrong PIN.\n');
    const tries = `${request.retriesLeft} ${request.retriesLeft === 1 ? 'try' : 'tries'} left`;
    return this.secret(`Enter the PIN of your security key to ${where(request.context)} (${tries}): `, request.context.signal);
  }

  touch(context: PromptContext, _cancel: () => void): () => void {
    this.say(`Touch your security key to ${where(context)}...\n`);
    return () => undefined;
  }

  async confirm(q: { kind: string; message: string; context?: PromptContext }): Promise<boolean> {
    const a = await this.ask(`${inertText(q.message, { multiline: true })} [y/N] `, q.context?.signal);
    return a !== null && /^y(es)?$/i.test(a.trim());
  }

  async hostKey(q: HostKeyQuestion): Promise<HostKeyDecision> {
    this.say(`The authenticity of host '${inertText(q.host)}' (port ${q.port}) can't be established.\n`
      + `${inertText(q.keyType)} key fingerprint is ${inertText(q.fingerprint)}.\n`);
    if (!this.tty) {
      this.say('nbg: unknown host key refused (no terminal to ask; use --accept-new or --known-hosts)\n');
      return 'refuse';
    }
    const a = (await this.ask('Trust it [o]nce, [a]lways, or [N]o? ', q.context.signal)) ?? '';
    if (/^o(nce)?$/i.test(a.trim())) return 'trust-once';
    if (/^a(lways)?$/i.test(a.trim())) return 'trust-always';
    return 'refuse';
  }

  async hostKeyMismatch(info: HostKeyMismatch): Promise<void> {
    this.say([
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      `Host ${inertText(info.host)} (port ${info.port}) now presents ${inertText(info.keyType)} ${inertText(info.fingerprint)}.`,
      `Recorded: ${inertText(info.expected.join(', '))} (${inertText(info.source)}).`,
      'The connection was stopped. Verify the new key out of band before changing known_hosts.',
      '',
    ].join('\n'));
  }

  async password(q: PasswordQuestion): Promise<string | null> {
    const text = inertText(q.prompt || `Password for ${q.user}@${q.host}`);
    return this.secret(`${text}: `.replace(/:\s*:\s*$/, ': '), q.context.signal);
  }

  async confirmSign(r: SignConfirmation): Promise<boolean> {
    return this.confirm({ kind: 'confirm-sign', message: `Allow a signature with ${r.keyFingerprint} for ${inertText(r.origin)} to ${where(r.context)}?`, context: r.context });
  }
}
