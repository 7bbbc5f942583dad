// The `nbg` bundle as `npm run build` makes it (electron/build/build.mjs buildCli: same entry,
// externals, banner and minification), built once per test process into .cache/ inside the repo
// (so its external packages resolve from node_modules) rather than into dist/, which parallel test
// files and a stale earlier build would share. Run as a child process, asynchronously, so fakes
// served by the test's own process keep answering.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
let built: Promise<string> | undefined;

export function builtNbg(): Promise<string> {
  built ??= (async () => {
    const dir = path.join(root, '.cache', 'nbg-under-test', `${process.pid}-${randomBytes(4).toString('hex')}`);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const { buildCli } = (await import(path.join(root, 'electron/build/build.mjs'))) as { buildCli(outfile: string): Promise<void> };
    const file = path.join(dir, 'nbg.cjs');
    await buildCli(file);
    return file;
  })();
  return built;
}

export interface BuiltRun { code: number; stdout: string; stderr: string }

export async function runBuiltNbg(args: string[], opts: { env: NodeJS.ProcessEnv; input?: string }): Promise<BuiltRun> {
  const file = await builtNbg();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { env: opts.env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
