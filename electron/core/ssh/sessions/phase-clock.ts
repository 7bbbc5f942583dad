// The time limit of one login phase (--connect-timeout): the key exchange after the banner, then
// authentication. A phase that stalls fails on its own limit instead of the 180 s ceiling. The
// clock stops while the security key waits for a PIN or a touch (or a password is typed) and
// starts that phase's limit afresh afterwards: a person's time is not the network's.

export type LoginPhase = 'key exchange' | 'authentication';

export class PhaseClock {
  private phase: LoginPhase | undefined;
  private timer: NodeJS.Timeout | undefined;
  private holds = 0;

  constructor(private readonly limitMs: number, private readonly onExpired: (phase: LoginPhase) => void) {}

  /** Starts `phase` with the full limit. */
  enter(phase: LoginPhase): void {
    this.phase = phase;
    this.arm();
  }

  /** Stops the clock until the returned release is called (a PIN, touch or password prompt). */
  hold(): () => void {
    this.holds++;
    this.disarm();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) this.arm();
    };
  }

  stop(): void {
    this.phase = undefined;
    this.disarm();
  }

  private arm(): void {
    this.disarm();
    const phase = this.phase;
    if (!phase || this.holds > 0) return;
    this.timer = setTimeout(() => {
      this.stop();
      this.onExpired(phase);
    }, this.limitMs);
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
