// An Arista EOS-like CLI: modes (exec `>`, privileged `#`, `(config)#`, `(config-if-X)#`), unique
// prefix abbreviations (`sh ver`, `conf t`), `?` help, and EOS's error lines. Readers may look;
// only writers may enter configuration mode, as with the Nexus Reader/Writer roles.
import { showInterfacesStatus, showIpBgpSummary, showRunningConfig, showVersion, type DeviceState } from './eos-show';

export type DrillRole = 'reader' | 'writer';

type Mode = { kind: 'exec' } | { kind: 'enable' } | { kind: 'config' } | { kind: 'config-if'; iface: string };

export const EosError = {
  Invalid: '% Invalid input',
  Incomplete: '% Incomplete command',
  Ambiguous: '% Ambiguous command',
  PrivilegeRequired: '% Invalid input (privileged mode required)',
  AuthorizationDenied: '% Authorization denied',
} as const;

interface Ctx {
  shell: EosShell;
  args: string[];
}

interface CommandNode {
  word: string;
  help: string;
  children?: CommandNode[];
  /** 'rest': free text follows; 'one': exactly one argument. */
  args?: 'rest' | 'one';
  run?: (ctx: Ctx) => string;
}

export interface ShellResult {
  output: string;
  /** The session should end (exit/logout at the top level). */
  exit: boolean;
  error: boolean;
}

/** What the line discipline (EosTerminal) drives: the EOS-like CLI, or a bare metal machine's shell. */
export interface LineShell {
  readonly prompt: string;
  run(line: string): ShellResult;
  /** What `?` after a partial line shows. */
  help(partial: string): string;
}

const MAX_LINE = 1024;

const show: CommandNode = {
  word: 'show', help: 'Display details of switch operation', children: [
    { word: 'version', help: 'Software and hardware versions', run: ({ shell }) => showVersion(shell.device) },
    { word: 'running-config', help: 'Operating configuration', run: ({ shell }) => showRunningConfig(shell.device) },
    { word: 'interfaces', help: 'Details related to interfaces', children: [
      { word: 'status', help: 'Details on the status of interfaces', run: ({ shell }) => showInterfacesStatus(shell.device) },
    ] },
    { word: 'ip', help: 'Details related to IPv4', children: [
      { word: 'bgp', help: 'BGP information', children: [
        { word: 'summary', help: 'Summarized BGP information', run: ({ shell }) => showIpBgpSummary(shell.device) },
      ] },
    ] },
    { word: 'hostname', help: 'Show the system hostname', run: ({ shell }) => `Hostname: ${shell.device.hostname}\n` },
  ],
};

const terminal: CommandNode = {
  word: 'terminal', help: 'Configure the terminal', children: [
    { word: 'length', help: 'Set number of lines on a screen', args: 'one', run: () => '' },
  ],
};

const exitNode: CommandNode = { word: 'exit', help: 'Leave the current mode', run: ({ shell }) => shell.leave() };

const EXEC: CommandNode[] = [
  { word: 'enable', help: 'Turn on privileged commands', run: ({ shell }) => shell.setMode({ kind: 'enable' }) },
  { word: 'configure', help: 'Enter configuration mode', children: [
    { word: 'terminal', help: 'Configure from the terminal', run: ({ shell }) => shell.configure('configure terminal') },
  ], run: ({ shell }) => shell.configure('configure') },
  show, terminal, exitNode,
  { word: 'logout', help: 'Exit from the EXEC', run: ({ shell }) => shell.logout() },
  { word: 'disable', help: 'Turn off privileged commands', run: ({ shell }) => shell.setMode({ kind: 'exec' }) },
];

const CONFIG: CommandNode[] = [
  { word: 'hostname', help: 'Configure the system hostname', args: 'one', run: ({ shell, args }) => shell.setHostname(args[0]!) },
  { word: 'interface', help: 'Interface Configuration', args: 'one', run: ({ shell, args }) => shell.enterInterface(args[0]!) },
  { word: 'end', help: 'Exit to privileged EXEC mode', run: ({ shell }) => shell.setMode({ kind: 'enable' }) },
  show, exitNode,
];

