// Back-pressure end to end (issue 18): `nbg ssh -- head -c 256M /dev/zero` into a reader that
// pauses 6 s before reading. A slow reader must slow the SSH channel window, not grow nbg's
// memory. Reports nbg's peak RSS (VmHWM from /proc), target < 150 MiB; every byte must arrive.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSshd } from '../support/sshd';

const PIN = '482916';
const BYTES = 256 * 1024 * 1024;
const READER_PAUSE_MS = 6000;
const TARGET_MIB = 150;
const root = path.resolve(import.meta.dirname, '../..');
// The bundle operators run (built here), not tsx: its memory is the figure that matters.
const NBG = path.join(root, 'dist/cli/nbg.cjs');
const { buildAll } = (await import(path.join(root, 'electron/build/build.mjs'))) as { buildAll(): Promise<void> };
await buildAll();

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-bp-'));
const keyDir = path.join(dir, 'ssh');
const env = { ...process.env, NBG_SIMULATOR: path.join(dir, 'sim.json'), NBG_HOME: path.join(dir, 'home') };
const nbgSync = (args: string[], input = ''): string =>
  execFileSync(process.execPath, [NBG, ...args], { env, input, encoding: 'utf8', stdio: 'pipe' });
nbgSync(['keys', 'set-pin', '--pin-stdin'], `${PIN}\n`);
nbgSync(['keys', 'enroll', '--dir', keyDir, '--pin-stdin'], `${PIN}\n`);
const device = await startSshd({ authorizedKeys: [readFileSync(path.join(keyDir, 'id_ed25519_sk.pub'), 'utf8')], listen: '127.0.0.15' });
const knownHosts = path.join(dir, 'known_hosts');
writeFileSync(knownHosts, `[${device.host}]:${device.port} ${device.hostKeyPub}\n`);

function vmHwmMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

try {
  const started = Date.now();
  const child = spawn(process.execPath, [NBG, 'ssh', '--dir', keyDir, '--pin-stdin', '--known-hosts', knownHosts,
    `${device.user}@${device.host}:${device.port}`, '--', 'head', '-c', String(BYTES), '/dev/zero'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end(`${PIN}\n`);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, vmHwmMiB(child.pid!)); }, 50);
  // The reader: reads nothing for 6 s, then drains.
  child.stdout.pause();
  let received = 0;
  setTimeout(() => {
    child.stdout.on('data', (d: Buffer) => { received += d.length; peak = Math.max(peak, vmHwmMiB(child.pid!)); });
    child.stdout.resume();
  }, READER_PAUSE_MS);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 200));
  const seconds = (Date.now() - started) / 1000;
  console.log(`backpressure: ${received} of ${BYTES} bytes in ${seconds.toFixed(1)} s (reader paused ${READER_PAUSE_MS / 1000} s), exit ${code}`);
  console.log(`backpressure: nbg peak RSS ${peak.toFixed(1)} MiB (target < ${TARGET_MIB} MiB)`);
  if (code !== 0 || received !== BYTES) throw new Error(`transfer incomplete: ${stderr}`);
  if (peak >= TARGET_MIB) throw new Error(`peak RSS ${peak.toFixed(1)} MiB is over ${TARGET_MIB} MiB`);
} finally {
  await device.stop();
  rmSync(dir, { recursive: true, force: true });
}
