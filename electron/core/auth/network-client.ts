// MSAL's network module over our transport, so sign-in trusts the same CAs as Graph/ARM calls.
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Transport } from '../net/transport';

const DEFAULT_TIMEOUT_MS = 30_000;

export function msalNetworkClient(transport: Transport): INetworkModule {
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const res = await transport({ method, url, headers: options?.headers ?? {}, body: method === 'POST' ? options?.body ?? '' : undefined, timeoutMs: timeout ?? DEFAULT_TIMEOUT_MS });
    let body: T;
    try {
      body = JSON.parse(res.body) as T;
    } catch {
      throw new Error(`identity provider reply is not JSON (HTTP ${res.status})`);
    }
    return { status: res.status, headers: res.headers, body };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
