// Whole `nbg` processes (the built dist/cli/nbg.cjs, as installed) against their baselines, run
// interleaved in one go, median of N:
//  - `nbg --help` and `nbg keys list` against `node -e 0`: what the CLI adds to starting Node;
//  - `nbg ssh -J jump device -- true` against stock `ssh -J jump device true`: a whole break-glass
//    command through one jump. Both sign through the same `nbg agent` (simulated key, PIN given
//    per signature) and read the same prepared known_hosts; OpenSSH once with its default key
//    exchange (post-quantum, which ssh2 lacks) and once held to curve25519-sha256 (ours);
//  - `nbg ssh --connect-timeout 3` through a jump that sends its banner and then stalls: how long
//    the whole failing command takes (node start included) against 2x the timeout.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { interleaved, median, timeProcess, type Command } from '../support/bench';
import { startNbgAgent } from '../support/nbg-agent';
import { writeSshConfig } from '../support/ssh-client';
import { bannerThenStall } from '../support/sessions-sshd';
import { startSshd, type Sshd } from '../support/sshd';

const RUNS = Number(process.env.NBG_BENCH_RUNS ?? 20);
const SSH_RUNS = Number(process.env.NBG_BENCH_SSH_RUNS ?? 10);
const STALL_RUNS = Number(process.env.NBG_BENCH_STALL_RUNS ?? 3);
const CONNECT_TIMEOUT_S = 3;
/** nbg's exit code for a connect that failed (ExitCode.Failed). */
const EXIT_FAILED = 1;
const PIN = '482916';
/** The device account: /bin/sh, home /, so no dotfiles of this machine run for `true`. */
const DEVICE_USER = 'nbgbench';

const root = path.resolve(import.meta.dirname, '../..');
const NBG = path.join(root, 'dist/cli/nbg.cjs');
const node = (args: string[], env?: NodeJS.ProcessEnv): Command => ({ file: process.execPath, args, ...(env ? { env } : {}) });

