// Break-glass sessions versus stock OpenSSH `ssh -J` (the comparison), same private
// sshds, same software sk key:
//  - connect-to-prompt through one jump (fresh jump connection each time), median of N;
//  - the second session while a jump connection is open (ours: jump reuse; OpenSSH: the same
//    `ssh -J` again, which logs in to the jump anew), median of N;
//  - 256 MiB of command output, first byte to last byte, through the jump.
// Ours signs in-process through SkAgent + the soft signer; OpenSSH signs through our AgentServer
// over the same soft signer (an agent socket round trip per signature is part of its cost).
//
// The device account is pinned (/bin/sh, home /): starting its shell is server work both clients
// wait for alike, and with root this machine's dotfiles decide its length (here they run pyenv,
// +130 ms; Debian's bash sources ~/.bashrc for anything sshd starts). Reference rows show OpenSSH
// with a ControlMaster on the jump (stricter than `ssh -J`), OpenSSH held to our curve25519 key
// exchange, and both clients logging in as root.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AgentServer } from '../../electron/core/ssh/agent/server';
import { KnownHostsStore } from '../../electron/core/ssh/known-hosts-store';
import { SessionManager, type Hop, type Session, type Target } from '../../electron/core/ssh/sessions/index';
import { median } from '../support/bench';
import { startSshd, type Sshd } from '../support/sshd';
import { SoftSk, SoftSkSigner } from '../support/soft-sk';
import { sessionInteraction } from '../support/sessions';

