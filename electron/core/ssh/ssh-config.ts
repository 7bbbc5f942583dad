// The options ssh_config(5) gives one destination, evaluated as OpenSSH's readconf.c does: `-o`
// options first, then each file top to bottom; the first value of an option wins (IdentityFile
// and CertificateFile add up); `Host` patterns match the name as typed, `Match host` the HostName
// set so far; an Include inside a block applies only when the block does. Only the options that
// decide a break-glass connect are read; any other keyword in a block that applies is reported,
// never silently dropped.
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SSH_PORT } from './chain';
import { patternListMatches } from './known-hosts';
import { INCLUDE_BEGIN, INCLUDE_END, SshConfigError, readConfigLines, splitConfigLine, tildeExpand, type ConfigLine } from './ssh-config-read';

export { SshConfigError } from './ssh-config-read';

export type StrictHostKeyChecking = 'yes' | 'no' | 'ask' | 'accept-new';

export interface SshConfigOptions {
  hostName: string;
  user: string;
  port: number;
  /** Undefined: no jump (also for `ProxyJump none`). */
  proxyJump?: string;
  identityFile: string[];
  identityAgent?: string;
  certificateFile: string[];
  hostKeyAlias?: string;
  userKnownHostsFile?: string[];
  strictHostKeyChecking?: StrictHostKeyChecking;
  connectTimeoutS?: number;
  /** As written (a list, or +, -, ^ against the default): ssh-algorithms.ts assembles it. */
  hostKeyAlgorithms?: string;
  kexAlgorithms?: string;
}

export interface SshConfigFile {
  file: string;
  /** Where its relative Include paths point: ~/.ssh for the user's file, /etc/ssh for the system's. */
  includeBase: string;
  /** The system-wide file: what it asks for that nbg does not do is reported apart (systemUnsupported). */
  system?: boolean;
}

export interface SshConfigQuery {
  /** The destination as typed (an alias or an address). */
  host: string;
  /** From `user@host` or `-l`: wins over User. */
  user?: string;
  /** From `host:port` or `-p`: wins over Port. */
  port?: number;
  /** `-o Keyword=value`, read before the files. */
  options?: string[];
  files: SshConfigFile[];
  home: string;
  localUser: string;
}

export interface ResolvedSshConfig {
  options: SshConfigOptions;
  /** Keywords (as written) and Match criteria in blocks that apply, which nbg does not honour. */
  unsupported: string[];
  /** The same from the system-wide file (Debian's sets SendEnv, HashKnownHosts, GSSAPI...): not the operator's doing. */
  systemUnsupported: string[];
  /** Every file read, Includes too. */
  files: string[];
}

/**
 * The user's and the system's files, as ssh reads them without -F: ~/.ssh/config and
 * /etc/ssh/ssh_config; on Windows (Win32-OpenSSH) %USERPROFILE%\.ssh\config and
 * %ProgramData%\ssh\ssh_config.
 */
export function defaultConfigFiles(home: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): SshConfigFile[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const systemDir = platform === 'win32' ? p.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'ssh') : '/etc/ssh';
  return [
    { file: p.join(home, '.ssh', 'config'), includeBase: p.join(home, '.ssh') },
    { file: p.join(systemDir, 'ssh_config'), includeBase: systemDir, system: true },
  ];
}

/** `-F FILE`: that file only. */
export function explicitConfigFile(file: string, home: string): SshConfigFile[] {
  return file === 'none' ? [] : [{ file: path.resolve(tildeExpand(file, home)), includeBase: path.join(home, '.ssh') }];
}

type Parsed = {
  [K in keyof SshConfigOptions]?: SshConfigOptions[K];
};

type TextOption = 'hostName' | 'user' | 'proxyJump' | 'identityAgent' | 'hostKeyAlias' | 'hostKeyAlgorithms' | 'kexAlgorithms';
const SINGLE: Record<string, keyof Parsed> = {
  hostname: 'hostName', user: 'user', port: 'port', proxyjump: 'proxyJump', identityagent: 'identityAgent',
  hostkeyalias: 'hostKeyAlias', userknownhostsfile: 'userKnownHostsFile', stricthostkeychecking: 'strictHostKeyChecking',
  connecttimeout: 'connectTimeoutS', hostkeyalgorithms: 'hostKeyAlgorithms', kexalgorithms: 'kexAlgorithms',
};
const MULTI: Record<string, 'identityFile' | 'certificateFile'> = { identityfile: 'identityFile', certificatefile: 'certificateFile' };
const MATCH_PATTERN_CRITERIA = ['host', 'originalhost', 'user', 'localuser'] as const;
const MAX_PORT = 65535;
const STRICT: Record<string, StrictHostKeyChecking> = {
  yes: 'yes', true: 'yes', no: 'no', false: 'no', off: 'no', ask: 'ask', 'accept-new': 'accept-new',
};

