// One HTTP layer for Graph and ARM: bearer token per resource sent only to that resource's
// configured origin, timeouts and the action's overall deadline (net/deadline), bounded retries
// of retryable failures only (net/retry) honouring a capped Retry-After with jitter, reply size
// caps, same-origin nextLink and Resource Graph $skipToken paging with page caps, error envelopes
// turned into typed errors with the request id, and zod validation of every reply.
import { z } from 'zod';
import { AzureApiError, AzureReplyError, AzureUnreachableError } from './errors';
import { ActionDeadlineError } from '../net/errors';
import { currentDeadline, remainingMs } from '../net/deadline';
import { sameOrigin, originOf } from '../net/origin';
import { RatePacer } from '../net/pacing';
import { isRetryableTransportError, RETRYABLE_STATUS, retryAfterMs } from '../net/retry';
import { TransportError, type Transport, type TransportResponse } from '../net/transport';

export { retryAfterMs };

import type { AzureResource } from '../auth/config';

export type { AzureResource };

/** Returns a bearer token for the resource; tokens stay inside core. */
export type TokenProvider = (resource: AzureResource) => Promise<string>;

export interface RetryPolicy {
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Exponential backoff base when the server gives no Retry-After. */
  baseDelayMs: number;
  /** Upper bound for any single wait, including a server's Retry-After. */
  maxDelayMs: number;
  /** A larger reply is refused and not retried (Resource Graph itself stops at 16 MB). */
  maxReplyBytes: number;
  /** Pages one listing may take before it is called endless. */
  maxPages: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  timeoutMs: 30_000, maxRetries: 4, baseDelayMs: 500, maxDelayMs: 30_000, maxReplyBytes: 32 * 1024 * 1024, maxPages: 500,
};
export const RESOURCE_GRAPH_API_VERSION = '2024-04-01';
export const RESOURCE_GRAPH_PAGE_SIZE = 1000;

const errorEnvelope = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    innerError: z.object({ 'request-id': z.string().optional() }).passthrough().optional(),
  }).passthrough(),
}).passthrough();

// ARM pages name the next one nextLink; Microsoft Graph names it @odata.nextLink.
const pageSchema = z.object({ value: z.array(z.unknown()), nextLink: z.string().nullish(), '@odata.nextLink': z.string().nullish() }).passthrough();
// resultTruncated is the string "true" | "false" in the 2024-04-01 examples (ResourcesFirstPageQuery.json).
const resourceGraphPageSchema = z.object({
  data: z.array(z.unknown()),
  $skipToken: z.string().nullish(),
  totalRecords: z.number().optional(),
  resultTruncated: z.union([z.string(), z.boolean()]).nullish().transform((v) => v === true || v === 'true'),
}).passthrough();

export interface AzureRequest<T> {
  /** Human description for errors, e.g. "list subscriptions". */
  operation: string;
  resource: AzureResource;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Validates a JSON body; omit for replies without one (204, 202). */
  schema?: z.ZodType<T>;
}

export interface AzureReply<T> {
  status: number;
  headers: Record<string, string>;
  data: T | undefined;
  requestId: string | undefined;
}

export interface AzureHttpOptions {
  transport: Transport;
  token: TokenProvider;
  /** The configured endpoint of each resource: its token is sent to that origin and no other. */
  origins?: Partial<Record<AzureResource, string>>;
  policy?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

function requestIdOf(res: TransportResponse, parsedBody?: unknown): string | undefined {
  const inner = errorEnvelope.safeParse(parsedBody);
  return res.headers['request-id'] ?? res.headers['x-ms-request-id'] ?? res.headers['x-ms-correlation-request-id']
    ?? (inner.success ? inner.data.error.innerError?.['request-id'] : undefined);
}

function parseJson(text: string): unknown {
  return text.length === 0 ? undefined : JSON.parse(text);
}

export class AzureHttp {
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  /** Requests put on the wire, retries included (benchmarks and tests read it). */
  requestCount = 0;
  /** Fewer requests at once when ARM's remaining-request headers run low. */
  private readonly pacer = new RatePacer();

  constructor(private readonly opts: AzureHttpOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.policy };
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
  }