const CONFIG_IF: CommandNode[] = [
  { word: 'description', help: 'Description string to associate with the interface', args: 'rest', run: ({ shell, args }) => shell.setInterface({ description: args.join(' ') }) },
  { word: 'shutdown', help: 'Disable the interface', run: ({ shell }) => shell.setInterface({ shutdown: true }) },
  { word: 'no', help: 'Disable the command that follows', children: [
    { word: 'shutdown', help: 'Enable the interface', run: ({ shell }) => shell.setInterface({ shutdown: false }) },
  ] },
  { word: 'end', help: 'Exit to privileged EXEC mode', run: ({ shell }) => shell.setMode({ kind: 'enable' }) },
  show, exitNode,
];

/** Command interpreter for one session; the line discipline is in EosTerminal. */
export class EosShell {
  private mode: Mode = { kind: 'exec' };
  private ended = false;

  constructor(readonly device: DeviceState, readonly user: { name: string; role: DrillRole }) {}

  get prompt(): string {
    const h = this.device.hostname;
    switch (this.mode.kind) {
      case 'exec': return `${h}>`;
      case 'enable': return `${h}#`;
      case 'config': return `${h}(config)#`;
      case 'config-if': return `${h}(config-if-${this.mode.iface})#`;
    }
  }

  get modeKind(): Mode['kind'] {
    return this.mode.kind;
  }

  run(line: string): ShellResult {
    this.ended = false;
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0 || tokens[0]!.startsWith('!')) return { output: '', exit: false, error: false };
    const resolved = resolve(this.commands(), tokens);
    if (typeof resolved === 'string') return { output: `${resolved}\n`, exit: false, error: true };
    const output = resolved.node.run!({ shell: this, args: resolved.args });
    return { output, exit: this.ended, error: output.startsWith('%') };
  }

  /** `?` after a partial line: the words that could come next, EOS style. */
  help(partial: string): string {
    const endsWithSpace = partial === '' || /\s$/.test(partial);
    const tokens = partial.trim().split(/\s+/).filter(Boolean);
    const prefix = endsWithSpace ? '' : (tokens.pop() ?? '');
    let nodes: CommandNode[] = this.commands();
    for (const t of tokens) {
      const r = resolve(nodes, [t], true);
      if (typeof r === 'string') return `${r}\n`;
      if (r.node.args) return r.node.args === 'rest' ? '  LINE  Text\n' : '  WORD  Value\n';
      nodes = r.node.children ?? [];
    }
    const matches = nodes.filter((n) => n.word.startsWith(prefix.toLowerCase())).sort((a, b) => a.word.localeCompare(b.word));
    if (matches.length === 0) return `${EosError.Invalid}\n`;
    const width = Math.max(...matches.map((n) => n.word.length)) + 2;
    return `${matches.map((n) => `  ${n.word.padEnd(width)}${n.help}`).join('\n')}\n`;
  }

  setMode(mode: Mode): string {
    this.mode = mode;
    return '';
  }

  configure(command: string): string {
    if (this.mode.kind === 'exec') return `${EosError.PrivilegeRequired}\n`;
    if (this.user.role !== 'writer') return `${EosError.AuthorizationDenied} for command '${command}'\n`;
    return this.setMode({ kind: 'config' });
  }

  leave(): string {
    if (this.mode.kind === 'config-if') return this.setMode({ kind: 'config' });
    if (this.mode.kind === 'config') return this.setMode({ kind: 'enable' });
    return this.logout();
  }

  logout(): string {
    this.ended = true;
    return '';
  }

  setHostname(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(name)) return `${EosError.Invalid}\n`;
    this.device.hostname = name;
    return '';
  }

  enterInterface(name: string): string {
    const m = /^(?:e|et|eth|ethernet)(\d+\/\d+)$/i.exec(name);
    const iface = m ? `Et${m[1]}` : undefined;
    if (!iface || !this.device.profile.interfaces.some((i) => i.name === iface)) return `${EosError.Invalid}\n`;
    return this.setMode({ kind: 'config-if', iface });
  }

  setInterface(change: { description?: string; shutdown?: boolean }): string {
    if (this.mode.kind !== 'config-if') return `${EosError.Invalid}\n`;
    const cur = this.device.interfaceConfig.get(this.mode.iface) ?? {};
    this.device.interfaceConfig.set(this.mode.iface, { ...cur, ...change });
    return '';
  }

  private commands(): CommandNode[] {
    if (this.mode.kind === 'config') return CONFIG;
    if (this.mode.kind === 'config-if') return CONFIG_IF;
    return EXEC;
  }
}

