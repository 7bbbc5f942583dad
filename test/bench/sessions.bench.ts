// Break-glass sessions versus stock OpenSSH, same private sshds, same software sk key:
//  - connect-to-prompt through one jump (fresh jump connection each time), median of N;
//  - the second session over an already-open jump (ours: jump reuse; OpenSSH: ControlMaster on
//    the jump host only, so `ssh -J` multiplexes its -W channel over the master);
//  - 256 MiB of command output, first byte to last byte, through the jump.
// Ours signs in-process through SkAgent + the soft signer; OpenSSH signs through our AgentServer
// over the same soft signer (an agent socket round trip per signature is part of its cost).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AgentServer } from '../../electron/core/ssh/agent/server';
import { KnownHostsStore } from '../../electron/core/ssh/known-hosts-store';
import { SessionManager, type Hop, type Session, type Target } from '../../electron/core/ssh/sessions';
import { startSshd } from '../support/sshd';
import { SoftSk, SoftSkSigner } from '../support/soft-sk';
import { sessionInteraction } from '../integration/sessions/support';

const RUNS = Number(process.env.NBG_BENCH_RUNS ?? 20);
const BULK_BYTES = 256 * 1024 * 1024;
const BULK_RUNS = 3;
const PROMPT = /[#$] $/;
const STEP_TIMEOUT_MS = 30_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const key = new SoftSk();
const quiet = ['PrintMotd no', 'PrintLastLog no', 'MaxSessions 100', 'MaxStartups 100'];
const jump = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.2', extraConfig: quiet });
const device = await startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen: '127.0.0.13', extraConfig: quiet });
const signer = new SoftSkSigner([key]);
const agent = await AgentServer.start({ signer });
const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-sessions-'));

const interaction = sessionInteraction();
const hostKeys = { store: new KnownHostsStore({ readOnly: [], managed: path.join(dir, 'known_hosts_nbg') }), policy: 'accept-new' as const };
const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
const target: Target = { name: 'leaf-01', user: device.user, host: device.host, port: device.port };
const newManager = () => new SessionManager({ interaction, signer, hostKeys });

// OpenSSH: the multiplexing settings apply to the jump host only.
const cfg = path.join(dir, 'ssh_config');
const controlPath = path.join(dir, 'cm-%C');
writeFileSync(cfg, [
  `Host ${jump.host}`,
  '  ControlMaster auto', `  ControlPath ${controlPath}`, '  ControlPersist yes',
  'Host *',
  `  IdentityAgent ${agent.path}`, '  IdentityFile none', `  UserKnownHostsFile ${path.join(dir, 'known_hosts_ssh')}`,
  '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking accept-new', '  BatchMode yes', '  ControlMaster no', '',
].join('\n'));
const jumpArg = `${jump.user}@${jump.host}:${jump.port}`;
const deviceArgs = ['-p', String(device.port), `${device.user}@${device.host}`];

function waitFor(session: Session, test: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), STEP_TIMEOUT_MS);
    const check = (): void => {
      if (test()) {
        clearTimeout(timer);
        session.off('data', check);
        session.off('state', check);
        resolve();
      }
    };
    session.on('data', check);
    session.on('state', check);
    check();
  });
}

async function oursToPrompt(manager: SessionManager): Promise<{ ms: number; openMs: number; session: Session }> {
  const t0 = performance.now();
  const session = manager.open(target, chain);
  let seen = '';
  session.on('data', (d: Buffer) => { seen += d.toString('latin1'); });
  await session.connect();
  const openMs = performance.now() - t0;
  await waitFor(session, () => PROMPT.test(seen));
  return { ms: performance.now() - t0, openMs, session };
}

async function closeOurs(session: Session): Promise<void> {
  session.close();
  await waitFor(session, () => session.state.kind === 'closed');
}

function opensshToPrompt(extra: string[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/ssh', ['-F', cfg, '-tt', ...extra, '-J', jumpArg, ...deviceArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    let ms = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      if (!ms && PROMPT.test(seen)) {
        ms = performance.now() - t0;
        child.stdin.end('exit\n');
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (ms) resolve(ms);
      else reject(new Error(`ssh exited ${code} before a prompt: ${seen}`));
    });
  });
}

function runCommand(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/ssh', ['-F', cfg, ...args], { stdio: 'ignore' });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ssh ${args.join(' ')} exited ${code}`))));
  });
}

