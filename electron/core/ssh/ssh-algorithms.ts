// HostKeyAlgorithms and KexAlgorithms values as OpenSSH assembles them (kex.c kex_assemble_names):
// a list (wildcards allowed), or `+list` (append to the default), `-list` (remove from it), `^list`
// (put first). Names OpenSSH knows but the patched ssh2 does not implement (sntrup761, sk host
// keys, ...) are dropped and reported, so the caller can name them in a warning.
import { patternListMatches } from './known-hosts';
import { SshConfigError } from './ssh-config-read';

/** The patched ssh2's DEFAULT_KEX (post-quantum hybrid first, as OpenSSH >= 9.9). */
export const DEFAULT_KEX_ALGORITHMS: readonly string[] = [
  'mlkem768x25519-sha256', 'curve25519-sha256@libssh.org', 'curve25519-sha256',
  'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256',
  'diffie-hellman-group14-sha256', 'diffie-hellman-group15-sha512', 'diffie-hellman-group16-sha512',
  'diffie-hellman-group17-sha512', 'diffie-hellman-group18-sha512',
];
/**
 * Everything the patched ssh2 can negotiate (its SUPPORTED_KEX), in `ssh -Q kex` order: a wildcard
 * expands in this order, as OpenSSH expands it over its own list.
 */
export const SUPPORTED_KEX_ALGORITHMS: readonly string[] = [
  'diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group14-sha256', 'diffie-hellman-group15-sha512',
  'diffie-hellman-group16-sha512', 'diffie-hellman-group17-sha512', 'diffie-hellman-group18-sha512',
  'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group-exchange-sha256',
  'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'curve25519-sha256', 'curve25519-sha256@libssh.org',
  'mlkem768x25519-sha256',
];
/** The host key algorithms the patched ssh2 verifies, in `ssh -Q HostKeyAlgorithms` order. */
export const SUPPORTED_HOST_KEY_ALGORITHMS: readonly string[] = [
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'ssh-dss', 'ssh-rsa', 'rsa-sha2-256', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512', 'rsa-sha2-512-cert-v01@openssh.com',
];

export interface AssembledAlgorithms {
  list: string[];
  /** Names in the value that matched nothing ssh2 implements. */
  dropped: string[];
}

export function assembleAlgorithms(value: string, defaults: readonly string[], supported: readonly string[], option: string): AssembledAlgorithms {
  const op = /^[+\-^]/.test(value) ? value[0] : '';
  const patterns = (op ? value.slice(1) : value).split(',').filter((p) => p !== '');
  if (patterns.length === 0) throw new SshConfigError(`${option} ${value}: no algorithms named`);
  const dropped: string[] = [];
  const matching: string[] = [];
  for (const p of patterns) {
    const found = supported.filter((a) => patternListMatches([p], a) && !matching.includes(a));
    if (found.length === 0 && !/[*?]/.test(p)) dropped.push(p);
    matching.push(...found);
  }
  let list: string[];
  switch (op) {
    case '+': list = [...defaults, ...matching.filter((a) => !defaults.includes(a))]; break;
    case '-': list = defaults.filter((a) => !patterns.some((p) => patternListMatches([p], a))); break;
    case '^': list = [...matching, ...defaults.filter((a) => !matching.includes(a))]; break;
    default: list = matching;
  }
  if (list.length === 0) throw new SshConfigError(`${option} ${value}: leaves no algorithm nbg can use`);
  return { list, dropped: op === '-' ? [] : dropped };
}
