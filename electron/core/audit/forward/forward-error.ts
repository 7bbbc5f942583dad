// Why a delivery failed, in the words an operator can act on: the Node error code (also when the
// transport wrapped it as its cause) or the HTTP status a sink reported, with what it usually means.
import { errorMessage } from '../../../../native/errors';

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'nothing answered at the receiver\'s address: it is down, or the host or port is wrong',
  ECONNRESET: 'the receiver closed the connection in the middle of the delivery',
  EPIPE: 'the receiver closed the connection in the middle of the delivery',
  ETIMEDOUT: 'the receiver did not answer in time (network down, or a firewall drops the traffic)',
  EHOSTUNREACH: 'the receiver cannot be reached from this network',
  ENETUNREACH: 'this machine has no route to the receiver (network down?)',
  ENOTFOUND: 'the receiver\'s host name does not resolve (DNS, or a typo in the settings)',
  EAI_AGAIN: 'the receiver\'s host name could not be resolved just now (DNS unreachable)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the receiver\'s TLS certificate is self-signed and not trusted (set its CA in the settings)',
  SELF_SIGNED_CERT_IN_CHAIN: 'the receiver\'s TLS certificate comes from a CA this machine does not trust (set its CA in the settings)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the receiver\'s TLS certificate comes from a CA this machine does not trust (set its CA in the settings)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the receiver\'s TLS certificate comes from a CA this machine does not trust (set its CA in the settings)',
  CERT_HAS_EXPIRED: 'the receiver\'s TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the receiver\'s TLS certificate is for another host name',
};

function statusMeaning(status: number): string {
  if (status === 401 || status === 403) return 'it does not accept our credentials or signature';
  if (status === 404) return 'nothing is there: check the address in the settings';
  if (status === 413) return 'it refused a batch as too large';
  if (status === 429) return 'it asks us to slow down';
  if (status >= 500) return 'the receiver is down or overloaded';
  return 'the receiver refused the delivery';
}

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code in BY_CODE) return code;
  }
  return undefined;
}

/** One line, at most 1024 characters. */
export function forwardErrorText(err: unknown): string {
  const code = codeOf(err);
  const message = errorMessage(err).split('\n')[0] ?? 'failed';
  const status = /\bHTTP (\d{3})\b/.exec(message)?.[1];
  const text = code ? `${BY_CODE[code]} (${code})` : status ? `${message}: ${statusMeaning(Number(status))}` : message;
  return text.slice(0, 1024);
}