function oneArg(line: ConfigLine): string {
  if (line.args.length !== 1) throw new SshConfigError(`${line.source}: ${line.keyword} takes one value`);
  return line.args[0]!;
}

function setOption(parsed: Parsed, line: ConfigLine): void {
  const multi = MULTI[line.keyword];
  if (multi) {
    (parsed[multi] ??= []).push(oneArg(line));
    return;
  }
  const key = SINGLE[line.keyword]!;
  if (parsed[key] !== undefined) return; // the first value wins
  if (key === 'userKnownHostsFile') {
    if (line.args.length === 0) throw new SshConfigError(`${line.source}: UserKnownHostsFile needs a file`);
    parsed.userKnownHostsFile = line.args;
    return;
  }
  const value = oneArg(line);
  switch (key) {
    case 'port': {
      const port = Number(value);
      if (!/^\d+$/.test(value) || port < 1 || port > MAX_PORT) throw new SshConfigError(`${line.source}: Port ${value} is not a port number`);
      parsed.port = port;
      return;
    }
    case 'connectTimeoutS': {
      if (value.toLowerCase() === 'none') return;
      if (!/^\d+$/.test(value)) throw new SshConfigError(`${line.source}: ConnectTimeout ${value} is not a number of seconds`);
      parsed.connectTimeoutS = Number(value);
      return;
    }
    case 'strictHostKeyChecking': {
      const v = STRICT[value.toLowerCase()];
      if (!v) throw new SshConfigError(`${line.source}: StrictHostKeyChecking ${value}: expected yes, no, ask or accept-new`);
      parsed.strictHostKeyChecking = v;
      return;
    }
    default:
      parsed[key as TextOption] = value;
  }
}

interface MatchContext {
  originalHost: string;
  /** HostName so far (with %h), else the host as typed. */
  host: string;
  user: string;
  localUser: string;
}

/** A `Match` line: every criterion must hold; one this module does not evaluate makes it not match. */
function matchLine(line: ConfigLine, ctx: MatchContext, unsupported: Set<string>): boolean {
  const args = [...line.args];
  if (args.length === 0) throw new SshConfigError(`${line.source}: Match needs a criterion`);
  let result = true;
  while (args.length) {
    const raw = args.shift()!;
    const negate = raw.startsWith('!');
    const criterion = (negate ? raw.slice(1) : raw).toLowerCase();
    let ok: boolean;
    if (criterion === 'all') ok = true;
    else if ((MATCH_PATTERN_CRITERIA as readonly string[]).includes(criterion)) {
      const patterns = args.shift();
      if (patterns === undefined) throw new SshConfigError(`${line.source}: Match ${criterion} needs patterns`);
      const subject = { host: ctx.host, originalhost: ctx.originalHost, user: ctx.user, localuser: ctx.localUser }[criterion as typeof MATCH_PATTERN_CRITERIA[number]];
      ok = patternListMatches(patterns.split(','), subject);
    } else {
      // exec, canonical, final, localnetwork, tagged, ...: never run or guessed.
      unsupported.add(`Match ${criterion}`);
      if (!['canonical', 'final'].includes(criterion)) args.shift();
      ok = false;
    }
    if (negate ? ok : !ok) result = false;
  }
  return result;
}

/** %-tokens of ssh_config(5) TOKENS that make sense before connecting. */
function expandTokens(value: string, tokens: Record<string, string>, source: string): string {
  return value.replace(/%(.)/g, (_m, t: string) => {
    if (t === '%') return '%';
    const v = tokens[t];
    if (v === undefined) throw new SshConfigError(`${source}: unknown token %${t} in '${value}'`);
    return v;
  });
}

