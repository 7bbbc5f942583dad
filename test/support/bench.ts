// Benchmark helpers: the median of a sample, and the wall time of one whole child process.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const PROCESS_TIMEOUT_MS = 60_000;

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface Command {
  file: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** The exit code that counts as the run it times (default 0; a failure timed on purpose sets its own). */
  exitCode?: number;
}

/** Milliseconds from spawn to exit of `command` (stdin closed, output drained); throws unless it exits as expected. */
export function timeProcess(command: Command): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command.file, command.args, { stdio: ['ignore', 'pipe', 'pipe'], env: command.env ?? process.env });
    let output = '';
    const keep = (d: Buffer): void => { output = (output + d.toString()).slice(-4096); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - t0;
      if (code === (command.exitCode ?? 0)) resolve(ms);
      else reject(new Error(`${command.file} ${command.args.join(' ')} exited ${code ?? signal}:\n${output}`));
    });
  });
}

/**
 * Runs every command `runs` times, interleaved (one of each per round, the starting one rotating
 * so no command always follows the same neighbour); returns each command's times in order.
 */
export async function interleaved(commands: Command[], runs: number): Promise<number[][]> {
  const times: number[][] = commands.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (round + k) % commands.length;
      times[i]!.push(await timeProcess(commands[i]!));
    }
  }
  return times;
}
