// Runs `nbg` in-process (fast) or as a child process (for long-running commands such as the
// agent), with its own environment and stdin, capturing what it prints.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../electron/core/cli/main';

export const NBG_MAIN = path.resolve(import.meta.dirname, '../../electron/core/cli/main.ts');

export interface NbgResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function nbg(args: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string } = {}): Promise<NbgResult> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  stdin.end(opts.stdin ?? '');
  const code = await runCli(args, { stdin, stdout, stderr, env: { ...process.env, ...opts.env } });
  return { code, stdout: out, stderr: err };
}

/** A child `nbg` process (node + tsx); the caller kills it. */
export function spawnNbg(args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', NBG_MAIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
}