/** Evaluates the -o options and the files for one destination. */
export function resolveSshConfig(query: SshConfigQuery): ResolvedSshConfig {
  const parsed: Parsed = {};
  const unsupported = new Set<string>();
  const systemUnsupported = new Set<string>();
  let reportTo = unsupported;
  const files: string[] = [];
  // Host lines see the name as typed; Match and the tokens see it lower-cased, as ssh does.
  const originalHost = query.host.toLowerCase();
  const ctx = (): MatchContext => ({
    originalHost,
    host: parsed.hostName !== undefined ? expandTokens(parsed.hostName, { h: originalHost }, 'HostName') : originalHost,
    user: query.user ?? parsed.user ?? query.localUser,
    localUser: query.localUser,
  });
  const apply = (line: ConfigLine): void => {
    if (SINGLE[line.keyword] !== undefined || MULTI[line.keyword] !== undefined) setOption(parsed, line);
    else reportTo.add(line.name);
  };

  for (const text of query.options ?? []) {
    const line = splitConfigLine(text, `-o ${text}`);
    if (!line) continue;
    if (['host', 'match', 'include'].includes(line.keyword)) throw new SshConfigError(`-o ${text}: ${line.keyword} is not allowed as an option`);
    apply(line);
  }
  for (const f of query.files) {
    reportTo = f.system ? systemUnsupported : unsupported;
    const read = readConfigLines(f.file, { includeBase: f.includeBase, home: query.home });
    files.push(...read.files);
    let active = true;
    /** Inside an Include from a block that does not apply: nothing in it applies (SSHCONF_NEVERMATCH). */
    let neverMatch = false;
    const stack: { active: boolean; neverMatch: boolean }[] = [];
    for (const line of read.lines) {
      if (line.keyword === INCLUDE_BEGIN) {
        stack.push({ active, neverMatch });
        neverMatch ||= !active;
      } else if (line.keyword === INCLUDE_END) {
        ({ active, neverMatch } = stack.pop()!);
      } else if (line.keyword === 'host') {
        if (line.args.length === 0) throw new SshConfigError(`${line.source}: Host needs a pattern`);
        active = !neverMatch && patternListMatches(line.args, query.host, { caseSensitive: true });
      } else if (line.keyword === 'match') {
        active = matchLine(line, ctx(), reportTo) && !neverMatch;
      } else if (active) {
        apply(line);
      }
    }
  }

  const user = query.user ?? parsed.user ?? query.localUser;
  const port = query.port ?? parsed.port ?? DEFAULT_SSH_PORT;
  const hostName = parsed.hostName !== undefined ? expandTokens(parsed.hostName, { h: originalHost }, 'HostName') : originalHost;
  const tokens = {
    h: hostName, n: originalHost, p: String(port), r: user, u: query.localUser, d: query.home,
    i: String(process.getuid?.() ?? ''), l: os.hostname().split('.')[0] ?? '', k: parsed.hostKeyAlias ?? originalHost,
  };
  const filePath = (v: string, what: string): string => tildeExpand(expandTokens(v, tokens, what), query.home);
  const agent = parsed.identityAgent;
  const proxyJump = parsed.proxyJump?.toLowerCase() === 'none' ? undefined : parsed.proxyJump;
  const options: SshConfigOptions = {
    hostName, user, port,
    ...(proxyJump !== undefined ? { proxyJump } : {}),
    identityFile: (parsed.identityFile ?? []).map((f) => filePath(f, 'IdentityFile')),
    certificateFile: (parsed.certificateFile ?? []).map((f) => filePath(f, 'CertificateFile')),
    ...(agent !== undefined ? { identityAgent: agent === 'none' || agent === 'SSH_AUTH_SOCK' || agent.startsWith('$') ? agent : filePath(agent, 'IdentityAgent') } : {}),
    ...(parsed.hostKeyAlias !== undefined ? { hostKeyAlias: parsed.hostKeyAlias } : {}),
    ...(parsed.userKnownHostsFile ? { userKnownHostsFile: parsed.userKnownHostsFile.map((f) => filePath(f, 'UserKnownHostsFile')) } : {}),
    ...(parsed.strictHostKeyChecking ? { strictHostKeyChecking: parsed.strictHostKeyChecking } : {}),
    ...(parsed.connectTimeoutS !== undefined ? { connectTimeoutS: parsed.connectTimeoutS } : {}),
    ...(parsed.hostKeyAlgorithms !== undefined ? { hostKeyAlgorithms: parsed.hostKeyAlgorithms } : {}),
    ...(parsed.kexAlgorithms !== undefined ? { kexAlgorithms: parsed.kexAlgorithms } : {}),
  };
  return { options, unsupported: [...unsupported], systemUnsupported: [...systemUnsupported].filter((u) => !unsupported.has(u)), files };
}
