// What the last connects to each device found, kept for a few minutes in memory: a device whose
// primary (management) path just failed is offered the backup path first next time.
import type { AccessRoute } from './types';

/** How long a failed primary keeps suggesting the backup path. */
export const RECENT_FAILURE_MS = 10 * 60_000;

export interface AttemptRecord {
  route: AccessRoute;
  ok: boolean;
  at: number;
  /** Why it failed, in the error's words (already inert-safe text is not assumed). */
  reason?: string;
}

export class RecentAttempts {
  private readonly byDevice = new Map<string, AttemptRecord>();

  constructor(private readonly now: () => number = Date.now, private readonly windowMs = RECENT_FAILURE_MS) {}

  record(device: string, route: AccessRoute, ok: boolean, reason?: string): void {
    this.byDevice.set(device.toLowerCase(), { route, ok, at: this.now(), ...(reason ? { reason } : {}) });
  }

  /** The last attempt at `device` within the window, if any. */
  last(device: string): AttemptRecord | undefined {
    const r = this.byDevice.get(device.toLowerCase());
    if (r && this.now() - r.at > this.windowMs) {
      this.byDevice.delete(device.toLowerCase());
      return undefined;
    }
    return r;
  }

  /** True when the primary path failed within the window and nothing has worked over it since. */
  primaryFailedRecently(device: string): boolean {
    const r = this.last(device);
    return r !== undefined && r.route === 'primary' && !r.ok;
  }
}
