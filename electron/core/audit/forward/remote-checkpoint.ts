// Reads back the last checkpoint this computer sent to Azure Monitor, through the Log Analytics
// Query API ("Query - Execute": POST https://api.loganalytics.io/v1/workspaces/{id}/query with
// { query }, answered { tables: [{ name, columns: [{ name, type }], rows: [[...]] }] }).
// What the security team holds is then the yardstick for the local log: `nbg audit verify --remote`.
import { z } from 'zod';
import type { Transport } from '../../net/transport';

export const LOG_ANALYTICS_QUERY_URL = 'https://api.loganalytics.io/v1/workspaces';
const TIMEOUT_MS = 30_000;

const queryReply = z.object({
  tables: z.array(z.object({
    name: z.string(),
    columns: z.array(z.object({ name: z.string(), type: z.string() })),
    rows: z.array(z.array(z.unknown())),
  })).min(1),
});

export interface RemoteCheckpoint {
  seq: number;
  hash: string;
  time: string;
}

/** The custom table behind a "Custom-<table>" stream. */
export function tableOf(stream: string): string {
  return stream.replace(/^Custom-/, '');
}

const kqlString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function checkpointQuery(table: string, computer: string): string {
  return `${table} | where Kind == "checkpoint" and Computer == ${kqlString(computer)} | summarize arg_max(Seq, ChainHash, TimeGenerated)`;
}

export async function lastRemoteCheckpoint(opts: {
  workspaceId: string; stream: string; computer: string; transport: Transport; token: () => Promise<string>; baseUrl?: string;
}): Promise<RemoteCheckpoint | undefined> {
  const res = await opts.transport({
    method: 'POST', url: `${opts.baseUrl ?? LOG_ANALYTICS_QUERY_URL}/${encodeURIComponent(opts.workspaceId)}/query`, timeoutMs: TIMEOUT_MS,
    headers: { authorization: `Bearer ${await opts.token()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: checkpointQuery(tableOf(opts.stream), opts.computer) }),
  });
  if (res.status !== 200) throw new Error(`the Log Analytics query answered HTTP ${res.status}`);
  const parsed = queryReply.safeParse(JSON.parse(res.body));
  if (!parsed.success) throw new Error('the Log Analytics query answer is not in the documented shape');
  const table = parsed.data.tables[0];
  const row = table?.rows[0];
  if (!table || !row) return undefined;
  const col = (name: string) => row[table.columns.findIndex((c) => c.name === name)];
  const seq = Number(col('Seq'));
  const hash = col('ChainHash');
  if (!Number.isInteger(seq) || seq < 1 || typeof hash !== 'string') return undefined;
  return { seq, hash, time: String(col('TimeGenerated') ?? '') };
}
