// The single place that opens HTTPS connections to Entra, Graph and ARM. Built on node:https so
// a test (or a TLS-inspecting corporate proxy's CA) can be trusted per client, without touching
// process-wide state; MSAL gets the same transport through network-client.ts.
import https from 'node:https';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';

export interface TransportRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** A reply larger than this is refused (default DEFAULT_MAX_REPLY_BYTES). */
  maxReplyBytes?: number;
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/**
 * Raised for failures below HTTP. `timeout` and `network` may pass with time and are retried;
 * `too-large` and `refused` (a non-https URL) cannot change, so the retry layer gives up at once.
 */
export class TransportError extends Error {
  constructor(readonly reason: 'timeout' | 'network' | 'too-large' | 'refused', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

export const DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024;

export interface TransportOptions {
  /** Extra PEM CA certificates trusted in addition to Node's bundled roots. */
  extraCaPem?: string;
  maxSockets?: number;
}

/**
 * Reads NODE_EXTRA_CA_CERTS from the given env the way Node does at start-up, for in-process
 * use; like Node, an unreadable file is ignored.
 */
export function transportOptionsFromEnv(env: NodeJS.ProcessEnv): TransportOptions {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return {};
  try {
    return { extraCaPem: readFileSync(file, 'utf8') };
  } catch {
    return {};
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}

export function createTransport(opts: TransportOptions = {}): Transport {
  // One secure context for every connection: building it parses all root certificates, which
  // costs tens of milliseconds per connection when done per socket.
  const secureContext = opts.extraCaPem ? tls.createSecureContext({ ca: [...tls.rootCertificates, opts.extraCaPem] }) : undefined;
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: opts.maxSockets ?? 16,
    ...(secureContext ? { secureContext } : {}),
  });
  return (req) => new Promise<TransportResponse>((resolve, reject) => {
    const url = new URL(req.url);
    if (url.protocol !== 'https:') {
      reject(new TransportError('refused', `refusing to send a request over ${url.protocol}`));
      return;
    }
    const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
    const maxBytes = req.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    const r = https.request(url, {
      method: req.method,
      agent,
      headers: { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('error', (e) => { clearTimeout(timer); reject(e instanceof TransportError ? e : new TransportError('network', e.message, { cause: e })); });
      let refused = false;
      const tooLarge = (): void => {
        // Rejected here and the socket dropped without an error event, so nothing of it is read or emitted later.
        refused = true;
        clearTimeout(timer);
        reject(new TransportError('too-large', `reply larger than ${sizeText(maxBytes)} refused`));
        res.destroy();
        r.destroy();
      };
      // A declared length over the cap is refused before a byte of the body is read.
      if (Number(res.headers['content-length'] ?? 0) > maxBytes) { tooLarge(); return; }
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (refused) return;
        if (size > maxBytes) tooLarge();
        else chunks.push(c);
      });
      res.on('end', () => {
        if (refused) return;
        clearTimeout(timer);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => r.destroy(new TransportError('timeout', `no reply within ${req.timeoutMs} ms`)), req.timeoutMs);
    r.on('error', (e) => {
      clearTimeout(timer);
      reject(e instanceof TransportError ? e : new TransportError('network', e.message, { cause: e }));
    });
    r.end(body);
  });
}
