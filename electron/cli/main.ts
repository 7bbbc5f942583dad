// `nbg`: the command line over the same core as the desktop app.
import { parseArgs } from 'node:util';
import { NbgError, errorMessage } from '../../native/errors';
import { inertText } from '../shared/inert-text';
import { ELEVATED_CONTEXT_FLAG } from '../shared/elevation-flag';
import { CATALOGUE, loadCommand, type CatalogueEntry } from './catalogue';
import { ExitCode, UsageError, type CliIo } from './command';

/** An elevated console window waits this long for Enter, then closes by itself. */
const CLOSE_WINDOW_WAIT_MS = 10 * 60_000;

function usageText(list: readonly CatalogueEntry[]): string {
  const lines = list.map((c) => `  nbg ${c.usage.padEnd(58)} ${c.summary}`);
  return `Nexus Break-Glass command line\n\nUsage:\n${lines.join('\n')}\n\nRun 'nbg <command> --help' for details.\n`;
}

function findCommand(argv: string[]): { entry: CatalogueEntry; rest: string[] } | undefined {
  let best: { entry: CatalogueEntry; rest: string[] } | undefined;
  for (const entry of CATALOGUE) {
    const n = entry.path.length;
    if (argv.length >= n && entry.path.every((w, i) => argv[i] === w) && (!best || n > best.entry.path.length)) {
      best = { entry, rest: argv.slice(n) };
    }
  }
  return best;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === ELEVATED_CONTEXT_FLAG) return runElevatedCopy(argv.slice(1), io);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout.write(usageText(CATALOGUE));
    return argv.length === 0 ? ExitCode.Usage : ExitCode.Ok;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr.write(`nbg: unknown command '${argv.join(' ')}'; run 'nbg --help'\n`);
    return ExitCode.Usage;
  }
  const { entry, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: nbg ${entry.usage}\n${entry.summary}\n`);
    return ExitCode.Ok;
  }
  try {
    const spec = await loadCommand(entry);
    const { values, positionals } = parseArgs({
      args: rest,
      options: spec.options ?? {},
      allowPositionals: spec.positionals ?? false,
      strict: true,
    });
    return await spec.run({ values, positionals, io });
  } catch (err) {
    if (err instanceof UsageError || (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`nbg: ${inertText(errorMessage(err))}\nUsage: nbg ${entry.usage}\n`);
      return ExitCode.Usage;
    }
    const message = err instanceof NbgError ? err.message : `unexpected error: ${errorMessage(err)}`;
    // Errors carry what servers and Azure said: printed inert, first line only.
    io.stderr.write(`nbg: ${inertText(message.split('\n')[0] ?? '')}\n`);
    if (io.env.NBG_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return ExitCode.Failed;
  }
}

/**
 * The copy of a command that relaunchCommandElevated started through UAC: it gets neither the
 * operator's environment nor working directory (and may run as another Windows account), so it
 * takes both from the context, runs the command, and keeps its console open until the operator
 * has read the outcome.
 */
async function runElevatedCopy(argv: string[], io: CliIo): Promise<number> {
  const { applyElevatedContext, decodeElevatedContext } = await import('../shared/elevation');
  const [arg, ...command] = argv;
  const decoded = arg === undefined ? { ok: false as const, reason: 'the elevated context is missing' } : decodeElevatedContext(arg);
  if (!decoded.ok || command.length === 0 || command[0] === ELEVATED_CONTEXT_FLAG) {
    io.stderr.write(`nbg: ${decoded.ok ? 'an elevated context needs one command after it' : decoded.reason}\n`);
    return ExitCode.Usage;
  }
  const context = decoded.value;
  try {
    process.chdir(context.cwd);
  } catch (err) {
    io.stderr.write(`nbg: cannot work in ${inertText(context.cwd)}: ${inertText(errorMessage(err))}\n`);
    return ExitCode.Usage;
  }
  const env = { ...io.env };
  applyElevatedContext(env, context);
  const code = await runCli(command, { ...io, env });
  if (io.stdin.isTTY) {
    io.stderr.write(`\n${code === ExitCode.Ok ? 'This step succeeded.' : `This step did not succeed (exit code ${code}); see the message above.`}\n`);
    io.stderr.write('Press Enter to close this window.\n');
    await waitForEnter(io.stdin, CLOSE_WINDOW_WAIT_MS);
  }
  return code;
}

/** Resolves on the next line typed, at the end of input, or after `timeoutMs`. */
function waitForEnter(stdin: CliIo['stdin'], timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.off('end', done);
      stdin.pause();
      resolve();
    };
    const onData = (chunk: Buffer | string) => {
      if (/[\r\n]/.test(chunk.toString())) done();
    };
    const timer = setTimeout(done, timeoutMs);
    stdin.on('data', onData);
    stdin.once('end', done);
    stdin.resume();
  });
}

const isEntry = process.argv[1] && /(^|[\\/])(main\.ts|nbg(\.c?js)?)$/.test(process.argv[1]);
if (isEntry) {
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env })
    .then((code) => { process.exitCode = code; });
}
