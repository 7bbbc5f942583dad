// Post-quantum key exchange cost: nbg (patched ssh2, mlkem768x25519-sha256) against stock ssh
// from OpenSSH 10 held to the same exchange, both to the same OpenSSH 10 sshd (Debian 13 root,
// modern-openssh.ts), signing with the same soft sk key through the same agent:
//  - connect, log in, run `true`, close (median of N);
//  - 128 MiB of command output, first byte to last (median of 3);
// and, for reference, both with curve25519-sha256. Every row's exchange is read back from the
// sshd log, so a row can only show the algorithm it names. Stock ssh runs through chroot (its
// start-up is in its time, as a person typing ssh would pay it).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AgentServer } from '../../electron/core/ssh/agent/server';
import { KnownHostsStore } from '../../electron/core/ssh/known-hosts-store';
import { SessionManager, type Target } from '../../electron/core/ssh/sessions/index';
import { median } from '../support/bench';
import { modernOpensshRoot, modernOpensshVersion } from '../support/modern-openssh';
import { startSshd } from '../support/sshd';
import { SoftSk, SoftSkSigner } from '../support/soft-sk';
import { sessionInteraction } from '../support/sessions';

const RUNS = Number(process.env.NBG_BENCH_RUNS ?? 20);
const BULK_BYTES = 128 * 1024 * 1024;
const BULK_RUNS = 3;
const STEP_TIMEOUT_MS = 60_000;
const MLKEM = 'mlkem768x25519-sha256';
const CURVE = 'curve25519-sha256';

const root = modernOpensshRoot();
const key = new SoftSk();
const signer = new SoftSkSigner([key]);
const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-pq-'));
// The agent socket inside the root, so the chroot's ssh reaches the same agent.
const inside = mkdtempSync(path.join(root, 'tmp', 'nbg-bench-pq-'));
const agent = await AgentServer.start({ signer, socketDir: path.join(inside, 'agent') });
const sshd = await startSshd({ authorizedKeys: [key.publicKeyLine], root, listen: '127.0.0.42', extraConfig: ['MaxStartups 100'] });
const target: Target = { name: 'leaf-pq', user: sshd.user, host: sshd.host, port: sshd.port };
const seen = (p: string): string => `/${path.relative(root, p)}`;

function lastKex(): string | undefined {
  return [...sshd.log().matchAll(/kex: algorithm: (\S+)/g)].at(-1)?.[1];
}

async function ours(kex: string, command: string): Promise<{ ms: number; firstToLast: number; bytes: number }> {
  const manager = new SessionManager({
    interaction: sessionInteraction(), signer,
    hostKeys: { store: new KnownHostsStore({ readOnly: [], managed: path.join(dir, 'known_hosts_nbg') }), policy: 'accept-new' },
  });
  const t0 = performance.now();
  let first = 0;
  let last = 0;
  let bytes = 0;
  const session = manager.open({ ...target, algorithms: { kex: [kex] } }, [], { command });
  session.on('data', (d: Buffer) => {
    last = performance.now();
    if (!first) first = last;
    bytes += d.length;
  });
  await session.connect();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), STEP_TIMEOUT_MS);
    const check = (): void => {
      if (session.state.kind !== 'closed') return;
      clearTimeout(timer);
      resolve();
    };
    session.on('state', check);
    check();
  });
  const ms = performance.now() - t0;
  manager.closeAll();
  return { ms, firstToLast: last - first, bytes };
}

