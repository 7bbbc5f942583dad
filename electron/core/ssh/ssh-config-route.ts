// A destination and its jump chain from ssh_config, as stock ssh builds it: ProxyJump `a,b` for
// `c` makes ssh reach `b` with `-J a` (so b's own ProxyJump does not count) and `a` with nothing
// (so a's own ProxyJump does); each jump is looked up in the same files (ssh passes -F on) but
// without the -o options, with the user and port of the ProxyJump spec over its User and Port.
import { ChainSyntaxError, parseHopSpec } from './chain';
import { DEFAULT_HOST_KEY_ALGORITHMS } from './host-key-order';
import { assembleAlgorithms, DEFAULT_KEX_ALGORITHMS, SUPPORTED_HOST_KEY_ALGORITHMS, SUPPORTED_KEX_ALGORITHMS } from './ssh-algorithms';
import { resolveSshConfig, SshConfigError, type SshConfigOptions, type SshConfigQuery } from './ssh-config';
import type { Hop } from './sessions/types';

/** More hops than any fabric path has: a ProxyJump cycle in the files. */
const MAX_HOPS = 8;

export interface ConfigHop extends Hop {
  /** The destination as the operator or ProxyJump named it. */
  alias: string;
  options: SshConfigOptions;
}

export interface ConfigRoute {
  target: ConfigHop;
  /** Jumps in dialling order. */
  chain: ConfigHop[];
  /** Keywords, Match criteria and algorithm names nbg cannot honour, each once. */
  unsupported: string[];
  /** The same from the system-wide file only. */
  systemUnsupported: string[];
}

export type RouteQuery = Omit<SshConfigQuery, 'host' | 'user' | 'port'>;

function algorithmsFor(options: SshConfigOptions, notImplemented: Set<string>): Hop['algorithms'] {
  const out: NonNullable<Hop['algorithms']> = {};
  if (options.kexAlgorithms !== undefined) {
    const a = assembleAlgorithms(options.kexAlgorithms, DEFAULT_KEX_ALGORITHMS, SUPPORTED_KEX_ALGORITHMS, 'KexAlgorithms');
    out.kex = a.list;
    a.dropped.forEach((d) => notImplemented.add(`KexAlgorithms ${d}`));
  }
  if (options.hostKeyAlgorithms !== undefined) {
    const a = assembleAlgorithms(options.hostKeyAlgorithms, DEFAULT_HOST_KEY_ALGORITHMS, SUPPORTED_HOST_KEY_ALGORITHMS, 'HostKeyAlgorithms');
    out.serverHostKey = a.list;
    a.dropped.forEach((d) => notImplemented.add(`HostKeyAlgorithms ${d}`));
  }
  return out.kex || out.serverHostKey ? out : undefined;
}

/** Resolves `destination` (`[user@]alias[:port]`) and its chain through the config files. */
export function resolveConfigRoute(destination: string, query: RouteQuery): ConfigRoute {
  const unsupported = new Set<string>();
  const systemUnsupported = new Set<string>();
  const hopCount = { n: 0 };

  const resolveOne = (text: string, options: string[] | undefined): ConfigHop[] => {
    if (++hopCount.n > MAX_HOPS) throw new SshConfigError(`ProxyJump chain for ${destination} has more than ${MAX_HOPS} hops (a loop in the config?)`);
    const spec = parseHopSpec(text);
    const resolved = resolveSshConfig({
      ...query, host: spec.host, ...(options ? { options } : { options: [] }),
      ...(spec.user !== undefined ? { user: spec.user } : {}), ...(spec.port !== undefined ? { port: spec.port } : {}),
    });
    resolved.unsupported.forEach((u) => unsupported.add(u));
    resolved.systemUnsupported.forEach((u) => systemUnsupported.add(u));
    const o = resolved.options;
    const jumps = o.proxyJump === undefined ? [] : o.proxyJump.split(',');
    if (jumps.some((j) => j.trim() === '')) throw new ChainSyntaxError(`empty hop in jump chain '${o.proxyJump}'`);
    // The last jump is reached with -J <the ones before it>: its own ProxyJump is overridden.
    const last = jumps.at(-1);
    const earlier = jumps.slice(0, -1);
    const chain = last === undefined ? [] : resolveOne(last, earlier.length ? [`ProxyJump ${earlier.join(',')}`] : undefined);
    const algorithms = algorithmsFor(o, unsupported);
    const hop: ConfigHop = {
      alias: spec.host, options: o, name: spec.host, user: o.user, host: o.hostName, port: o.port,
      ...(o.hostKeyAlias !== undefined ? { hostKeyAlias: o.hostKeyAlias } : {}),
      ...(algorithms ? { algorithms } : {}),
    };
    return [...chain, hop];
  };

  const hops = resolveOne(destination, query.options);
  const target = hops.pop()!;
  return { target, chain: hops, unsupported: [...unsupported], systemUnsupported: [...systemUnsupported].filter((u) => !unsupported.has(u)) };
}