  private delayFor(attempt: number, headers: Record<string, string> | undefined): number {
    const asked = headers ? retryAfterMs(headers) : undefined;
    if (asked !== undefined) {
      // Honour the server, plus a little jitter so parallel callers do not return in lockstep.
      return Math.min(this.policy.maxDelayMs, asked + this.random() * Math.min(1000, asked * 0.2 + 10));
    }
    const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** attempt);
    return ceiling / 2 + this.random() * ceiling / 2;
  }

  /** Refuses a URL outside the resource's configured origin before any token is fetched. */
  private checkOrigin(req: AzureRequest<unknown>): void {
    const allowed = this.opts.origins?.[req.resource];
    if (allowed !== undefined && !sameOrigin(allowed, req.url)) {
      throw new AzureReplyError(req.operation, `a link points to ${originOf(req.url) ?? 'an unreadable URL'}, not the configured ${req.resource} endpoint; not followed, no token sent`);
    }
  }

  /** Waits before a retry, unless the wait would outlast the action's deadline. */
  private async pause(req: AzureRequest<unknown>, ms: number, asked: number | undefined): Promise<void> {
    const deadline = currentDeadline();
    if (deadline && ms >= remainingMs()) {
      throw new ActionDeadlineError(req.operation, deadline.budgetMs, asked !== undefined ? `Azure asked to wait ${Math.round(asked / 1000)} s before trying again` : '');
    }
    await this.sleep(ms);
  }

  async send<T>(req: AzureRequest<T>): Promise<AzureReply<T>> {
    this.checkOrigin(req);
    const token = await this.opts.token(req.resource);
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...req.headers,
    };
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    let lastFailure = '';
    for (let attempt = 0; attempt <= this.policy.maxRetries; attempt++) {
      const left = remainingMs();
      const deadline = currentDeadline();
      if (deadline && left <= 0) throw new ActionDeadlineError(req.operation, deadline.budgetMs, lastFailure ? `last failure: ${lastFailure}` : '');
      let res: TransportResponse;
      const release = await this.pacer.acquire(req.method, req.url);
      try {
        // The wait for a slot may have used up the action's time.
        const now = remainingMs();
        if (deadline && now <= 0) throw new ActionDeadlineError(req.operation, deadline.budgetMs, 'waited for Azure\'s request budget');
        this.requestCount++;
        res = await this.opts.transport({
          method: req.method, url: req.url, headers, body, timeoutMs: Math.max(1, Math.min(this.policy.timeoutMs, now)), maxReplyBytes: this.policy.maxReplyBytes,
        });
        this.pacer.observe(req.url, res.headers);
      } catch (err) {
        release(); // not held through the wait before a retry
        if (!(err instanceof TransportError)) throw err;
        // A reply too large or a URL we will not use stays so however often it is asked for.
        if (!isRetryableTransportError(err)) throw new AzureReplyError(req.operation, err.message);
        lastFailure = err.message;
        if (attempt < this.policy.maxRetries) await this.pause(req, this.delayFor(attempt, undefined), undefined);
        continue;
      } finally {
        release();
      }
      if (RETRYABLE_STATUS.has(res.status) && attempt < this.policy.maxRetries) {
        lastFailure = `HTTP ${res.status}`;
        await this.pause(req, this.delayFor(attempt, res.headers), retryAfterMs(res.headers));
        continue;
      }
      return this.interpret(req, res);
    }
    throw new AzureUnreachableError(req.operation, `${lastFailure} after ${this.policy.maxRetries + 1} attempts`);
  }

  private interpret<T>(req: AzureRequest<T>, res: TransportResponse): AzureReply<T> {
    let parsed: unknown;
    try {
      parsed = parseJson(res.body);
    } catch {
      const rid = requestIdOf(res);
      if (res.status >= 400) throw new AzureApiError(res.status, 'NonJsonError', 'the server sent an error without a JSON body', rid, req.operation);
      throw new AzureReplyError(req.operation, `HTTP ${res.status} body is not JSON`, rid);
    }
    const requestId = requestIdOf(res, parsed);
    if (res.status >= 500 && res.status !== 501) {
      // Still failing after the retries: the service is unavailable rather than refusing us.
      const env = errorEnvelope.safeParse(parsed);
      throw new AzureUnreachableError(req.operation, `HTTP ${res.status}${env.success && env.data.error.code ? ` ${env.data.error.code}` : ''} after ${this.policy.maxRetries + 1} attempts${requestId ? `, request id ${requestId}` : ''}`);
    }
    if (res.status >= 400) {
      const env = errorEnvelope.safeParse(parsed);
      throw new AzureApiError(res.status, env.success ? env.data.error.code ?? 'Unknown' : 'Unknown',
        env.success ? env.data.error.message ?? '' : 'no error envelope', requestId, req.operation);
    }
    if (!req.schema || parsed === undefined) {
      if (req.schema && res.status !== 202 && res.status !== 204) throw new AzureReplyError(req.operation, `HTTP ${res.status} without a body`, requestId);
      return { status: res.status, headers: res.headers, data: undefined, requestId };
    }
    const checked = req.schema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new AzureReplyError(req.operation, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, requestId);
    }
    return { status: res.status, headers: res.headers, data: checked.data, requestId };
  }

  /** GET and validate a JSON body that must be present. */
  async get<T>(operation: string, resource: AzureResource, url: string, schema: z.ZodType<T>): Promise<T> {
    const r = await this.send({ operation, resource, method: 'GET', url, schema });
    if (r.data === undefined) throw new AzureReplyError(operation, `HTTP ${r.status} without a body`, r.requestId);
    return r.data;
  }

  /**
   * Follows nextLink until it is absent: only on the first page's origin, never to a page already
   * read, at most `maxPages` pages. Every item is validated; with `key`, repeated items are kept once.
   */
  async listAll<T>(operation: string, resource: AzureResource, url: string, item: z.ZodType<T>, key?: (t: T) => string): Promise<T[]> {
    const out: T[] = [];
    const seenPages = new Set<string>();
    const seenItems = new Set<string>();
    let next: string | null | undefined = url;
    for (let page = 0; next; page++) {
      if (page >= this.policy.maxPages) throw new AzureReplyError(operation, `more than ${this.policy.maxPages} pages; the listing does not end`);
      if (!sameOrigin(url, next)) throw new AzureReplyError(operation, `nextLink points to ${originOf(next) ?? 'an unreadable URL'}, not ${originOf(url)}; not followed, no token sent`);
      if (seenPages.has(next)) throw new AzureReplyError(operation, 'nextLink repeats a page already read');
      seenPages.add(next);
      const p: z.infer<typeof pageSchema> = await this.get(operation, resource, next, pageSchema);
      for (const [i, v] of p.value.entries()) {
        const r = item.safeParse(v);
        if (!r.success) throw new AzureReplyError(operation, `value[${i}].${r.error.issues[0]?.path.join('.') ?? ''}: ${r.error.issues[0]?.message ?? 'invalid'}`);
        if (key) {
          const k = key(r.data);
          if (seenItems.has(k)) continue;
          seenItems.add(k);
        }
        out.push(r.data);
      }
      next = p.nextLink ?? p['@odata.nextLink'];
    }
    return out;
  }

  /**
   * Runs one Resource Graph query, repeating it with $skipToken until the last page. A page that
   * says resultTruncated without a $skipToken, or an end before totalRecords rows, is an error:
   * the caller falls back rather than show a partial inventory as if it were whole.
   */
  async resourceGraph<T>(operation: string, armEndpoint: string, query: { subscriptions?: string[]; query: string; pageSize?: number }, row: z.ZodType<T>): Promise<T[]> {
    const url = `${armEndpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`;
    const out: T[] = [];
    const seenTokens = new Set<string>();
    let skipToken: string | undefined;
    for (let page = 0; page < this.policy.maxPages; page++) {
      const body = {
        ...(query.subscriptions ? { subscriptions: query.subscriptions } : {}),
        query: query.query,
        options: { $top: query.pageSize ?? RESOURCE_GRAPH_PAGE_SIZE, resultFormat: 'objectArray', ...(skipToken ? { $skipToken: skipToken } : {}) },
      };
      const r = await this.send({ operation, resource: 'arm', method: 'POST', url, body, schema: resourceGraphPageSchema });
      if (!r.data) throw new AzureReplyError(operation, 'Resource Graph page without a body', r.requestId);
      for (const [i, v] of r.data.data.entries()) {
        const parsed = row.safeParse(v);
        if (!parsed.success) throw new AzureReplyError(operation, `row ${out.length + i}.${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, r.requestId);
        out.push(parsed.data);
      }
      if (!r.data.$skipToken) {
        if (r.data.resultTruncated) throw new AzureReplyError(operation, `Resource Graph truncated the result at ${out.length} rows and offers no next page`, r.requestId);
        if (r.data.totalRecords !== undefined && out.length < r.data.totalRecords) {
          throw new AzureReplyError(operation, `Resource Graph ended after ${out.length} of ${r.data.totalRecords} rows`, r.requestId);
        }
        return out;
      }
      if (seenTokens.has(r.data.$skipToken)) throw new AzureReplyError(operation, 'Resource Graph returned a $skipToken already used', r.requestId);
      seenTokens.add(r.data.$skipToken);
      skipToken = r.data.$skipToken;
    }
    throw new AzureReplyError(operation, `more than ${this.policy.maxPages} pages`);
  }
}
