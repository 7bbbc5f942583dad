// An HTTPS webhook receiver on 127.0.0.1 that checks the HMAC signature of each body (as a chat or
// incident tool would) and keeps the records of those that verify.
import { createHmac, timingSafeEqual } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createTestPki, type TestPki } from './fake-azure/certs';

export interface WebhookReceiver {
  url: string;
  pki: TestPki;
  records: Record<string, unknown>[];
  /** Bodies whose signature did not verify (answered 401). */
  rejected: number;
  down: boolean;
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: Buffer): Promise<WebhookReceiver> {
  const pki = createTestPki();
  const state: WebhookReceiver = {
    url: '', pki, records: [], rejected: 0, down: false,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const server = https.createServer({ cert: pki.certPem, key: pki.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (state.down) {
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      // Computed independently of the app's code: HMAC-SHA256 over "<timestamp>.<body>".
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${String(req.headers['x-nbg-timestamp'])}.${body}`).digest('hex')}`);
      const got = Buffer.from(String(req.headers['x-nbg-signature'] ?? ''));
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        state.rejected++;
        res.writeHead(401).end();
        return;
      }
      state.records.push(...(JSON.parse(body) as { records: Record<string, unknown>[] }).records);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/nbg`;
  return state;
}
