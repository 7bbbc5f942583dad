import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Nexus Break-Glass';

/**
 * The user's home folder as `env` says (USERPROFILE on Windows, HOME elsewhere, as os.homedir()
 * reads them), so an elevated copy given the operator's variables finds the operator's folders.
 */
export function homeDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return (platform === 'win32' ? env.USERPROFILE : env.HOME) || os.homedir();
}

/** The app's per-user data folder (settings, audit log, recordings, caches); NBG_HOME overrides. */
export function appHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.NBG_HOME) return path.resolve(env.NBG_HOME);
  const home = homeDir(env, platform);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** Where OpenSSH keeps keys and known_hosts for this user. */
export function sshDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return path.join(homeDir(env, platform), '.ssh');
}
