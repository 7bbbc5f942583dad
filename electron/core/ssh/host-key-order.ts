// OpenSSH's host key algorithm choice for a host (sshconnect2.c order_hostkeyalgs, 9.x): when the
// operator has not set HostKeyAlgorithms, the default list is reordered so algorithms whose plain
// key type is already recorded for the host (and, under a matching @cert-authority line, every
// certificate algorithm) come first, keeping the default order within each half. When the key type
// of the first algorithm is already recorded, the list is used verbatim. Servers then present the
// key the operator already trusts instead of a new type that would prompt.
import { HOST_CERT_ALGORITHMS } from './host-cert';
import type { KnownHostEntry } from './known-hosts';

const CERT_SUFFIX = '-cert-v01@openssh.com';
const RSA_KEY_TYPE = 'ssh-rsa';
const RSA_ALGORITHMS: readonly string[] = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/**
 * The default HostKeyAlgorithms as OpenSSH's KEX_DEFAULT_PK_ALG, limited to what the patched ssh2
 * verifies (no sk host keys), plus ssh-rsa last for old devices that sign with SHA-1 only.
 */
export const DEFAULT_HOST_KEY_ALGORITHMS: readonly string[] = [
  ...HOST_CERT_ALGORITHMS,
  'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa',
];

export function isCertificateAlgorithm(alg: string): boolean {
  return alg.endsWith(CERT_SUFFIX);
}

/**
 * The key type a known_hosts line records for keys of this algorithm (sshkey_type_plain): RSA
 * signature variants share ssh-rsa, certificates map to the key they certify, and ECDSA keeps its
 * curve (sshkey_ecdsa_nid_from_name).
 */
export function plainKeyType(alg: string): string {
  const base = isCertificateAlgorithm(alg) ? alg.slice(0, -CERT_SUFFIX.length) : alg;
  return RSA_ALGORITHMS.includes(base) ? RSA_KEY_TYPE : base;
}

/**
 * order_hostkeyalgs over `algorithms` for the known_hosts entries that match the host (by its
 * HostKeyAlias, or its `[host]:port` name). Only unmarked lines count as recorded keys; @revoked
 * lines never pull an algorithm forward.
 */
export function orderHostKeyAlgorithms(algorithms: readonly string[], forHost: readonly KnownHostEntry[]): string[] {
  const recorded = new Set(forHost.filter((e) => e.marker === undefined).map((e) => e.keyType));
  const hasCa = forHost.some((e) => e.marker === 'cert-authority');
  const best = algorithms[0];
  if (best === undefined || recorded.has(plainKeyType(best))) return [...algorithms];
  const first: string[] = [];
  const last: string[] = [];
  for (const alg of algorithms) {
    const preferred = (hasCa && isCertificateAlgorithm(alg)) || recorded.has(plainKeyType(alg));
    (preferred ? first : last).push(alg);
  }
  return [...first, ...last];
}