async function oursBulk(manager: SessionManager): Promise<number> {
  const session = manager.open(target, chain, { command: `head -c ${BULK_BYTES} /dev/zero` });
  let bytes = 0;
  let first = 0;
  session.on('data', (d: Buffer) => {
    if (!first) first = performance.now();
    bytes += d.length;
  });
  await session.connect();
  await waitFor(session, () => session.state.kind === 'closed');
  const seconds = (performance.now() - first) / 1000;
  if (bytes !== BULK_BYTES) throw new Error(`ours received ${bytes} bytes`);
  return BULK_BYTES / 1024 / 1024 / seconds;
}

function opensshBulk(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/ssh', ['-F', cfg, '-J', jumpArg, ...deviceArgs, `head -c ${BULK_BYTES} /dev/zero`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let first = 0;
    child.stdout.on('data', (d: Buffer) => {
      if (!first) first = performance.now();
      bytes += d.length;
    });
    child.on('close', (code) => {
      const seconds = (performance.now() - first) / 1000;
      if (code !== 0 || bytes !== BULK_BYTES) reject(new Error(`ssh exited ${code} after ${bytes} bytes`));
      else resolve(BULK_BYTES / 1024 / 1024 / seconds);
    });
  });
}

const row = (name: string, ours: number, theirs: number, unit: string, target: string): void => {
  console.log(`${name.padEnd(40)} ours ${ours.toFixed(1).padStart(8)} ${unit}   OpenSSH ${theirs.toFixed(1).padStart(8)} ${unit}   ratio ${(ours / theirs).toFixed(2)} (target ${target})`);
};

try {
  // Warm-up: host keys recorded on both sides, JIT warm.
  const warm = newManager();
  await closeOurs((await oursToPrompt(warm)).session);
  warm.closeAll();
  await opensshToPrompt(['-o', `ControlPath=none`]);

  const oursConnect: number[] = [];
  const oursOpen: number[] = [];
  const sshConnect: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const m = newManager();
    const { ms, openMs, session } = await oursToPrompt(m);
    oursConnect.push(ms);
    oursOpen.push(openMs);
    await closeOurs(session);
    m.closeAll();
    sshConnect.push(await opensshToPrompt(['-o', 'ControlPath=none']));
  }

  // Reused jump: ours keeps one session open; OpenSSH keeps a ControlMaster to the jump.
  const holder = newManager();
  const held = await oursToPrompt(holder);
  await runCommand(['-p', String(jump.port), `${jump.user}@${jump.host}`, 'true']); // starts the persistent master
  const oursReuse: number[] = [];
  const oursReuseOpen: number[] = [];
  const sshReuse: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { ms, openMs, session } = await oursToPrompt(holder);
    oursReuse.push(ms);
    oursReuseOpen.push(openMs);
    await closeOurs(session);
    sshReuse.push(await opensshToPrompt());
  }

  // Throughput runs alternate so background load hits both sides alike; median of BULK_RUNS.
  const oursRates: number[] = [];
  const sshRates: number[] = [];
  for (let i = 0; i < BULK_RUNS; i++) {
    oursRates.push(await oursBulk(holder));
    sshRates.push(await opensshBulk());
  }
  const oursMbps = median(oursRates);
  const sshMbps = median(sshRates);
  await closeOurs(held.session);
  holder.closeAll();

  console.log(`sessions: ${RUNS} runs each; jump ${jump.host}, device ${device.host}, verify-required, soft sk key`);
  row('connect to prompt via 1 jump (median)', median(oursConnect), median(sshConnect), 'ms  ', '<= 0.8');
  row('2nd session, reused jump (median)', median(oursReuse), median(sshReuse), 'ms  ', '<= 0.5');
  row(`256 MiB output via jump (median of ${BULK_RUNS})`, oursMbps, sshMbps, 'MiB/s', '>= 0.9');
  // Where our time goes: logins + channel open, versus the device's shell start (server side).
  console.log(`ours, connect to shell channel open (median): fresh jump ${median(oursOpen).toFixed(1)} ms, reused jump ${median(oursReuseOpen).toFixed(1)} ms`);
} finally {
  await new Promise<void>((resolve) => {
    const c = spawn('/usr/bin/ssh', ['-F', cfg, '-O', 'exit', '-p', String(jump.port), `${jump.user}@${jump.host}`], { stdio: 'ignore' });
    c.on('close', () => resolve());
  });
  await agent.close();
  await jump.stop();
  await device.stop();
  rmSync(dir, { recursive: true, force: true });
}
