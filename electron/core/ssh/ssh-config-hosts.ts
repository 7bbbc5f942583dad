// The concrete `Host` aliases of the ssh_config files (Includes too): names an operator can pick
// as a device or a jump host. Patterns (`*`, `?`, `[`), negations (`!x`) and `Match` blocks name no
// one host, so they are left out, and so is a name with characters no host name has (it would reach
// the screen as it is); what each alias resolves to is ssh-config-route.ts's question.
import { SshConfigAlias } from '../../shared/settings';
import { readConfigLines } from './ssh-config-read';
import type { SshConfigFile } from './ssh-config';

const PATTERN_CHARS = /[*?[\]!]/;

export interface ConfigAliases {
  /** In the order the files name them, each once. */
  aliases: string[];
  /** Every file read, Includes too. */
  files: string[];
}

export function configAliases(files: SshConfigFile[], home: string): ConfigAliases {
  const aliases = new Set<string>();
  const read: string[] = [];
  for (const f of files) {
    const r = readConfigLines(f.file, { includeBase: f.includeBase, home });
    read.push(...r.files);
    for (const line of r.lines) {
      if (line.keyword !== 'host') continue;
      for (const name of line.args) if (!PATTERN_CHARS.test(name) && SshConfigAlias.safeParse(name).success) aliases.add(name);
    }
  }
  return { aliases: [...aliases], files: read };
}
