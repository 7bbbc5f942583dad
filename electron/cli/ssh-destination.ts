// `nbg ssh DEST` through ssh_config, as stock ssh reads it: ~/.ssh/config and /etc/ssh/ssh_config
// (or only `-F FILE`), `-o Option=value` first, and nbg's own flags as the ssh options they stand
// for (-J ProxyJump, --known-hosts UserKnownHostsFile, --accept-new StrictHostKeyChecking).
import os from 'node:os';
import path from 'node:path';
import { ChainSyntaxError } from '../core/ssh/chain';
import { defaultConfigFiles, explicitConfigFile, SshConfigError } from '../core/ssh/ssh-config';
import { configHopAuth } from '../core/ssh/ssh-config-connect';
import { resolveConfigRoute, type ConfigHop, type ConfigRoute } from '../core/ssh/ssh-config-route';
import type { HopAuth } from '../core/ssh/sessions/index';
import { UsageError, type CliIo, type OptionValues } from './command';

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

/** How a hop signs in: --agent for every hop, else its IdentityAgent, else the security key (or a password). */
export function hopAuth(hop: ConfigHop, values: OptionValues, io: CliIo, password: boolean): HopAuth {
  if (password) return { password: true };
  const socket = str(values, 'agent');
  return socket ? { securityKey: false, systemAgent: socket } : configHopAuth(hop, io.env);
}
