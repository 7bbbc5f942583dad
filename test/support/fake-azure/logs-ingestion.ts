// A fake Azure Monitor Logs Ingestion endpoint (a data collection endpoint), shaped by the
// published REST spec "Logs Ingestion - Upload" (specification/monitor/data-plane/ingestion/
// stable/2023-01-01) and the service limits page:
//  - POST /dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01, body a JSON array,
//    Authorization: Bearer <token for https://monitor.azure.com>; success is 204 No Content;
//  - a body over 1 MB is refused with 413 ("Maximum size of API call: 1 MB");
//  - throttling answers 429 with Retry-After (seconds);
//  - an unknown rule or stream is 404, a missing or wrong token 401, a body that is not an array 400,
//    errors as { error: { code, message } } like the examples.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestPki, type TestPki } from './certs';
import { json, readRequest, send, type FakeReply, type FakeRequest } from './http-util';

export const INGESTION_API_VERSION = '2023-01-01';
export const INGESTION_MAX_BYTES = 1024 * 1024;

export interface FakeLogsIngestion {
  /** The data collection endpoint's base URL. */
  endpoint: string;
  pki: TestPki;
  ruleId: string;
  stream: string;
  token: string;
  /** Every row accepted, in arrival order (a row delivered twice appears twice). */
  rows: Record<string, unknown>[];
  /** Every request's status and body size, in order. */
  statuses: number[];
  sizes: number[];
  /** The Log Analytics workspace behind the rule, and the token its Query API takes. */
  workspaceId: string;
  queryToken: string;
  /** The next `n` uploads are throttled with 429 and this Retry-After. */
  throttle(n: number, retryAfterSeconds: number): void;
  /** While down, every connection is refused at the HTTP level with 503. */
  down: boolean;
  close(): Promise<void>;
}

const error = (status: number, code: string, message: string): FakeReply => json(status, { error: { code, message } });

export async function startFakeLogsIngestion(opts: { ruleId?: string; stream?: string; token?: string; /** A lower limit, to provoke 413 with small bodies. */ maxBytes?: number } = {}): Promise<FakeLogsIngestion> {
  const maxBytes = opts.maxBytes ?? INGESTION_MAX_BYTES;
  const pki = createTestPki();
  const ruleId = opts.ruleId ?? 'dcr-00000000000000000000000000000000';
  const stream = opts.stream ?? 'Custom-NexusBreakGlass_CL';
  const token = opts.token ?? 'monitor-token';
  const queryToken = 'log-analytics-token';
  const workspaceId = '5c3b2a1d-0000-4000-8000-00000000a11d';
  let throttled = 0;
  let retryAfter = 0;
  const state: FakeLogsIngestion = {
    endpoint: '', pki, ruleId, stream, token, workspaceId, queryToken, rows: [], statuses: [], sizes: [], down: false,
    throttle(n, s) { throttled = n; retryAfter = s; },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const handle = (req: FakeRequest): FakeReply => {
    if (state.down) return error(503, 'ServiceUnavailable', 'The service is unavailable.');
    const q = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(req.url.pathname);
    if (q) return query(decodeURIComponent(q[1] ?? ''), req);
    const m = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)$/.exec(req.url.pathname);
    if (req.method !== 'POST' || !m) return error(404, 'NotFound', 'Resource not found.');
    if (req.url.searchParams.get('api-version') !== INGESTION_API_VERSION) return error(400, 'InvalidApiVersion', 'The api-version is missing or not supported.');
    if (req.headers.authorization !== `Bearer ${token}`) return error(401, 'InvalidToken', 'The authentication token is missing or invalid.');
    if (decodeURIComponent(m[1] ?? '') !== ruleId) return error(404, 'InvalidDataCollectionRule', 'The data collection rule was not found.');
    if (decodeURIComponent(m[2] ?? '') !== stream) return error(404, 'InvalidStream', 'The stream is not declared by the data collection rule.');
    if (Buffer.byteLength(req.body) > maxBytes) return error(413, 'ContentLengthLimitExceeded', `Maximum allowed content length: ${maxBytes} bytes.`);
    if (throttled > 0) {
      throttled--;
      return { status: 429, headers: { 'retry-after': String(retryAfter) }, body: { error: { code: 'TooManyRequests', message: 'Rate limit exceeded.' } } };
    }
    let rows: unknown;
    try {
      rows = JSON.parse(req.body);
    } catch {
      return error(400, 'InvalidContent', 'The request body is not valid JSON.');
    }
    if (!Array.isArray(rows)) return error(400, 'InvalidContent', 'The request body must be a JSON array.');
    state.rows.push(...(rows as Record<string, unknown>[]));
    return { status: 204 };
  };
  /**
   * Log Analytics Query API ("Query - Execute", v1): POST /v1/workspaces/{id}/query { query }, answered
   * { tables: [{ name: 'PrimaryResult', columns, rows }] }. The fake knows the one query shape the app
   * sends (the latest checkpoint of one computer) and answers it from the rows ingested so far.
   */
  const query = (workspace: string, req: FakeRequest): FakeReply => {
    if (req.method !== 'POST') return error(405, 'MethodNotAllowed', 'Use POST.');
    if (req.headers.authorization !== `Bearer ${queryToken}`) return error(401, 'InvalidToken', 'The authentication token is missing or invalid.');
    if (workspace !== workspaceId) return error(404, 'WorkspaceNotFoundError', 'The workspace could not be found.');
    const text = (JSON.parse(req.body) as { query?: string }).query ?? '';
    const m = /^(\w+) \| where Kind == "checkpoint" and Computer == "((?:[^"\\]|\\.)*)" \| summarize arg_max\(Seq, ChainHash, TimeGenerated\)$/.exec(text);
    if (!m || m[1] !== stream.replace(/^Custom-/, '')) return error(400, 'BadArgumentError', 'The request had some invalid properties (the fake knows one query).');
    const computer = (m[2] ?? '').replace(/\\(.)/g, '$1');
    const mine = state.rows.filter((r) => r.Kind === 'checkpoint' && r.Computer === computer).sort((a, b) => Number(b.Seq) - Number(a.Seq));
    const top = mine[0];
    return json(200, {
      tables: [{
        name: 'PrimaryResult',
        columns: [{ name: 'Seq', type: 'long' }, { name: 'ChainHash', type: 'string' }, { name: 'TimeGenerated', type: 'datetime' }],
        rows: top ? [[top.Seq, top.ChainHash, top.TimeGenerated]] : [],
      }],
    });
  };
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    void readRequest(req, 'https://127.0.0.1').then((r) => {
      const reply = handle(r);
      state.statuses.push(reply.status);
      state.sizes.push(Buffer.byteLength(r.body));
      send(res, reply);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
