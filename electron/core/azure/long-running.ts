// ARM long-running operations. A write answers 201/202 with Azure-AsyncOperation and/or Location;
// in NetworkCloud both point at an operationStatuses resource that answers 200 with
// {status: Accepted | Provisioning | Succeeded | Failed | Canceled, error?} (OperationStatusResult).
// A Location that answers 202 is still running; 200/201/204 without a status is the final reply.
// Done only at Succeeded; Failed and Canceled are failures. Polls are bounded in count and time,
// honour Retry-After (capped), and the poll URL gets the ARM token only on the ARM origin (http.ts).
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
  status: z.string().optional(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).passthrough().nullish(),
}).passthrough();

const SUCCEEDED = 'succeeded';
const FAILED = new Set(['failed', 'canceled', 'cancelled']);

export class LongRunningPoller {
  constructor(
    private readonly http: AzureHttp,
    private readonly limits: PollLimits = DEFAULT_POLL_LIMITS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  private wait(headers: Record<string, string>): Promise<void> {
    return this.sleep(Math.min(MAX_POLL_MS, retryAfterMs(headers) ?? DEFAULT_POLL_MS));
  }

  /** Follows the reply headers of a PUT/PATCH/DELETE until the operation has succeeded. */
  async follow(operation: string, headers: Record<string, string>): Promise<void> {
    // Azure-AsyncOperation is the status monitor when both are given (ARM async operation contract).
    const url = headers['azure-asyncoperation'] ?? headers.location;
    if (!url) return; // Finished synchronously: 200/201 without a monitor, or 204.
    const deadline = Date.now() + this.limits.timeoutMs;
    let last = headers;
    let seen = 'Accepted';
    for (let i = 0; i < this.limits.maxPolls && Date.now() < deadline; i++) {
      await this.wait(last);
      // Error statuses (a 4xx/5xx poll) surface as typed errors from the HTTP layer.
      const r = await this.http.send({ operation: `${operation} (status)`, resource: 'arm', method: 'GET', url, schema: statusSchema });
      last = r.headers;
      if (r.status === 202) continue;
      const status = r.data?.status;
      if (status === undefined) return;
      const s = status.toLowerCase();
      if (s === SUCCEEDED) return;
      if (FAILED.has(s)) {
        const e = r.data?.error;
        throw new AzureOperationError(operation, status, [e?.code, e?.message].filter(Boolean).join(': '));
      }
      seen = status;
    }
    throw new AzureOperationError(operation, `still ${seen}`, `gave up after ${this.limits.maxPolls} polls or ${Math.round(this.limits.timeoutMs / 1000)} s; check the Azure portal`);
  }
}
