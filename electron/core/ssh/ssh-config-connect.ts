// From an ssh_config route (ssh-config-route.ts) to what the session layer dials, for `nbg ssh`
// and the app alike: each hop's address, HostKeyAlias, algorithms and IdentityAgent; the host-key
// policy StrictHostKeyChecking asks for; and what the config asks for that a connect will not do,
// each named once in words.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isNodeError } from '../../../native/errors';
import type { HostKeyPolicy } from './known-hosts-verify';
import type { StrictHostKeyChecking } from './ssh-config';
import type { ConfigHop, ConfigRoute } from './ssh-config-route';
import type { Hop, HopAuth } from './sessions/types';

const SK_KEY_TYPE = /^sk-/;

/** The session layer's hop: the resolved address, user, HostKeyAlias and algorithms. */
export function sessionHop(h: ConfigHop): Hop {
  return {
    user: h.user, host: h.host, port: h.port, name: h.name ?? h.alias,
    ...(h.hostKeyAlias !== undefined ? { hostKeyAlias: h.hostKeyAlias } : {}),
    ...(h.algorithms ? { algorithms: h.algorithms } : {}),
  };
}

/** IdentityAgent as a socket path: `none` signs with the security key; SSH_AUTH_SOCK and $VAR read the environment. */
export function agentSocket(value: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (value === undefined || value === 'none') return undefined;
  if (value === 'SSH_AUTH_SOCK') return env.SSH_AUTH_SOCK;
  if (value.startsWith('$')) return env[value.slice(1)];
  return value;
}

/** How a hop signs in by its IdentityAgent: through that agent, else with the security key. */
export function configHopAuth(hop: ConfigHop, env: NodeJS.ProcessEnv): HopAuth {
  const socket = agentSocket(hop.options.identityAgent, env);
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

/** An IdentityFile that is one of the security-key files the connect signs with (in the key folder, an sk- public half). */
export function isOwnSkKeyFile(file: string, keyDir: string): boolean {
  return path.resolve(path.dirname(file)) === path.resolve(keyDir) && SK_KEY_TYPE.test(publicKeyType(file) ?? '');
}

/**
 * What the config asks for that this connect will not do, each named once: unknown keywords, Match
 * criteria, algorithms ssh2 lacks, StrictHostKeyChecking no (a changed key is still refused),
 * CertificateFile, and IdentityFile entries that are not security-key files in the key folder
 * (the security key's own key signs instead).
 */
export function configWarnings(route: ConfigRoute, keyDir: string): string[] {
  const notes = new Set(route.unsupported);
  for (const hop of [...route.chain, route.target]) {
    const o = hop.options;
    if (o.strictHostKeyChecking === 'no') notes.add('StrictHostKeyChecking no (treated as accept-new: a changed host key is always refused)');
    if (o.certificateFile.length) notes.add('CertificateFile (user certificates are not offered)');
    for (const f of o.identityFile.filter((x) => x !== 'none')) {
      if (!isOwnSkKeyFile(f, keyDir)) notes.add(`IdentityFile ${f} (not a security-key file in ${keyDir}: the security key's own key signs instead)`);
    }
  }
  return [...notes];
}
