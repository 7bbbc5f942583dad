// Runs `nbg` in-process (fast) or as a child process (for long-running commands such as the
// agent), with its own environment and stdin, capturing what it prints.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../electron/cli/command';
import { runCli } from '../../electron/cli/main';

export const NBG_MAIN = path.resolve(import.meta.dirname, '../../electron/cli/main.ts');

export interface NbgResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CapturedIo {
  io: CliIo;
  stdin: PassThrough & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  out(): string;
  err(): string;
}

/** Streams for one in-process command, collecting what it prints; `tty` makes stdin look like a terminal. */
export function captureIo(env: NodeJS.ProcessEnv, opts: { tty?: boolean } = {}): CapturedIo {
  const stdin: CapturedIo['stdin'] = new PassThrough();
  if (opts.tty) {
    stdin.isTTY = true;
    stdin.setRawMode = () => stdin;
  }
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  return { io: { stdin, stdout, stderr, env }, stdin, out: () => out, err: () => err };
}

export async function nbg(args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<NbgResult> {
  const c = captureIo({ ...process.env, ...opts.env });
  c.stdin.end(opts.stdin ?? '');
  const code = await runCli(args, c.io);
  return { code, stdout: c.out(), stderr: c.err() };
}

/** A child `nbg` process (node + tsx); the caller kills it. */
export function spawnNbg(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', NBG_MAIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
}
