import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Nexus Break-Glass';

/** The app's per-user data folder (settings, audit log, recordings, caches); NBG_HOME overrides. */
export function appHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.NBG_HOME) return path.resolve(env.NBG_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}

/** Where OpenSSH keeps keys and known_hosts for this user. */
export function sshDir(): string {
  return path.join(os.homedir(), '.ssh');
}
