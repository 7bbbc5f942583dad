// The rules of Azure's read-only command path (`az networkfabric device run-ro`), applied before
// anything is dialled: show commands only, written out in full, no pipes or redirection, nothing
// that configures, and not the commands Azure excludes (those ending in tech-support, agent logs,
// ip route, ip route vrf all). The operator's Reader/Writer role does not widen any of this.
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

export const MAX_COMMAND_CHARS = 256;

/** Endings Azure's read-only path refuses (whitespace-normalised, lower case). */
const EXCLUDED_ENDINGS = ['tech-support', 'agent logs', 'ip route', 'ip route vrf all'] as const;

/** Shell and CLI plumbing: a pipe, redirection, a second command or a substitution. */
const PLUMBING = /[|<>;&`$\\!]/;

/**
 * Full EOS keywords an operator may abbreviate ("sh ver", "show int"): a word that is a shorter
 * prefix of one of these is an abbreviation, which the read-only path does not accept.
 */
const KEYWORDS = [
  'show', 'version', 'interfaces', 'running-config', 'startup-config', 'summary', 'status', 'neighbors',
  'detail', 'counters', 'errors', 'description', 'inventory', 'environment', 'temperature', 'power',
  'bgp', 'evpn', 'ipv4', 'ipv6', 'unicast', 'route', 'vrf', 'lldp', 'mac', 'address-table', 'vlan',
  'hostname', 'clock', 'uptime', 'processes', 'logging', 'system', 'transceiver', 'hardware',
  'port-channel', 'spanning-tree', 'access-lists', 'arp', 'ntp', 'users', 'management', 'platform',
  'ip', 'all', 'brief', 'active', 'peers', 'routes', 'received-routes', 'advertised-routes', 'agent', 'logs',
  'tech-support', 'default', 'ethernet', 'loopback', 'neighbor', 'mlag', 'vxlan', 'mpls',
] as const;
const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);

/** Why a command may not go down the read-only path; null when it may. */
export function readOnlyRefusal(command: string): string | null {
  if (!command.trim()) return 'it is empty';
  if (command.length > MAX_COMMAND_CHARS) return `it is longer than ${MAX_COMMAND_CHARS} characters`;
  if (/[\u0000-\u001f\u007f]/.test(command)) return 'it contains a control character or a line break';
  if (PLUMBING.test(command)) return 'pipes, redirection and chained commands are not allowed';
  const words = command.trim().toLowerCase().split(/\s+/);
  if (words.some((w) => w.length >= 4 && 'configure'.startsWith(w))) return 'configure is not allowed';
  if (words[0] !== 'show') return `only show commands are allowed, written out in full ("${words[0]}" is not "show")`;
  const normalised = words.join(' ');
  for (const ending of EXCLUDED_ENDINGS) {
    if (normalised === `show ${ending}` || normalised.endsWith(` ${ending}`)) return `commands ending in "${ending}" are excluded`;
  }
  for (const word of words.slice(1)) {
    if (KEYWORD_SET.has(word) || !/^[a-z-]+$/.test(word)) continue;
    const full = KEYWORDS.find((k) => k.startsWith(word));
    if (full) return `"${word}" is an abbreviation; write "${full}"`;
  }
  return null;
}

export class CommandRefusedError extends NbgError {
  constructor(readonly refusals: { command: string; reason: string }[]) {
    super(ErrorCode.FLEET_COMMAND_REFUSED, `refused before any login (read-only commands only): ${
      refusals.map((r) => `"${r.command.replace(/[\u0000-\u001f\u007f]/g, '?')}": ${r.reason}`).join('; ')}`);
  }
}

/** Throws CommandRefusedError naming every command that breaks a rule. */
export function assertReadOnly(commands: readonly string[]): void {
  if (!commands.length) throw new CommandRefusedError([{ command: '', reason: 'no command given' }]);
  const refusals = commands.flatMap((command) => {
    const reason = readOnlyRefusal(command);
    return reason ? [{ command: command.slice(0, 80), reason }] : [];
  });
  if (refusals.length) throw new CommandRefusedError(refusals);
}
