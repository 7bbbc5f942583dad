// ssh_config `ProxyJump` / `ssh -J` syntax: comma-separated hops, each `[user@]host[:port]`,
// `[user@][v6addr][:port]` or `ssh://[user@]host[:port]`. The same syntax names a target.
import { checkHost, printable } from '../../shared/host-address';
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

export const DEFAULT_SSH_PORT = 22;
const MAX_PORT = 65535;

export class ChainSyntaxError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.CHAIN_SYNTAX, message);
  }
}

export interface HopAddress {
  /** Login name; undefined = the caller's default user. */
  user?: string;
  host: string;
  port: number;
}

function parsePort(text: string, whole: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new ChainSyntaxError(`'${whole}': port '${text}' is not a number`);
  const port = Number(text);
  if (port < 1 || port > MAX_PORT) throw new ChainSyntaxError(`'${whole}': port ${port} is out of range 1-${MAX_PORT}`);
  return port;
}

/** Parses one hop: `user@host:port`, `[::1]:2222`, `ssh://user@host`, a bare IPv6 address. */
export function parseHop(text: string): HopAddress {
  const spec = parseHopSpec(text);
  return { ...spec, port: spec.port ?? DEFAULT_SSH_PORT };
}

/** As parseHop, with the port left out when the text names none (ssh_config's Port then decides). */
export function parseHopSpec(text: string): Omit<HopAddress, 'port'> & { port?: number } {
  const whole = text.trim();
  let rest = whole;
  if (rest.startsWith('ssh://')) rest = rest.slice('ssh://'.length).replace(/\/$/, '');
  if (rest === '') throw new ChainSyntaxError(`empty host in '${whole}'`);
  // The user may itself contain '@' (e.g. Entra UPNs): the host starts after the last one.
  const at = rest.lastIndexOf('@');
  const user = at >= 0 ? rest.slice(0, at) : undefined;
  if (user === '') throw new ChainSyntaxError(`'${whole}': empty user name before '@'`);
  const hostPort = at >= 0 ? rest.slice(at + 1) : rest;
  let host: string;
  let port: number | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new ChainSyntaxError(`'${whole}': missing ']' after IPv6 address`);
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after.startsWith(':')) port = parsePort(after.slice(1), whole);
    else if (after !== '') throw new ChainSyntaxError(`'${whole}': unexpected '${after}' after ']'`);
  } else if ((hostPort.match(/:/g) ?? []).length > 1) {
    host = hostPort; // bare IPv6 address: no port possible without brackets
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    if (colon >= 0) port = parsePort(hostPort.slice(colon + 1), whole);
  }
  if (host === '') throw new ChainSyntaxError(`empty host in '${whole}'`);
  const checked = checkHost(host);
  if (!checked.ok) throw new ChainSyntaxError(`the host in '${printable(whole)}' ${checked.reason}`);
  host = checked.host;
  return { ...(user === undefined ? {} : { user }), host, ...(port === undefined ? {} : { port }) };
}

/** Parses a ProxyJump value; `none` (ssh_config's way of saying "no jump") gives an empty chain. */
export function parseProxyJump(value: string): HopAddress[] {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  return trimmed.split(',').map((part) => {
    if (part.trim() === '') throw new ChainSyntaxError(`empty hop in jump chain '${trimmed}'`);
    return parseHop(part);
  });
}

/** `host` as OpenSSH writes it in known_hosts and -J: brackets for IPv6 when a port follows. */
export function formatHostPort(host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return port === DEFAULT_SSH_PORT ? h : `${h}:${port}`;
}

/** `user@host:port` for display and for ProxyJump round-trips. */
export function formatHop(hop: HopAddress): string {
  const hp = formatHostPort(hop.host, hop.port);
  const needsBrackets = hop.port === DEFAULT_SSH_PORT && hop.host.includes(':');
  return `${hop.user ? `${hop.user}@` : ''}${needsBrackets ? `[${hop.host}]` : hp}`;
}

export function formatProxyJump(chain: HopAddress[]): string {
  return chain.map(formatHop).join(',');
}
