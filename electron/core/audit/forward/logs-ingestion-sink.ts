// Azure Monitor Logs Ingestion API ("Logs Ingestion - Upload", REST spec
// monitor/data-plane/ingestion/stable/2023-01-01): POST
//   {DCE}/dataCollectionRules/{DCR immutable id}/streams/{stream}?api-version=2023-01-01
// with a bearer token for https://monitor.azure.com, a JSON array body of at most 1 MB, answered
// 204. 413 means the body was too large (we halve the batch), 429 carries Retry-After.
// Our own client rather than @azure/monitor-ingestion: it is one POST; this way it goes through
// the app's one HTTPS opener (proxy, extra CA) and token source, and the CLI stays small.
import type { Transport } from '../../net/transport';
import type { ForwardRecord } from './record';
import type { ForwardSink } from './sink';

export const LOGS_INGESTION_API_VERSION = '2023-01-01';
/** "Maximum size of API call: 1 MB" (Logs Ingestion API service limits). */
export const MAX_BATCH_BYTES = 1024 * 1024;
const MAX_THROTTLE_RETRIES = 3;
const MAX_RETRY_AFTER_S = 60;
const TIMEOUT_MS = 30_000;

export interface LogsIngestionOptions {
  /** Data collection endpoint, e.g. https://my-dce-abcd.westeurope-1.ingest.monitor.azure.com */
  endpoint: string;
  /** The rule's immutable id, dcr-… */
  ruleId: string;
  /** Custom-NexusBreakGlass_CL style stream name declared by the rule. */
  stream: string;
  transport: Transport;
  /** A bearer token for https://monitor.azure.com. */
  token: () => Promise<string>;
  sleep?: (ms: number) => Promise<void>;
}

/** Splits records into JSON arrays of at most MAX_BATCH_BYTES each. */
export function batchesOf(records: ForwardRecord[], limit = MAX_BATCH_BYTES): ForwardRecord[][] {
  const out: ForwardRecord[][] = [];
  let batch: ForwardRecord[] = [];
  let size = 2; // "[" and "]"
  for (const r of records) {
    const bytes = Buffer.byteLength(JSON.stringify(r)) + 1;
    if (bytes + 2 > limit) throw new Error(`audit record ${r.EventId} alone exceeds the ${limit}-byte ingestion limit`);
    if (batch.length > 0 && size + bytes > limit) {
      out.push(batch);
      batch = [];
      size = 2;
    }
    batch.push(r);
    size += bytes;
  }
  if (batch.length) out.push(batch);
  return out;
}

export function logsIngestionSink(opts: LogsIngestionOptions): ForwardSink {
  const url = `${opts.endpoint.replace(/\/+$/, '')}/dataCollectionRules/${encodeURIComponent(opts.ruleId)}/streams/${encodeURIComponent(opts.stream)}?api-version=${LOGS_INGESTION_API_VERSION}`;
  if (new URL(url).protocol !== 'https:') throw new Error('the data collection endpoint must be an https:// URL');
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  const upload = async (batch: ForwardRecord[]): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const res = await opts.transport({
        method: 'POST', url, body: JSON.stringify(batch), timeoutMs: TIMEOUT_MS,
        headers: { authorization: `Bearer ${await opts.token()}`, 'content-type': 'application/json' },
      });
      if (res.status >= 200 && res.status < 300) return;
      if (res.status === 413 && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await upload(batch.slice(0, half));
        await upload(batch.slice(half));
        return;
      }
      if (res.status === 429 && attempt < MAX_THROTTLE_RETRIES) {
        const after = Number(res.headers['retry-after']);
        await sleep(Math.min(Number.isFinite(after) && after >= 0 ? after : 1, MAX_RETRY_AFTER_S) * 1000);
        continue;
      }
      throw new Error(`Azure Monitor Logs Ingestion answered HTTP ${res.status}${res.status === 413 ? ' (a single record is too large)' : ''}`);
    }
  };

  return {
    name: 'azure-monitor',
    async send(records) {
      for (const batch of batchesOf(records)) await upload(batch);
    },
  };
}
