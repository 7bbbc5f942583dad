// ARM request throttling as documented in "Understand how Azure Resource Manager throttles
// requests" (MicrosoftDocs/azure-docs, articles/azure-resource-manager/management/request-limits-and-throttling.md):
// limits apply per principal and per subscription, or per tenant for requests that name no
// subscription ("such as retrieving valid Azure locations", and the subscription list). Every reply
// carries x-ms-ratelimit-remaining-subscription-reads (GET) or -writes (PUT, PATCH, POST) or -deletes
// (DELETE), and tenant-level replies x-ms-ratelimit-remaining-tenant-reads / -writes; when the
// budget is spent the reply is 429 with Retry-After (seconds).
import { armError, type FakeReply, type FakeRequest } from './http-util';

const KIND: Record<string, 'reads' | 'writes' | 'deletes'> = { GET: 'reads', HEAD: 'reads', DELETE: 'deletes' };
const SUBSCRIPTION = /^\/subscriptions\/([^/]+)\//i;

export class FakeThrottle {
  /** Requests per kind and scope in one window; undefined: ARM's published defaults, never reached in tests. */
  limit: number | undefined;
  /** Per-scope limits (a subscription id, or "tenant"), over `limit`. */
  readonly limits = new Map<string, number>();
  /** Seconds until the window refills, sent as Retry-After. */
  retryAfter = 1;
  private readonly used = new Map<string, number>();

  /** A new window: every budget full. */
  reset(): void {
    this.used.clear();
  }

  /** A 429 when the budget is spent, else the header to add to the reply. */
  take(req: FakeRequest): { refused?: FakeReply; headers: Record<string, string> } {
    const sub = SUBSCRIPTION.exec(decodeURIComponent(req.url.pathname))?.[1]?.toLowerCase();
    const scope = sub ?? 'tenant';
    // The tenant has no deletes budget in the doc's header list; its deletes count as writes.
    const kind = KIND[req.method] === 'deletes' && !sub ? 'writes' : KIND[req.method] ?? 'writes';
    const limit = this.limits.get(scope) ?? this.limit ?? (kind === 'reads' ? 12_000 : 1_200);
    const key = `${scope}|${kind}`;
    const used = (this.used.get(key) ?? 0) + 1;
    const header = `x-ms-ratelimit-remaining-${sub ? 'subscription' : 'tenant'}-${kind}`;
    if (used > limit) {
      // The client waits out Retry-After; the next window starts full.
      this.used.set(key, 0);
      const refused = armError(429, 'TooManyRequests', `The request is throttled: the ${kind} limit of ${limit} per window was reached.`);
      return { refused: { ...refused, headers: { ...refused.headers, 'retry-after': String(this.retryAfter), [header]: '0' } }, headers: {} };
    }
    this.used.set(key, used);
    return { headers: { [header]: String(limit - used) } };
  }
}
