// A private, real OS key store for tests: its own D-Bus session bus and an unlocked GNOME Keyring
// (the Secret Service that `secret-tool` talks to), in a temporary folder, stopped by the caller.
// Each test gets its own, so nothing reaches (or depends on) the machine's own keyring.
import { execFile, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestKeyring {
  /** Environment under which `secret-tool` reaches this keyring. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

const STEP_TIMEOUT_MS = 30_000;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { env, timeout: STEP_TIMEOUT_MS }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin?.end(input);
  });
}

export async function startTestKeyring(): Promise<TestKeyring> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-keyring-'));
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, XDG_RUNTIME_DIR: dir, XDG_DATA_HOME: path.join(dir, 'data') };
  await fs.mkdir(path.join(dir, 'data'), { mode: 0o700 });
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', `--address=unix:path=${path.join(dir, 'bus')}`], { env: base, stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    bus.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    bus.once('error', reject);
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)));
  });
  const env = { ...base, DBUS_SESSION_BUS_ADDRESS: address };
  // --unlock creates the login keyring with the password from stdin and leaves it unlocked.
  const out = await run('gnome-keyring-daemon', ['--unlock', '--components=secrets'], env, 'test-keyring-password');
  const pid = Number(/GNOME_KEYRING_PID=(\d+)/.exec(out)?.[1]);
  return {
    env,
    async stop() {
      if (pid > 0) {
        try { process.kill(pid); } catch { /* already gone */ }
      }
      bus.kill();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
