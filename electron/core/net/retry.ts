// Which failures are worth another attempt, and how long the server asked us to wait.
import { TransportError } from './transport';

/** 408 Request Timeout, 429 throttling and the 5xx that mean "try again"; nothing else changes by repeating. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export function isRetryableTransportError(err: TransportError): boolean {
  return err.reason === 'timeout' || err.reason === 'network';
}

/** Milliseconds the server asked us to wait: retry-after-ms, x-ms-retry-after-ms, or Retry-After (seconds or date). */
export function retryAfterMs(headers: Record<string, string>, now = Date.now()): number | undefined {
  for (const h of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = Number(headers[h]);
    if (headers[h] !== undefined && Number.isFinite(v) && v >= 0) return v;
  }
  const ra = headers['retry-after'];
  if (ra === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Number(ra) * 1000;
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