const started = Date.now();
const { buildAll } = (await import(path.join(root, 'electron/build/build.mjs'))) as { buildAll(): Promise<void> };
await buildAll();
console.log(`built dist/ in ${Date.now() - started} ms`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-cli-'));
const keyDir = path.join(dir, 'ssh');
const env = { ...process.env, NBG_SIMULATOR: path.join(dir, 'sim.json'), NBG_HOME: path.join(dir, 'home') };
const nbgSync = (args: string[], input = ''): string => execFileSync(process.execPath, [NBG, ...args], { env, input, encoding: 'utf8', stdio: 'pipe' });
nbgSync(['keys', 'set-pin', '--pin-stdin'], `${PIN}\n`);
nbgSync(['keys', 'enroll', '--dir', keyDir, '--pin-stdin'], `${PIN}\n`);
const publicKeyLine = readFileSync(path.join(keyDir, 'id_ed25519_sk.pub'), 'utf8');

const sshds: Sshd[] = [];
const agent = await startNbgAgent({ nbg: [NBG], socket: path.join(dir, 'agent.sock'), pin: PIN, env, extraArgs: ['--dir', keyDir] });
try {
  const quiet = ['PrintMotd no', 'PrintLastLog no', 'MaxStartups 100'];
  const jump = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.2', extraConfig: quiet });
  sshds.push(jump);
  const device = await startSshd({ authorizedKeys: [publicKeyLine], verifyRequired: true, listen: '127.0.0.13', keyUser: DEVICE_USER, extraConfig: quiet });
  sshds.push(device);

  // One known_hosts for both clients, holding both host keys: neither asks nor learns anything.
  const sshWork = path.join(dir, 'openssh');
  mkdirSync(sshWork);
  const knownHosts = path.join(sshWork, 'known_hosts');
  writeFileSync(knownHosts, sshds.map((s) => `[${s.host}]:${s.port} ${s.hostKeyPub}\n`).join(''));
  const sshConfig = await writeSshConfig(sshWork, agent.socket);
  const jumpArg = `${jump.user}@${jump.host}:${jump.port}`;
  const sshEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', SSH_AUTH_SOCK: agent.socket };
  const stockSsh = (extra: string[]): Command =>
    ({ file: '/usr/bin/ssh', args: ['-F', sshConfig, ...extra, '-J', jumpArg, '-p', String(device.port), `${device.user}@${device.host}`, 'true'], env: sshEnv });

  const nodeBare = node(['-e', '0']);
  const help = node([NBG, '--help'], env);
  const keysList = node([NBG, 'keys', 'list', '--dir', keyDir], env);
  const oursSsh = node([NBG, 'ssh', '--agent', agent.socket, '--known-hosts', knownHosts, '-J', jumpArg, `${device.user}@${device.host}:${device.port}`, '--', 'true'], env);
  const sshDefault = stockSsh([]);
  const sshCurve = stockSsh(['-o', 'KexAlgorithms=curve25519-sha256']);

  // Warm-up: file cache, both sshds' first logins.
  for (const c of [nodeBare, help, keysList, oursSsh, sshDefault, sshCurve]) await timeProcess(c);
  const signaturesBefore = agent.signatures();

  const [tNode, tHelp, tList] = await interleaved([nodeBare, help, keysList], RUNS);
  const [tOurs, tDefault, tCurve] = await interleaved([oursSsh, sshDefault, sshCurve], SSH_RUNS);
  const stall = await bannerThenStall('127.0.0.2');
  const stalledJump: Command = {
    ...node([NBG, 'ssh', '--connect-timeout', String(CONNECT_TIMEOUT_S), '--agent', agent.socket, '--known-hosts', knownHosts,
      '-J', `${jump.user}@127.0.0.2:${stall.port}`, `${device.user}@${device.host}:${device.port}`, '--', 'true'], env),
    exitCode: EXIT_FAILED,
  };
  const [tStall] = await interleaved([stalledJump], STALL_RUNS).finally(() => stall.stop());
  const signatures = agent.signatures() - signaturesBefore;
  if (signatures !== 2 * 3 * SSH_RUNS) throw new Error(`expected ${2 * 3 * SSH_RUNS} signatures (jump + device per login), saw ${signatures}`);

  const row = (name: string, ours: number[], base: number[], baseName: string, target: string): void => {
    const [a, b] = [median(ours), median(base)];
    console.log(`${name.padEnd(34)} ${a.toFixed(1).padStart(7)} ms   ${baseName.padEnd(34)} ${b.toFixed(1).padStart(7)} ms   ratio ${(a / b).toFixed(2)} (${target})`);
  };
  console.log(`cli: whole processes, node ${process.version}, medians; startup rows ${RUNS} runs, ssh rows ${SSH_RUNS} runs, interleaved`);
  row('node dist/cli/nbg.cjs --help', tHelp!, tNode!, 'node -e 0', 'target <= 2');
  row('node dist/cli/nbg.cjs keys list', tList!, tNode!, 'node -e 0', 'target <= 2');
  console.log(`ssh rows: 1 jump (${jump.host}) to ${device.host}, verify-required, both signing through nbg agent (simulated key, PIN + touch per signature)`);
  row('nbg ssh -J jump device -- true', tOurs!, tDefault!, 'ssh -J jump device true', 'target <= 0.8');
  row('nbg ssh -J jump device -- true', tOurs!, tCurve!, 'ssh -J ... (curve25519-sha256)', 'same key exchange as ours: what the client code costs');
  console.log(`${`nbg ssh --connect-timeout ${CONNECT_TIMEOUT_S}, jump stalls`.padEnd(34)} ${median(tStall!).toFixed(1).padStart(7)} ms   `
    + `whole failing command, node start included, median of ${STALL_RUNS} (target < ${2 * CONNECT_TIMEOUT_S * 1000} ms; was ~180000 ms)`);
} finally {
  await agent.stop();
  await Promise.all(sshds.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
}
