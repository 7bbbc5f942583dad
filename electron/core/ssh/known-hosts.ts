// OpenSSH known_hosts: parsing, host matching (plain, hashed |1|salt|hash, [host]:port, negation
// and * ? wildcards) and lookup of a presented host key or host certificate.
//
// @cert-authority lines vouch for host certificates only (lookupHostCertificate; the certificate
// itself is checked in host-cert.ts): a plain host key is never "known" because of a CA line.
// @revoked lines: a presented key equal to a revoked key for a matching host is refused outright,
// and so is a certificate whose certified key or CA key is revoked.
import { createHmac, randomBytes } from 'node:crypto';
import { DEFAULT_SSH_PORT } from './chain';

export type KnownHostMarker = 'cert-authority' | 'revoked';

export interface KnownHostEntry {
  marker?: KnownHostMarker;
  /** The host field as written (comma list of patterns, or one hashed name). */
  hosts: string;
  keyType: string;
  key: Buffer;
  comment?: string;
  /** "file:line" for messages. */
  source: string;
}

export interface KnownHostsProblem {
  source: string;
  reason: string;
}

const HASH_MAGIC = '|1|';
const HASH_SALT_BYTES = 20;

/** The name OpenSSH looks up and records: `host` on port 22, else `[host]:port` (any address family). */
export function knownHostsName(host: string, port: number): string {
  return port === DEFAULT_SSH_PORT ? host : `[${host}]:${port}`;
}

/** The key type string at the start of an SSH public key blob (string type, ...). */
export function keyBlobType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const len = keyBlob.readUInt32BE(0);
  if (len > keyBlob.length - 4) return '';
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

export function parseKnownHosts(text: string, file: string): { entries: KnownHostEntry[]; problems: KnownHostsProblem[] } {
  const entries: KnownHostEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const source = `${file}:${i + 1}`;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/[ \t]+/);
    let marker: KnownHostMarker | undefined;
    if (fields[0]?.startsWith('@')) {
      const m = fields.shift();
      if (m === '@cert-authority') marker = 'cert-authority';
      else if (m === '@revoked') marker = 'revoked';
      else {
        problems.push({ source, reason: `unknown marker ${m}` });
        return;
      }
    }
    const [hosts, keyType, b64, ...comment] = fields;
    if (!hosts || !keyType || !b64) {
      problems.push({ source, reason: 'expected: hosts key-type base64-key [comment]' });
      return;
    }
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0 || key.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, '') || keyBlobType(key) !== keyType) {
      problems.push({ source, reason: `key does not decode as ${keyType}` });
      return;
    }
    entries.push({ ...(marker ? { marker } : {}), hosts, keyType, key, ...(comment.length ? { comment: comment.join(' ') } : {}), source });
  });
  return { entries, problems };
}

function wildcardToRegExp(pattern: string, caseSensitive: boolean): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseSensitive ? '' : 'i');
}

/**
 * OpenSSH's match_pattern_list: true when some pattern (* and ? wildcards) matches and no negated
 * (!) one does. known_hosts and `Match host` compare without case; ssh_config `Host` lines with it.
 */
export function patternListMatches(patterns: readonly string[], name: string, opts: { caseSensitive?: boolean } = {}): boolean {
  let matched = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (pattern === '' || !wildcardToRegExp(pattern, opts.caseSensitive ?? false).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedMatches(field: string, name: string): boolean {
  const parts = field.slice(HASH_MAGIC.length).split('|');
  if (parts.length !== 2) return false;
  const salt = Buffer.from(parts[0] ?? '', 'base64');
  const expected = parts[1] ?? '';
  return createHmac('sha1', salt).update(name).digest('base64') === expected;
}

/** True when `name` ("host" or "[host]:port") matches a known_hosts host field (ssh's match_hostname). */
export function hostFieldMatches(field: string, name: string): boolean {
  return field.startsWith(HASH_MAGIC) ? hashedMatches(field, name) : patternListMatches(field.split(','), name);
}

/** A hashed host field as `ssh-keygen -H` writes it. */
export function hashHostName(name: string, salt: Buffer = randomBytes(HASH_SALT_BYTES)): string {
  return `${HASH_MAGIC}${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

export type HostKeyStatus =
  | { kind: 'known'; entry: KnownHostEntry }
  | { kind: 'unknown' }
  | { kind: 'changed'; expected: KnownHostEntry[] }
  | { kind: 'revoked'; entry: KnownHostEntry };

export type HostCertificateStatus =
  | { kind: 'vouched'; entry: KnownHostEntry }
  | { kind: 'no-ca' }
  | { kind: 'revoked'; entry: KnownHostEntry; revoked: 'key' | 'ca' };

/** The lines whose host field matches `host` on `port` (its known_hosts name). */
export function entriesForHost(entries: KnownHostEntry[], host: string, port: number): KnownHostEntry[] {
  const name = knownHostsName(host, port);
  return entries.filter((e) => hostFieldMatches(e.hosts, name));
}

function revokedEntry(forHost: KnownHostEntry[], keyBlob: Buffer): KnownHostEntry | undefined {
  return forHost.find((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
}

/**
 * Looks a presented key up the way OpenSSH's check_host_key does: revoked wins, an equal key is
 * known, a different key of the same type for the host is a change, otherwise the key is new
 * (keys of other types on record do not make it a change: the server may offer several).
 */
export function lookupHostKey(entries: KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyStatus {
  const forHost = entriesForHost(entries, host, port);
  const revoked = revokedEntry(forHost, keyBlob);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key.equals(keyBlob));
  if (same) return { kind: 'known', entry: same };
  const type = keyBlobType(keyBlob);
  const changed = plain.filter((e) => e.keyType === type);
  return changed.length ? { kind: 'changed', expected: changed } : { kind: 'unknown' };
}

/**
 * Looks a host certificate up as OpenSSH's check_hostkeys_by_key_or_type does: a revoked certified
 * key or CA key wins, else a @cert-authority line for the host naming the certificate's CA vouches
 * (whether the certificate is valid for the host is host-cert.ts's question).
 */
export function lookupHostCertificate(entries: KnownHostEntry[], host: string, port: number, cert: { key: Buffer; caKey: Buffer }): HostCertificateStatus {
  const forHost = entriesForHost(entries, host, port);
  const revokedKey = revokedEntry(forHost, cert.key);
  if (revokedKey) return { kind: 'revoked', entry: revokedKey, revoked: 'key' };
  const revokedCa = revokedEntry(forHost, cert.caKey);
  if (revokedCa) return { kind: 'revoked', entry: revokedCa, revoked: 'ca' };
  const ca = forHost.find((e) => e.marker === 'cert-authority' && e.key.equals(cert.caKey));
  return ca ? { kind: 'vouched', entry: ca } : { kind: 'no-ca' };
}

/** One known_hosts line for a host key, readable by stock OpenSSH. */
export function formatKnownHostLine(host: string, port: number, keyBlob: Buffer, opts: { hashed?: boolean } = {}): string {
  const name = knownHostsName(host, port);
  return `${opts.hashed ? hashHostName(name) : name} ${keyBlobType(keyBlob)} ${keyBlob.toString('base64')}`;
}
