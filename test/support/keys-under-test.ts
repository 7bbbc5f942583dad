// The keys the authenticator suite runs against: solo1 (test/oracles/solo1) and the simulator's
// profiles, each with the traits in which it differs and why that is acceptable.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorKeySource } from '../../native/authenticator/key-source';
import { openSimulator, type SimulatorProfileName } from '../../native/simulator/index';
import type { KeyUnderTest } from './authenticator-suite';
import { NBG_MAIN } from './nbg';
import { startNbgAgent } from './nbg-agent';
import { startSolo1 } from './solo1';

const SOLO1_AGENT = path.resolve(import.meta.dirname, 'nbg-agent-solo1.ts');

export async function solo1UnderTest(): Promise<KeyUnderTest> {
  const solo = await startSolo1();
  return {
    name: 'solo1',
    get source() { return solo.source; },
    info: () => solo.info,
    traits: {
      pinProtocols: [1],
      credMgmtCommands: [0x0a, 0x41],
      algorithmsListed: false,
      reportsCredProtect: false,
      why: {
        pinProtocols: 'solo1 is a CTAP 2.0/2.1-preview key: PIN protocol 1 only, like YubiKey 5.2-5.4 in the field; the client picks protocol 1 from getInfo',
        algorithmsListed: 'CTAP 2.0 getInfo has no algorithms member; the facade probes EdDSA instead (native/authenticator/algorithms.ts)',
        reportsCredProtect: 'solo1 reports credProtect 1 for EdDSA credentials it guards at level 3; import checks with a silent assertion (native/authenticator/import-resident.ts)',
      },
    },
    powerCycle: () => solo.restart(),
    startAgent: (o) => startNbgAgent({
      nbg: ['--import', 'tsx', SOLO1_AGENT], socket: o.socket, pin: o.pin, extraArgs: ['--dir', o.keyDir],
      env: { ...process.env, NBG_HOME: o.home, NBG_TEST_SOLO1_PORT: String(solo.port) },
    }),
    stop: () => solo.stop(),
  };
}

export async function simulatorUnderTest(profile: SimulatorProfileName): Promise<KeyUnderTest> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `nbg-sim-${profile}-`));
  const stateFile = path.join(dir, 'sim.json');
  const sim = await openSimulator({ profile, stateFile, keepaliveIntervalMs: 5 });
  const ctap21 = profile === 'ctap21';
  return {
    name: `simulator ${profile}`,
    source: simulatorKeySource(sim),
    info: () => sim.info,
    traits: {
      pinProtocols: [2, 1],
      credMgmtCommands: ctap21 ? [0x0a, 0x41] : [0x41],
      algorithmsListed: true,
      reportsCredProtect: true,
      why: ctap21 ? {} : { credMgmtCommands: 'YubiKey 5.2-5.4 answer only the preview byte 0x41 (credentialMgmtPreview)' },
    },
    powerCycle: async () => sim.replug(),
    // The child opens the same state file: the simulator writes every change before it answers.
    startAgent: (o) => startNbgAgent({
      nbg: ['--import', 'tsx', NBG_MAIN], socket: o.socket, pin: o.pin, extraArgs: ['--dir', o.keyDir],
      env: { ...process.env, NBG_HOME: o.home, NBG_SIMULATOR: stateFile },
    }),
    stop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
