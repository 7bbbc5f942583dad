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

export type OperationStatus = z.infer<typeof statusSchema>;

/** How an operation ended: its status, whether that is a failure, and the last status document. */
export interface OperationEnd {
  status: string;
  failed: boolean;
  body?: OperationStatus;
}

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
    const end = await this.settle(operation, headers);
    if (end.failed) {
      const e = end.body?.error;
      throw new AzureOperationError(operation, end.status, [e?.code, e?.message].filter(Boolean).join(': '));
    }
  }

  /**
   * Follows an operation to its end and hands back the final status document, Failed or not: an
   * action such as ManagedNetworkFabric rotatePasswords reports per-device results in a Failed
   * status (NetworkFabrics_RotatePasswords_PartialSuccess.json), which the caller shows.
   */
  async settle(operation: string, headers: Record<string, string>): Promise<OperationEnd> {
    // Azure-AsyncOperation is the status monitor when both are given (ARM async operation contract).
    const url = headers['azure-asyncoperation'] ?? headers.location;
    if (!url) return { status: 'Succeeded', failed: false }; // Finished synchronously: 200/201 without a monitor, or 204.
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
      if (status === undefined) return { status: 'Succeeded', failed: false, ...(r.data ? { body: r.data } : {}) };
      const s = status.toLowerCase();
      if (s === SUCCEEDED || FAILED.has(s)) return { status, failed: s !== SUCCEEDED, ...(r.data ? { body: r.data } : {}) };
      seen = status;
    }
    throw new AzureOperationError(operation, `still ${seen}`, `gave up after ${this.limits.maxPolls} polls or ${Math.round(this.limits.timeoutMs / 1000)} s; check the Azure portal`);
  }
}
