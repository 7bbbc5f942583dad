// ssh_config(5) syntax: one `Keyword [=] arguments` per line, keywords case-insensitive, `#`
// comments, double-quoted arguments, and `Include` of files by path or glob (relative paths are
// under ~/.ssh for the user's files, /etc/ssh for the system file). Reading only: which lines
// apply to a host is ssh-config.ts's question.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { NbgError, isNodeError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';
import { patternListMatches } from './known-hosts';

/** OpenSSH's READCONF_MAX_DEPTH. */
const MAX_INCLUDE_DEPTH = 16;

export class SshConfigError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.SSH_CONFIG_INVALID, message);
  }
}

export interface ConfigLine {
  /** Lower-cased keyword. */
  keyword: string;
  /** The keyword as written, for messages. */
  name: string;
  args: string[];
  /** "file:line" for messages. */
  source: string;
}

/** Splits one line into keyword and arguments (OpenSSH's argv_split: quotes group, `=` may follow the keyword). */
export function splitConfigLine(raw: string, source: string): ConfigLine | undefined {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  const m = /^([A-Za-z][A-Za-z0-9]*)(?:\s*=\s*|\s+|$)(.*)$/.exec(line);
  if (!m) throw new SshConfigError(`${source}: cannot read '${line.slice(0, 80)}'`);
  const args: string[] = [];
  let rest = m[2] ?? '';
  while ((rest = rest.trimStart()) !== '') {
    if (rest.startsWith('#')) break;
    if (rest.startsWith('"')) {
      const close = rest.indexOf('"', 1);
      if (close < 0) throw new SshConfigError(`${source}: unterminated quote`);
      args.push(rest.slice(1, close));
      rest = rest.slice(close + 1);
    } else {
      const word = /^\S+/.exec(rest)![0];
      args.push(word);
      rest = rest.slice(word.length);
    }
  }
  return { keyword: m[1]!.toLowerCase(), name: m[1]!, args, source };
}

export interface ConfigFileSet {
  /** Where relative Include paths are resolved: ~/.ssh for the user's files, /etc/ssh for the system's. */
  includeBase: string;
  home: string;
}

/** `~/x` and `~` as the home folder; anything else as written. */
export function tildeExpand(file: string, home: string): string {
  if (file === '~') return home;
  return file.startsWith('~/') ? path.join(home, file.slice(2)) : file;
}

/** The files an Include argument names, sorted as glob(3) sorts them; a glob may only be in the last part. */
function includeTargets(arg: string, set: ConfigFileSet, source: string): string[] {
  const expanded = tildeExpand(arg, set.home);
  const full = path.isAbsolute(expanded) ? expanded : path.join(set.includeBase, expanded);
  const dir = path.dirname(full);
  const base = path.basename(full);
  if (/[*?[]/.test(dir)) throw new SshConfigError(`${source}: Include ${arg}: wildcards are supported in the file name only`);
  if (!/[*?[]/.test(base)) return [full];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (isNodeError(err, 'ENOENT')) return [];
    throw err;
  }
  return names.filter((n) => !n.startsWith('.') && patternListMatches([base], n, { caseSensitive: true })).sort().map((n) => path.join(dir, n));
}

/** Brackets around an included file's lines: a Host or Match inside it ends at its end. */
export const INCLUDE_BEGIN = '(include-begin)';
export const INCLUDE_END = '(include-end)';

/**
 * The lines of `file` with every Include expanded in place between INCLUDE_BEGIN and INCLUDE_END.
 * A missing top file reads as empty (as ssh without ~/.ssh/config); a missing Include target is
 * skipped, as OpenSSH does.
 */
export function readConfigLines(file: string, set: ConfigFileSet, depth = 0): { lines: ConfigLine[]; files: string[] } {
  if (depth > MAX_INCLUDE_DEPTH) throw new SshConfigError(`${file}: Include nested deeper than ${MAX_INCLUDE_DEPTH} (a loop?)`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (isNodeError(err, 'ENOENT')) return { lines: [], files: [] };
    if (isNodeError(err, 'EISDIR')) throw new SshConfigError(`${file} is a folder, not an ssh_config file`);
    throw err;
  }
  const lines: ConfigLine[] = [];
  const files = [file];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = splitConfigLine(raw, `${file}:${i + 1}`);
    if (!line) return;
    if (line.keyword !== 'include') {
      lines.push(line);
      return;
    }
    if (line.args.length === 0) throw new SshConfigError(`${line.source}: Include needs a file`);
    for (const target of line.args.flatMap((a) => includeTargets(a, set, line.source))) {
      const inner = readConfigLines(target, set, depth + 1);
      lines.push({ keyword: INCLUDE_BEGIN, name: 'Include', args: [], source: line.source }, ...inner.lines, { keyword: INCLUDE_END, name: 'Include', args: [], source: line.source });
      files.push(...inner.files);
    }
  });
  return { lines, files };
}
