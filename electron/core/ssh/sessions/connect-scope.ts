// One connect = one scope. The PIN typed for a connect is held here (as bytes, so it can be
// overwritten) for every hop of that connect, and wiped by dispose() when the connect finishes or
// fails. It is the PinCache of every signature of the connect (SignRequestContext.pinCache); the
// session owns the scope's lifetime.
import { randomUUID } from 'node:crypto';
import type { PinCache } from '../../../../native/authenticator/authenticator';
import { NbgError } from '../../../../native/errors';
import { ErrorCode } from '../../../shared/error-codes';

export class ConnectScopeDisposedError extends NbgError {
  constructor() {
    super(ErrorCode.CONNECT_SCOPE_DISPOSED, 'this connect attempt is over; start a new connect to sign again');
  }
}

export class ConnectScope implements PinCache {
  readonly id: string;
  private heldPin: Buffer | undefined;
  private asking: Promise<Buffer | null> | undefined;
  private disposers: (() => void)[] = [];
  private over = false;

  constructor(id: string = randomUUID()) {
    this.id = id;
  }

  get disposed(): boolean {
    return this.over;
  }

  /**
   * The PIN for this connect: asks once (through `ask`) and returns the same bytes to every later
   * hop. Concurrent callers share one prompt. Null = the person cancelled (not held). The returned
   * buffer belongs to the scope: use it, do not keep it.
   */
  async pin(ask: () => Promise<string | null>): Promise<Buffer | null> {
    if (this.over) throw new ConnectScopeDisposedError();
    if (this.heldPin) return this.heldPin;
    this.asking ??= ask().then((pin) => {
      this.asking = undefined;
      if (pin === null || this.over) return null;
      this.heldPin = Buffer.from(pin, 'utf8');
      return this.heldPin;
    }, (err: unknown) => {
      this.asking = undefined;
      throw err;
    });
    return this.asking;
  }

  /** The key said the PIN was wrong: forget it so the next signature asks again (the key counts retries). */
  forgetPin(): void {
    this.heldPin?.fill(0);
    this.heldPin = undefined;
  }

  /** Runs when the scope ends (e.g. the facade drops a cached PIN token). */
  onDispose(fn: () => void): void {
    if (this.over) fn();
    else this.disposers.push(fn);
  }

  dispose(): void {
    if (this.over) return;
    this.over = true;
    this.forgetPin();
    for (const fn of this.disposers.splice(0)) fn();
  }
}
