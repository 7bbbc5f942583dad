// ARM request throttling as documented in "Understand how Azure Resource Manager throttles
// requests" (MicrosoftDocs/azure-docs, articles/azure-resource-manager/management/request-limits-and-throttling.md):
// every reply carries x-ms-ratelimit-remaining-subscription-reads (GET) or -writes (PUT, PATCH,
// POST) or -deletes (DELETE); when the budget is spent the reply is 429 with Retry-After (seconds).
import { armError, type FakeReply, type FakeRequest } from './http-util';

const KIND: Record<string, 'reads' | 'writes' | 'deletes'> = { GET: 'reads', HEAD: 'reads', DELETE: 'deletes' };

export class FakeThrottle {
  /** Requests per kind in one window; undefined: ARM's published defaults, never reached in tests. */
  limit: number | undefined;
  /** Seconds until the window refills, sent as Retry-After. */
  retryAfter = 1;
  private readonly used = new Map<string, number>();

  /** A new window: every budget full. */
  reset(): void {
    this.used.clear();
  }

  /** A 429 when the budget is spent, else the header to add to the reply. */
  take(req: FakeRequest): { refused?: FakeReply; headers: Record<string, string> } {
    const kind = KIND[req.method] ?? 'writes';
    const limit = this.limit ?? (kind === 'reads' ? 12_000 : 1_200);
    const used = (this.used.get(kind) ?? 0) + 1;
    const header = `x-ms-ratelimit-remaining-subscription-${kind}`;
    if (used > limit) {
      // The client waits out Retry-After; the next window starts full.
      this.used.set(kind, 0);
      const refused = armError(429, 'TooManyRequests', `The request is throttled: the ${kind} limit of ${limit} per window was reached.`);
      return { refused: { ...refused, headers: { ...refused.headers, 'retry-after': String(this.retryAfter), [header]: '0' } }, headers: {} };
    }
    this.used.set(kind, used);
    return { headers: { [header]: String(limit - used) } };
  }
}
