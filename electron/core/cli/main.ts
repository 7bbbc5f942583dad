// `nbg`: the command line over the same core as the desktop app.
import { parseArgs } from 'node:util';
import { NbgError } from '../../../native/errors';
import { ExitCode, UsageError, type CliIo, type CommandSpec } from './command';
import { commands } from './commands/index';

function usageText(list: CommandSpec[]): string {
  const lines = list.map((c) => `  nbg ${c.usage.padEnd(58)} ${c.summary}`);
  return `Nexus Break-Glass command line\n\nUsage:\n${lines.join('\n')}\n\nRun 'nbg <command> --help' for details.\n`;
}

function findCommand(argv: string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: { spec: CommandSpec; rest: string[] } | undefined;
  for (const spec of commands) {
    const n = spec.path.length;
    if (argv.length >= n && spec.path.every((w, i) => argv[i] === w) && (!best || n > best.spec.path.length)) {
      best = { spec, rest: argv.slice(n) };
    }
  }
  return best;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(usageText(commands));
    return argv.length === 0 ? ExitCode.Usage : ExitCode.Ok;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr.write(`nbg: unknown command '${argv.join(' ')}'; run 'nbg --help'\n`);
    return ExitCode.Usage;
  }
  const { spec, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: nbg ${spec.usage}\n${spec.summary}\n`);
    return ExitCode.Ok;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: spec.options ?? {},
      allowPositionals: spec.positionals ?? false,
      strict: true,
    });
    return await spec.run({ values, positionals, io });
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`nbg: ${(err as Error).message}\nUsage: nbg ${spec.usage}\n`);
      return ExitCode.Usage;
    }
    const message = err instanceof NbgError ? err.message : `unexpected error: ${(err as Error).message}`;
    io.stderr.write(`nbg: ${message.split('\n')[0]}\n`);
    if (io.env.NBG_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return ExitCode.Failed;
  }
}

const isEntry = process.argv[1] && /(^|[\\/])(main\.ts|nbg(\.c?js)?)$/.test(process.argv[1]);
if (isEntry) {
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env })
    .then((code) => { process.exitCode = code; });
}