/** Walks the tree with unique-prefix matching; returns an EOS error line when it cannot. */
function resolve(nodes: CommandNode[], tokens: string[], partialOk = false): { node: CommandNode; args: string[] } | string {
  let level = nodes;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!.toLowerCase();
    const exact = level.find((n) => n.word === tok);
    const candidates = exact ? [exact] : level.filter((n) => n.word.startsWith(tok));
    if (candidates.length === 0) return EosError.Invalid;
    if (candidates.length > 1) return EosError.Ambiguous;
    const node = candidates[0]!;
    const rest = tokens.slice(i + 1);
    if (node.args) {
      if (partialOk) return { node, args: rest };
      if (rest.length === 0) return EosError.Incomplete;
      if (node.args === 'one' && rest.length > 1) return EosError.Invalid;
      return { node, args: tokens.slice(i + 1) };
    }
    if (rest.length === 0 || !node.children) {
      if (rest.length > 0) return EosError.Invalid;
      if (partialOk) return { node, args: [] };
      return node.run ? { node, args: [] } : EosError.Incomplete;
    }
    level = node.children;
  }
  return EosError.Incomplete;
}

/**
 * The interactive side: echo, backspace, Ctrl-C/Ctrl-U, `?` help, CR/LF, and escape sequences
 * (arrow keys) ignored. Output uses CRLF as a PTY would.
 */
export class EosTerminal {
  private line = '';
  private escape: 'none' | 'esc' | 'csi' = 'none';
  private lastWasCr = false;
  private closed = false;

  constructor(private readonly shell: LineShell, private readonly write: (text: string) => void, private readonly onExit: (code: number) => void, private readonly onCommand?: (line: string, result: ShellResult) => void) {}

  start(banner: string): void {
    this.out(`${banner}${this.shell.prompt}`);
  }

  feed(data: Buffer | string): void {
    for (const ch of typeof data === 'string' ? data : data.toString('utf8')) {
      if (this.closed) return;
      this.char(ch);
    }
  }

  private char(ch: string): void {
    const code = ch.codePointAt(0)!;
    if (this.escape === 'esc') {
      this.escape = ch === '[' ? 'csi' : 'none';
      return;
    }
    if (this.escape === 'csi') {
      if (code >= 0x40 && code <= 0x7e) this.escape = 'none';
      return;
    }
    const wasCr = this.lastWasCr;
    this.lastWasCr = ch === '\r';
    if (ch === '\n' && wasCr) return;
    if (ch === '\r' || ch === '\n') return this.enter();
    if (code === 0x1b) this.escape = 'esc';
    else if (code === 0x7f || code === 0x08) {
      if (this.line) {
        this.line = this.line.slice(0, -1);
        this.write('\b \b');
      }
    } else if (code === 0x03) {
      this.line = '';
      this.out(`^C\n${this.shell.prompt}`);
    } else if (code === 0x15) {
      this.write('\b \b'.repeat(this.line.length));
      this.line = '';
    } else if (ch === '?') {
      this.out(`?\n${this.shell.help(this.line)}${this.shell.prompt}${this.line}`);
    } else if (code >= 0x20 && ch !== '\t' && this.line.length < MAX_LINE) {
      this.line += ch;
      this.write(ch);
    }
  }

  private enter(): void {
    const line = this.line;
    this.line = '';
    const result = this.shell.run(line);
    this.onCommand?.(line, result);
    this.out(`\n${result.output}`);
    if (result.exit) {
      this.closed = true;
      this.onExit(0);
      return;
    }
    this.out(this.shell.prompt);
  }

  private out(text: string): void {
    this.write(text.replace(/\r?\n/g, '\r\n'));
  }
}
