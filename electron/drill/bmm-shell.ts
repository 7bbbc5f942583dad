// The drill's bare metal machine: a Linux login shell as an operator meets it on a Nexus BMM (the
// keyset user, the machine's host name in the prompt), with a handful of read-only commands.
import type { LineShell, ShellResult } from './eos-shell';

const COMMANDS: Record<string, string> = {
  hostname: 'Show the machine host name',
  whoami: 'Show the login name',
  id: 'Show the user and groups',
  uptime: 'Show how long the machine has been up',
  'uname -a': 'Show the kernel',
  exit: 'Log out',
};

export class BmmShell implements LineShell {
  constructor(private readonly machineName: string, private readonly user: string) {}

  get prompt(): string {
    return `${this.user}@${this.machineName}:~$ `;
  }

  run(line: string): ShellResult {
    const command = line.trim().replace(/\s+/g, ' ');
    const ok = (output: string): ShellResult => ({ output, exit: false, error: false });
    switch (command) {
      case '': return ok('');
      case 'hostname': return ok(`${this.machineName}\n`);
      case 'whoami': return ok(`${this.user}\n`);
      case 'id': return ok(`uid=2001(${this.user}) gid=2001(${this.user}) groups=2001(${this.user}),2000(nexus-standard)\n`);
      case 'uptime': return ok(' 03:12:44 up 41 days,  2:07,  1 user,  load average: 0.42, 0.39, 0.35\n');
      case 'uname -a': return ok(`Linux ${this.machineName} 5.15.0-nexus #1 SMP x86_64 GNU/Linux\n`);
      case 'exit': case 'logout': return { output: 'logout\n', exit: true, error: false };
      default: return { output: `-bash: ${command.split(' ')[0]}: command not found\n`, exit: false, error: true };
    }
  }

  help(): string {
    return `${Object.entries(COMMANDS).map(([c, h]) => `  ${c.padEnd(10)}${h}`).join('\n')}\n`;
  }
}
