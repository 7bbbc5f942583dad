import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeReply => ({ status, body, headers });

export function armError(status: number, code: string, message: string): FakeReply {
  return json(status, { error: { code, message, target: null, details: [], additionalInfo: [] } });
}

export function graphError(status: number, code: string, message: string): FakeReply {
  return json(status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': `graph-${status}-${code}`, 'client-request-id': 'fake' } } });
}

export async function readRequest(req: IncomingMessage, base: string): Promise<FakeRequest> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return { method: (req.method ?? 'GET').toUpperCase(), url: new URL(req.url ?? '/', base), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
}

export function send(res: ServerResponse, reply: FakeReply): void {
  // A client that hangs up mid-reply (a refused oversized reply, a timeout) must not crash the fake.
  res.on('error', () => {});
  res.socket?.on('error', () => {});
  const isText = typeof reply.body === 'string';
  const text = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(text ? { 'content-type': isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8' } : {}),
    ...reply.headers,
  });
  res.end(text);
}

export function b64url(v: unknown): string {
  return Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
}

/** An unsigned JWT (alg none): MSAL does not verify ID-token signatures, and our APIs only look up tokens they issued. */
export function jwt(claims: Record<string, unknown>): string {
  return `${b64url({ typ: 'JWT', alg: 'none' })}.${b64url(claims)}.`;
}
