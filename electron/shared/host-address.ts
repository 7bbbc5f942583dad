// Host names and addresses from outside (Azure replies, settings, ssh command lines) are checked
// here before they reach known_hosts, an ssh connection or the screen: an IPv4 address, an IPv6
// address (a prefix length such as "2F::1/100" is stripped), or a DNS name. Anything else (spaces,
// newlines, control characters, shell or ssh_config syntax) is refused with a reason that never
// repeats the raw value. Pure TypeScript: the settings schema and the renderer use it too.

export type HostKind = 'ipv4' | 'ipv6' | 'dns';
export type HostCheck = { ok: true; kind: HostKind; host: string } | { ok: false; reason: string };

const MAX_DNS_NAME = 253;
const DNS_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const IPV4_OCTET = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => IPV4_OCTET.test(p));
}

export function isIpv6(s: string): boolean {
  if (s.length > 45 || !s.includes(':')) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string): string[] | null => (half === '' ? [] : half.split(':'));
  const parts = halves.map(groups);
  if (parts.some((p) => p === null)) return false;
  const all = parts.flat() as string[];
  // An embedded IPv4 address may end the address and counts as two groups.
  let count = all.length;
  const last = all[all.length - 1];
  if (last !== undefined && last.includes('.')) {
    if (!isIpv4(last)) return false;
    all.pop();
    count += 1;
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function isDnsName(s: string): boolean {
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  if (name.length === 0 || name.length > MAX_DNS_NAME) return false;
  const labels = name.split('.');
  // All-numeric dotted names are malformed IPv4 addresses, not host names.
  if (labels.every((l) => /^\d+$/.test(l))) return false;
  return labels.every((l) => DNS_LABEL.test(l));
}

/** The text with control characters shown as \\uXXXX escapes, safe to put in a message or a log line. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function describe(raw: string): string {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) return 'contains a control character (such as a newline)';
  if (/\s/.test(raw)) return 'contains a space';
  if (raw.length > MAX_DNS_NAME) return `is longer than ${MAX_DNS_NAME} characters`;
  return 'is not an IPv4 address, an IPv6 address or a DNS name';
}

/** Checks one host name or address; `host` is the normal form (IPv6 without prefix length). */
export function checkHost(raw: string): HostCheck {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'is empty' };
  if (trimmed !== raw && /[\r\n]/.test(raw)) return { ok: false, reason: describe(raw) };
  const slash = trimmed.indexOf('/');
  const address = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const prefix = slash >= 0 ? trimmed.slice(slash + 1) : undefined;
  if (prefix !== undefined) {
    const ok = /^\d{1,3}$/.test(prefix) && (isIpv4(address) ? Number(prefix) <= 32 : isIpv6(address) && Number(prefix) <= 128);
    if (!ok) return { ok: false, reason: describe(trimmed) };
  }
  if (isIpv4(address)) return { ok: true, kind: 'ipv4', host: address };
  if (isIpv6(address)) return { ok: true, kind: 'ipv6', host: address };
  if (prefix === undefined && isDnsName(address)) return { ok: true, kind: 'dns', host: address };
  return { ok: false, reason: describe(trimmed) };
}