function stock(kex: string, command: string): Promise<{ ms: number; firstToLast: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = 0;
    let last = 0;
    let bytes = 0;
    const child = execFile('chroot', [root, '/usr/bin/ssh', '-F', '/dev/null', '-o', `IdentityAgent=${seen(agent.path)}`, '-o', 'IdentityFile=none',
      '-o', `KexAlgorithms=${kex}`, '-o', `UserKnownHostsFile=${seen(inside)}/known_hosts`, '-o', 'StrictHostKeyChecking=accept-new',
      '-o', 'BatchMode=yes', '-p', String(sshd.port), `${sshd.user}@${sshd.host}`, command], { encoding: 'buffer', maxBuffer: 2 * BULK_BYTES, timeout: STEP_TIMEOUT_MS },
    (err) => {
      if (err) reject(err);
      else resolve({ ms: performance.now() - t0, firstToLast: last - first, bytes });
    });
    child.stdout!.on('data', (d: Buffer) => {
      last = performance.now();
      if (!first) first = last;
      bytes += d.length;
    });
  });
}

async function checked<T>(what: string, kex: string, run: () => Promise<T>): Promise<T> {
  const r = await run();
  if (lastKex() !== kex) throw new Error(`${what}: the sshd negotiated ${lastKex()}, not ${kex}`);
  return r;
}

const row = (name: string, a: number, b: number, unit: string): void => {
  console.log(`${name.padEnd(44)} nbg ${a.toFixed(1).padStart(8)} ${unit}   OpenSSH ${b.toFixed(1).padStart(8)} ${unit}   ratio ${(a / b).toFixed(2)}`);
};

try {
  // Warm-up: host key recorded on both sides, JIT warm.
  await checked('warm-up nbg', MLKEM, () => ours(MLKEM, 'true'));
  await checked('warm-up ssh', MLKEM, () => stock(MLKEM, 'true'));
  const connect: Record<string, { nbg: number[]; ssh: number[] }> = { [MLKEM]: { nbg: [], ssh: [] }, [CURVE]: { nbg: [], ssh: [] } };
  for (let i = 0; i < RUNS; i++) {
    for (const kex of [MLKEM, CURVE]) {
      connect[kex]!.nbg.push((await checked('nbg connect', kex, () => ours(kex, 'true'))).ms);
      connect[kex]!.ssh.push((await checked('ssh connect', kex, () => stock(kex, 'true'))).ms);
    }
  }
  const rate = (r: { firstToLast: number; bytes: number }): number => {
    if (r.bytes !== BULK_BYTES) throw new Error(`received ${r.bytes} bytes`);
    return BULK_BYTES / 1024 / 1024 / (r.firstToLast / 1000);
  };
  const bulkNbg: number[] = [];
  const bulkSsh: number[] = [];
  for (let i = 0; i < BULK_RUNS; i++) {
    bulkNbg.push(rate(await checked('nbg bulk', MLKEM, () => ours(MLKEM, `head -c ${BULK_BYTES} /dev/zero`))));
    bulkSsh.push(rate(await checked('ssh bulk', MLKEM, () => stock(MLKEM, `head -c ${BULK_BYTES} /dev/zero`))));
  }
  console.log(`pq-kex: ${RUNS} runs each; ${modernOpensshVersion(root)} sshd and ssh (Debian 13 root), no jump, soft sk key via agent`);
  row(`connect+exec+close, ${MLKEM} (median)`, median(connect[MLKEM]!.nbg), median(connect[MLKEM]!.ssh), 'ms  ');
  row(`${BULK_BYTES / 1024 / 1024} MiB output, ${MLKEM} (median of ${BULK_RUNS})`, median(bulkNbg), median(bulkSsh), 'MiB/s');
  console.log('reference row:');
  row(`  connect+exec+close, ${CURVE} (median)`, median(connect[CURVE]!.nbg), median(connect[CURVE]!.ssh), 'ms  ');
  console.log(`  cost of the post-quantum exchange (median difference): nbg ${(median(connect[MLKEM]!.nbg) - median(connect[CURVE]!.nbg)).toFixed(1)} ms, `
    + `OpenSSH ${(median(connect[MLKEM]!.ssh) - median(connect[CURVE]!.ssh)).toFixed(1)} ms`);
} finally {
  await agent.close();
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(inside, { recursive: true, force: true });
}
