// ssh_config as a source of hosts for the app: the files the settings point at (or the user's and
// the system's, as ssh reads them), their concrete Host aliases, and each alias resolved through
// the same resolver as `nbg ssh alias`. Files are read on every question, so an edit made while
// the app runs counts at the next connect.
import path from 'node:path';
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import { configAliases, type ConfigAliases } from './ssh-config-hosts';
import { defaultConfigFiles, explicitConfigFile, type SshConfigFile } from './ssh-config';
import { resolveConfigRoute, type ConfigRoute } from './ssh-config-route';

export class UnknownConfigAliasError extends NbgError {
  constructor(alias: string, files: string) {
    super(ErrorCode.SSH_CONFIG_ALIAS_UNKNOWN, `'${alias}' is not a Host alias in ${files}. Add a 'Host ${alias}' block there, or name another host.`);
  }
}

export interface SshConfigSourceDeps {
  /** The one file to read (a setting, as ssh -F); undefined: the user's and the system's. */
  configFile(): Promise<string | undefined>;
  /** The operator's home folder (~ in the files). */
  home: string;
  localUser: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

export class SshConfigSource {
  constructor(private readonly deps: SshConfigSourceDeps) {}

  async files(): Promise<SshConfigFile[]> {
    const file = await this.deps.configFile();
    return file !== undefined ? explicitConfigFile(file, this.deps.home) : defaultConfigFiles(this.deps.home, this.deps.platform, this.deps.env);
  }

  /** The files in operator words: "~/.ssh/config and /etc/ssh/ssh_config". */
  async filesText(): Promise<string> {
    const home = this.deps.home + path.sep;
    return (await this.files()).map((f) => (f.file.startsWith(home) ? `~${path.sep}${f.file.slice(home.length)}` : f.file)).join(' and ') || 'no ssh_config file';
  }

  async aliases(): Promise<ConfigAliases> {
    return configAliases(await this.files(), this.deps.home);
  }

  /**
   * `[user@]alias` resolved with its ProxyJump chain; refused when no Host line names the alias
   * (ssh would dial the name itself, which for a typo is a DNS lookup, not what was meant).
   */
  async route(alias: string, user?: string): Promise<ConfigRoute> {
    const files = await this.files();
    if (!configAliases(files, this.deps.home).aliases.includes(alias)) throw new UnknownConfigAliasError(alias, await this.filesText());
    return resolveConfigRoute(user !== undefined ? `${user}@${alias}` : alias, { files, home: this.deps.home, localUser: this.deps.localUser });
  }
}
