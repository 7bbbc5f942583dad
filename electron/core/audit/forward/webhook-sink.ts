// An HTTPS webhook (chat or incident tools): the records as a JSON body, signed so the receiver can
// tell it came from this app: X-Nbg-Signature = "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body),
// with the timestamp in X-Nbg-Timestamp so an old body cannot be replayed as new.
import { createHmac } from 'node:crypto';
import type { Transport } from '../../net/transport';
import type { ForwardRecord } from './record';
import type { ForwardSink } from './sink';

export const WEBHOOK_SIGNATURE_HEADER = 'x-nbg-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-nbg-timestamp';
const TIMEOUT_MS = 15_000;

export function webhookSignature(secret: Buffer, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function webhookSink(opts: { url: string; secret: Buffer; transport: Transport; clock?: () => Date }): ForwardSink {
  if (new URL(opts.url).protocol !== 'https:') throw new Error('the audit webhook must be an https:// URL');
  return {
    name: 'webhook',
    async send(records: ForwardRecord[]) {
      const body = JSON.stringify({ source: 'nexus-break-glass', records });
      const timestamp = String(Math.floor((opts.clock?.() ?? new Date()).getTime() / 1000));
      const res = await opts.transport({
        method: 'POST', url: opts.url, body, timeoutMs: TIMEOUT_MS,
        headers: { 'content-type': 'application/json', [WEBHOOK_TIMESTAMP_HEADER]: timestamp, [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(opts.secret, timestamp, body) },
      });
      if (res.status < 200 || res.status >= 300) throw new Error(`the audit webhook answered HTTP ${res.status}`);
    },
  };
}