const RUNS = Number(process.env.NBG_BENCH_RUNS ?? 20);
const BULK_BYTES = 256 * 1024 * 1024;
const BULK_RUNS = 3;
const PROMPT = /[#$] $/;
const STEP_TIMEOUT_MS = 30_000;
/** The device account: /bin/sh, home /, so no dotfiles of this machine run at login. */
const DEVICE_USER = 'nbgbench';

const key = new SoftSk();
const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-sessions-'));
const quiet = ['PrintMotd no', 'PrintLastLog no', 'MaxSessions 100', 'MaxStartups 100'];
const sshd = (listen: string, keyUser?: string): Promise<Sshd> =>
  startSshd({ authorizedKeys: [key.publicKeyLine], verifyRequired: true, listen, extraConfig: quiet, ...(keyUser ? { keyUser } : {}) });
const jump = await sshd('127.0.0.2');
const device = await sshd('127.0.0.13', DEVICE_USER);
const ownShellDevice = await sshd('127.0.0.14');
const signer = new SoftSkSigner([key]);
const agent = await AgentServer.start({ signer });

const interaction = sessionInteraction();
const hostKeys = { store: new KnownHostsStore({ readOnly: [], managed: path.join(dir, 'known_hosts_nbg') }), policy: 'accept-new' as const };
const chain: Hop[] = [{ name: 'jump-01', user: jump.user, host: jump.host, port: jump.port }];
const targetOf = (d: Sshd): Target => ({ name: 'leaf-01', user: d.user, host: d.host, port: d.port });
const newManager = () => new SessionManager({ interaction, signer, hostKeys });

// OpenSSH: `-J user@host:port` is plain ProxyJump; `-J jump-cm` reaches the same jump through a
// ControlMaster (reference row only).
const sshConfig = (extra: string[]): string[] => [
  'Host jump-cm', `  HostName ${jump.host}`, `  Port ${jump.port}`, `  User ${jump.user}`,
  '  ControlMaster auto', `  ControlPath ${path.join(dir, 'cm-%C')}`, '  ControlPersist yes',
  'Host *',
  `  IdentityAgent ${agent.path}`, '  IdentityFile none', `  UserKnownHostsFile ${path.join(dir, 'known_hosts_ssh')}`,
  '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking accept-new', '  BatchMode yes', '  ControlMaster no', ...extra, '',
];
const cfg = path.join(dir, 'ssh_config');
writeFileSync(cfg, sshConfig([]).join('\n'));
// OpenSSH 9 picks post-quantum sntrup761x25519 key exchange, which ssh2 lacks; this one uses ours.
const sameKexCfg = path.join(dir, 'ssh_config_curve25519');
writeFileSync(sameKexCfg, sshConfig(['  KexAlgorithms curve25519-sha256']).join('\n'));
const PLAIN_JUMP = `${jump.user}@${jump.host}:${jump.port}`;
const CM_JUMP = 'jump-cm';
const deviceArgs = (d: Sshd): string[] => ['-p', String(d.port), `${d.user}@${d.host}`];

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

async function oursToPrompt(manager: SessionManager, d: Sshd = device): Promise<{ ms: number; openMs: number; session: Session }> {
  const t0 = performance.now();
  const session = manager.open(targetOf(d), chain);
  let seen = '';
  session.on('data', (data: Buffer) => { seen += data.toString('latin1'); });
  await session.connect();
  const openMs = performance.now() - t0;
  await waitFor(session, () => PROMPT.test(seen));
  return { ms: performance.now() - t0, openMs, session };
}

async function closeOurs(session: Session): Promise<void> {
  session.close();
  await waitFor(session, () => session.state.kind === 'closed');
}

/** A fresh manager: the jump is logged in to anew. */
async function oursFresh(d: Sshd): Promise<number> {
  const m = newManager();
  const { ms, session } = await oursToPrompt(m, d);
  await closeOurs(session);
  m.closeAll();
  return ms;
}

function opensshToPrompt(jumpSpec: string, d: Sshd = device, config = cfg): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/ssh', ['-F', config, '-tt', '-J', jumpSpec, ...deviceArgs(d)], { stdio: ['pipe', 'pipe', 'pipe'] });
    let seen = '';
    let ms = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.stdout.on('data', (data: Buffer) => {
      seen += data.toString('latin1');
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

async function oursBulk(manager: SessionManager): Promise<number> {
  const session = manager.open(targetOf(device), chain, { command: `head -c ${BULK_BYTES} /dev/zero` });
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
    const child = spawn('/usr/bin/ssh', ['-F', cfg, '-J', PLAIN_JUMP, ...deviceArgs(device), `head -c ${BULK_BYTES} /dev/zero`], { stdio: ['ignore', 'pipe', 'pipe'] });
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
  console.log(`${name.padEnd(46)} ours ${ours.toFixed(1).padStart(8)} ${unit}   OpenSSH ${theirs.toFixed(1).padStart(8)} ${unit}   ratio ${(ours / theirs).toFixed(2)} (${target})`);
};

try {
  // Warm-up: host keys recorded on both sides, JIT warm.
  for (const d of [device, ownShellDevice]) {
    await oursFresh(d);
    await opensshToPrompt(PLAIN_JUMP, d);
  }

  const oursConnect: number[] = [];
  const sshConnect: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    oursConnect.push(await oursFresh(device));
    sshConnect.push(await opensshToPrompt(PLAIN_JUMP));
  }

  // Second session while a jump connection is open: ours keeps one session open and reuses its
  // jump; `ssh -J` has nothing to reuse; the ControlMaster reference does.
  const holder = newManager();
  const held = await oursToPrompt(holder);
  const oursReuse: number[] = [];
  const oursReuseOpen: number[] = [];
  const sshReuse: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const { ms, openMs, session } = await oursToPrompt(holder);
    oursReuse.push(ms);
    oursReuseOpen.push(openMs);
    await closeOurs(session);
    sshReuse.push(await opensshToPrompt(PLAIN_JUMP));
  }
  const sshMaster: number[] = [];
  await opensshToPrompt(CM_JUMP); // starts the persistent master
  for (let i = 0; i < RUNS; i++) sshMaster.push(await opensshToPrompt(CM_JUMP));

  const sshSameKex: number[] = [];
  for (let i = 0; i < RUNS; i++) sshSameKex.push(await opensshToPrompt(PLAIN_JUMP, device, sameKexCfg));

  const oursOwnShell: number[] = [];
  const sshOwnShell: number[] = [];
  for (let i = 0; i < Math.ceil(RUNS / 2); i++) {
    oursOwnShell.push(await oursFresh(ownShellDevice));
    sshOwnShell.push(await opensshToPrompt(PLAIN_JUMP, ownShellDevice));
  }

  // Throughput runs alternate so background load hits both sides alike; median of BULK_RUNS.
  const oursRates: number[] = [];
  const sshRates: number[] = [];
  for (let i = 0; i < BULK_RUNS; i++) {
    oursRates.push(await oursBulk(holder));
    sshRates.push(await opensshBulk());
  }
  await closeOurs(held.session);
  holder.closeAll();

  console.log(`sessions: ${RUNS} runs each; jump ${jump.host}, device ${device.host}, verify-required, soft sk key; OpenSSH = ssh -J`);
  row('connect to prompt via 1 jump (median)', median(oursConnect), median(sshConnect), 'ms  ', 'target <= 0.8');
  row('2nd session, jump already open (median)', median(oursReuse), median(sshReuse), 'ms  ', 'target <= 0.5');
  row(`256 MiB output via jump (median of ${BULK_RUNS})`, median(oursRates), median(sshRates), 'MiB/s', 'target >= 0.9');
  console.log('reference rows (no target):');
  row('  2nd session vs ssh with ControlMaster on jump', median(oursReuse), median(sshMaster), 'ms  ', 'stricter baseline');
  row('  connect vs ssh -J with our key exchange', median(oursConnect), median(sshSameKex), 'ms  ', 'curve25519 both sides');
  row(`  connect, logging in to the device as root`, median(oursOwnShell), median(sshOwnShell), 'ms  ', `${oursOwnShell.length} runs`);
  console.log(`ours, 2nd session to shell channel open (median): ${median(oursReuseOpen).toFixed(1)} ms; the rest is the device starting the shell`);
} finally {
  await new Promise<void>((resolve) => {
    const c = spawn('/usr/bin/ssh', ['-F', cfg, '-O', 'exit', CM_JUMP], { stdio: 'ignore' });
    c.on('close', () => resolve());
  });
  await agent.close();
  await Promise.all([jump.stop(), device.stop(), ownShellDevice.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
