// A fleet run over 12 drill devices (two reachable only over their backup path) against what an
// operator does without it: 12 stock `ssh -J jump device "show version"` one after the other,
// signing through `nbg agent`. Same simulated security key (PIN set, enrolled with the built
// `nbg`), same drill fabric, same prepared known_hosts. Reported: wall time, and how many PINs
// and touches each needed (the fleet run: counted at the prompts; ssh -J: nbg agent asks both per
// signature).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FleetRun, type FleetTarget } from '../../electron/core/fleet/fleet-run';
import { KnownHostsStore } from '../../electron/core/ssh/known-hosts-store';
import { startDrillFabric } from '../../electron/drill/fabric';
import type { DrillDeviceSpec } from '../../electron/drill/topology';
import { CoreServices } from '../../electron/services/services';
import { timeProcess } from '../support/bench';
import { startNbgAgent } from '../support/nbg-agent';
import { ScriptedInteraction } from '../support/scripted-interaction';
import { writeSshConfig } from '../support/ssh-client';

const PIN = '482916';
const USER = 'operator@bench.nexus';
const COMMAND = 'show version';
const DEVICES: DrillDeviceSpec[] = [
  { name: 'CE1', role: 'CE', requireUv: true }, { name: 'CE2', role: 'CE', requireUv: true },
  ...Array.from({ length: 8 }, (_, i): DrillDeviceSpec => ({ name: `ToR${i + 1}`, role: 'ToR', requireUv: true, primaryDead: i === 0 || i === 2 })),
  { name: 'TS1', role: 'TS', requireUv: true }, { name: 'MGMT1', role: 'Management', requireUv: true },
];

const root = path.resolve(import.meta.dirname, '../..');
const NBG = path.join(root, 'dist/cli/nbg.cjs');
const { buildAll } = (await import(path.join(root, 'electron/build/build.mjs'))) as { buildAll(): Promise<void> };
await buildAll();

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-bench-fleet-'));
const keyDir = path.join(dir, 'ssh');
const home = path.join(dir, 'home');
const env = { ...process.env, NBG_SIMULATOR: path.join(dir, 'sim.json'), NBG_HOME: home };
const nbgSync = (args: string[], input = ''): string => execFileSync(process.execPath, [NBG, ...args], { env, input, encoding: 'utf8', stdio: 'pipe' });
nbgSync(['keys', 'set-pin', '--pin-stdin'], `${PIN}\n`);
nbgSync(['keys', 'enroll', '--dir', keyDir, '--pin-stdin'], `${PIN}\n`);
const publicKeyLine = readFileSync(path.join(keyDir, 'id_ed25519_sk.pub'), 'utf8').trim();

const fabric = await startDrillFabric({ config: { users: [{ name: USER, keys: [publicKeyLine], role: 'writer' }] }, home, port: 0, devices: DEVICES });
const knownHosts = path.join(dir, 'known_hosts');
writeFileSync(knownHosts, fabric.knownHosts());
const jump = { host: fabric.jump.host, port: fabric.jump.port, user: USER, name: 'drill-jump' };
try {
  // The fleet run, in process, through the same services the CLI uses (simulated key via NBG_SIMULATOR).
  const interaction = new ScriptedInteraction({ defaultPin: PIN });
  const services = new CoreServices({ home, env, interaction, warn: () => undefined, audit: 'optional', keyDir });
  const manager = await services.sessionManager({
    policy: 'accept-new', signer: await services.signer(), knownHosts: new KnownHostsStore({ readOnly: [], managed: knownHosts }),
  });
  const targets: FleetTarget[] = fabric.devices.map((d) => ({
    name: d.name, fabric: 'drill-fabric',
    route: { target: { user: USER, host: d.primary.host, port: d.primary.port, name: d.hostname, backup: d.backup }, chain: [jump] },
  }));
  const t0 = performance.now();
  const result = await new FleetRun(targets, [COMMAND], { manager }).run();
  const fleetMs = performance.now() - t0;
  manager.closeAll();
  await services.close();
  const ok = result.devices.filter((d) => d.status === 'ok' && /Arista/.test(d.commands[0]?.output ?? '')).length;
  if (ok !== DEVICES.length) throw new Error(`fleet run: ${ok} of ${DEVICES.length} answered: ${JSON.stringify(result.devices.map((d) => [d.name, d.status, d.error?.message]))}`);

  // 12 × stock ssh -J through nbg agent, one after the other (the dead-primary ToRs by their backup address).
  const agent = await startNbgAgent({ nbg: [NBG], socket: path.join(dir, 'agent.sock'), pin: PIN, env, extraArgs: ['--dir', keyDir] });
  let sshMs = 0;
  try {
    const sshDir = path.join(dir, 'openssh');
    mkdirSync(sshDir);
    writeFileSync(path.join(sshDir, 'known_hosts'), fabric.knownHosts());
    const config = await writeSshConfig(sshDir, agent.socket);
    const sshEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', SSH_AUTH_SOCK: agent.socket };
    const s0 = performance.now();
    for (const d of fabric.devices) {
      const addr = d.primaryDead ? d.backup : d.primary;
      await timeProcess({ file: '/usr/bin/ssh', args: ['-F', config, '-J', `${USER}@${jump.host}:${jump.port}`, '-p', String(addr.port), `${USER}@${addr.host}`, COMMAND], env: sshEnv });
    }
    sshMs = performance.now() - s0;
  } finally {
    await agent.stop();
  }
  const sshSignatures = agent.signatures();

  console.log(`\nfleet run over ${DEVICES.length} drill devices (2 only over the backup path), "${COMMAND}":`);
  console.log('| | wall time | PINs typed | touches |');
  console.log('|---|---:|---:|---:|');
  console.log(`| nbg fleet run (one PIN scope, one jump login, ≤ 4 per jump) | ${(fleetMs / 1000).toFixed(2)} s | ${interaction.pins.length} | ${interaction.touches.length} |`);
  console.log(`| ${DEVICES.length} × ssh -J through nbg agent, sequential | ${(sshMs / 1000).toFixed(2)} s | ${sshSignatures} | ${sshSignatures} |`);
  console.log(`speed-up ${(sshMs / fleetMs).toFixed(2)}×; the fleet run's key signatures: ${result.signatures}`);
} finally {
  await fabric.stop();
  rmSync(dir, { recursive: true, force: true });
}
