// Fewer ARM requests in flight when ARM says its budget is nearly spent, so a parallel inventory
// slows down before Azure answers 429. "Understand how Azure Resource Manager throttles requests"
// (learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling):
// every reply carries x-ms-ratelimit-remaining-subscription-{reads,writes,deletes} for the
// subscription it addressed, and tenant-level requests x-ms-ratelimit-remaining-tenant-{reads,writes};
// the limits apply per principal, per subscription (or tenant). A 429's Retry-After stays the
// retry layer's business (http.ts).

export type Budget = 'reads' | 'writes' | 'deletes';

const REMAINING_HEADER = /^x-ms-ratelimit-remaining-(subscription|tenant)-(reads|writes|deletes)$/;
const SUBSCRIPTION_IN_PATH = /^\/subscriptions\/([0-9a-f-]{36})(\/|$)/i;
const TENANT = 'tenant';

/** Below this many requests left, fewer run at once. */
export const PACE_BELOW = 50;
/** When pacing, one request in flight per this many left (at least one). */
export const REMAINING_PER_REQUEST = 10;

export function budgetOf(method: string): Budget {
  if (method === 'GET' || method === 'HEAD') return 'reads';
  return method === 'DELETE' ? 'deletes' : 'writes';
}

/** The subscription a request counts against, or the tenant for tenant-level requests. */
function scopeOf(url: string): string {
  try {
    return SUBSCRIPTION_IN_PATH.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? TENANT;
  } catch {
    return TENANT;
  }
}

/** How many may be in flight with `remaining` left (Infinity: no pacing). */
export function allowedInFlight(remaining: number | undefined): number {
  if (remaining === undefined || remaining >= PACE_BELOW) return Infinity;
  return Math.max(1, Math.floor(remaining / REMAINING_PER_REQUEST));
}

export class RatePacer {
  /** Latest remaining count per scope and budget, as the last reply said. */
  private readonly remaining = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private waiters: Array<() => void> = [];

  private count(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  private bump(key: string, by: number): void {
    this.inFlight.set(key, this.count(key) + by);
  }

  /** Each budget ("scope|budget") limits the requests that draw on it: a subscription's, or the tenant's. */
  private fits(key: string): boolean {
    return this.count(key) < allowedInFlight(this.remaining.get(key));
  }

  /** Waits for a slot; call the returned function when the reply is in (or the request failed). */
  async acquire(method: string, url: string): Promise<() => void> {
    const key = `${scopeOf(url)}|${budgetOf(method)}`;
    while (!this.fits(key)) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.bump(key, 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.bump(key, -1);
      this.wake();
    };
  }

  /** Every waiter checks again whether it fits now. */
  private wake(): void {
    const woken = this.waiters;
    this.waiters = [];
    for (const w of woken) w();
  }

  /** Reads the remaining counts a reply carries. */
  observe(url: string, headers: Record<string, string>): void {
    const scope = scopeOf(url);
    for (const [name, value] of Object.entries(headers)) {
      const m = REMAINING_HEADER.exec(name.toLowerCase());
      const n = Number(value);
      if (!m || value.trim() === '' || !Number.isFinite(n) || n < 0) continue;
      // A subscription count on a request that named no subscription says nothing we can use.
      if (m[1] === 'subscription' && scope === TENANT) continue;
      this.remaining.set(`${m[1] === 'tenant' ? TENANT : scope}|${m[2]}`, n);
    }
    this.wake();
  }
}
