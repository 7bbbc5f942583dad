// `nbg ssh DEST` through ssh_config, as stock ssh reads it: ~/.ssh/config and /etc/ssh/ssh_config
// (or only `-F FILE`), `-o Option=value` first, and nbg's own flags as the ssh options they stand
// for (-J ProxyJump, --known-hosts UserKnownHostsFile, --accept-new StrictHostKeyChecking).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isNodeError } from '../../native/errors';
import { ChainSyntaxError } from '../core/ssh/chain';
import type { HostKeyPolicy } from '../core/ssh/known-hosts-verify';
import { defaultConfigFiles, explicitConfigFile, SshConfigError, type StrictHostKeyChecking } from '../core/ssh/ssh-config';
import { resolveConfigRoute, type ConfigHop, type ConfigRoute } from '../core/ssh/ssh-config-route';
import type { HopAuth } from '../core/ssh/sessions/index';
import { UsageError, type CliIo, type OptionValues } from './command';

const SK_KEY_TYPE = /^sk-/;

function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function list(values: OptionValues, name: string): string[] {
  const v = values[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** nbg's flags as the -o options they stand for; they come first, so they win. */
function flagOptions(values: OptionValues): string[] {
  const jump = str(values, 'jump');
  const knownHosts = str(values, 'known-hosts');
  return [
    ...(jump !== undefined ? [`ProxyJump ${jump}`] : []),
    ...(knownHosts !== undefined ? [`UserKnownHostsFile "${path.resolve(knownHosts)}"`] : []),
    ...(values['accept-new'] ? ['StrictHostKeyChecking accept-new'] : []),
  ];
}

export function resolveDestination(destination: string, values: OptionValues, io: CliIo): ConfigRoute {
  const home = io.env.HOME ?? os.homedir();
  const configFile = str(values, 'config');
  try {
    return resolveConfigRoute(destination, {
      files: configFile !== undefined ? explicitConfigFile(configFile, home) : defaultConfigFiles(home),
      options: [...flagOptions(values), ...list(values, 'option')],
      home, localUser: io.env.USER ?? io.env.USERNAME ?? os.userInfo().username,
    });
  } catch (err) {
    // A malformed address or -o on the command line is a usage error; a bad file is a failure.
    if (err instanceof ChainSyntaxError || (err instanceof SshConfigError && err.message.startsWith('-o '))) throw new UsageError(err.message);
    throw err;
  }
}

/** IdentityAgent as a socket path: `none` signs with the security key; SSH_AUTH_SOCK and $VAR read the environment. */
function agentSocket(value: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (value === undefined || value === 'none') return undefined;
  if (value === 'SSH_AUTH_SOCK') return env.SSH_AUTH_SOCK;
  if (value.startsWith('$')) return env[value.slice(1)];
  return value;
}

/** How a hop signs in: --agent for every hop, else its IdentityAgent, else the security key (or a password). */
export function hopAuth(hop: ConfigHop, values: OptionValues, io: CliIo, password: boolean): HopAuth {
  if (password) return { password: true };
  const socket = str(values, 'agent') ?? agentSocket(hop.options.identityAgent, io.env);
  return socket ? { securityKey: false, systemAgent: socket } : {};
}

export function hostKeyPolicy(strict: StrictHostKeyChecking | undefined): HostKeyPolicy {
  switch (strict) {
    case 'yes': return 'strict';
    case 'accept-new':
    case 'no': return 'accept-new';
    default: return 'ask';
  }
}

function publicKeyType(file: string): string | undefined {
  try {
    return readFileSync(`${file}.pub`, 'utf8').split(/\s+/)[0];
  } catch (err) {
    if (isNodeError(err, 'ENOENT') || isNodeError(err, 'EACCES')) return undefined;
    throw err;
  }
}

/**
 * What the config asks for that this connect will not do, each named once: unknown keywords, Match
 * criteria, algorithms ssh2 lacks, StrictHostKeyChecking no (a changed key is still refused),
 * CertificateFile, and IdentityFile entries that are not security-key files in the key folder.
 */
export function configWarnings(route: ConfigRoute, keyDir: string): string[] {
  const notes = new Set(route.unsupported);
  for (const hop of [...route.chain, route.target]) {
    const o = hop.options;
    if (o.strictHostKeyChecking === 'no') notes.add('StrictHostKeyChecking no (treated as accept-new: a changed host key is always refused)');
    if (o.certificateFile.length) notes.add('CertificateFile (user certificates are not offered)');
    for (const f of o.identityFile.filter((x) => x !== 'none')) {
      const inKeyDir = path.resolve(path.dirname(f)) === path.resolve(keyDir);
      if (!inKeyDir || !SK_KEY_TYPE.test(publicKeyType(f) ?? '')) notes.add(`IdentityFile ${f} (nbg signs with the security-key files in ${keyDir})`);
    }
  }
  return [...notes];
}
