// ARM long-running operations: poll Azure-AsyncOperation until a terminal status, or Location
// until it stops answering 202. Polls are bounded in count and time and honour Retry-After.
import { z } from 'zod';
import { AzureOperationError } from './errors';
import { retryAfterMs, type AzureHttp } from './http';

const DEFAULT_POLL_MS = 5_000;
const MAX_POLL_MS = 60_000;

export interface PollLimits {
  timeoutMs: number;
  maxPolls: number;
}
export const DEFAULT_POLL_LIMITS: PollLimits = { timeoutMs: 30 * 60_000, maxPolls: 720 };

const statusSchema = z.object({
  status: z.string(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).passthrough().nullish(),
}).passthrough();

const TERMINAL_OK = 'succeeded';
const TERMINAL_BAD = new Set(['failed', 'canceled', 'cancelled']);

export class LongRunningPoller {
  constructor(
    private readonly http: AzureHttp,
    private readonly limits: PollLimits = DEFAULT_POLL_LIMITS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private wait(headers: Record<string, string>): Promise<void> {
    return this.sleep(Math.min(MAX_POLL_MS, retryAfterMs(headers) ?? DEFAULT_POLL_MS));
  }

  /** Follows the reply headers of a PUT/PATCH/DELETE until the operation is over. */
  async follow(operation: string, headers: Record<string, string>): Promise<void> {
    const asyncUrl = headers['azure-asyncoperation'];
    const location = headers.location;
    if (asyncUrl) return this.pollAsync(operation, asyncUrl, headers);
    if (location) return this.pollLocation(operation, location, headers);
  }

  private async pollAsync(operation: string, url: string, first: Record<string, string>): Promise<void> {
    const deadline = Date.now() + this.limits.timeoutMs;
    let headers = first;
    for (let i = 0; i < this.limits.maxPolls && Date.now() < deadline; i++) {
      await this.wait(headers);
      const r = await this.http.send({ operation: `${operation} (status)`, resource: 'arm', method: 'GET', url, schema: statusSchema });
      const status = r.data?.status.toLowerCase() ?? '';
      if (status === TERMINAL_OK) return;
      if (TERMINAL_BAD.has(status)) {
        const e = r.data?.error;
        throw new AzureOperationError(operation, r.data!.status, [e?.code, e?.message].filter(Boolean).join(': '));
      }
      headers = r.headers;
    }
    throw new AzureOperationError(operation, 'still running', `gave up after ${this.limits.maxPolls} polls or ${Math.round(this.limits.timeoutMs / 1000)} s; check the Azure portal`);
  }

  private async pollLocation(operation: string, url: string, first: Record<string, string>): Promise<void> {
    const deadline = Date.now() + this.limits.timeoutMs;
    let headers = first;
    for (let i = 0; i < this.limits.maxPolls && Date.now() < deadline; i++) {
      await this.wait(headers);
      // Error statuses surface as AzureApiError from the HTTP layer.
      const r = await this.http.send({ operation: `${operation} (status)`, resource: 'arm', method: 'GET', url });
      if (r.status !== 202) return;
      headers = r.headers;
    }
    throw new AzureOperationError(operation, 'still running', `gave up after ${this.limits.maxPolls} polls; check the Azure portal`);
  }
}
