// The keys the authenticator suite runs against: solo1 (test/oracles/solo1) and the simulator's
// profiles, each with the traits in which it differs and why that is acceptable.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simulatorKeySource } from '../../native/authenticator/key-source';
import { openSimulator, type SimulatorProfileName } from '../../native/simulator/index';
import type { KeyKind, KeyTraits } from './authenticator-suite';
import { NBG_MAIN } from './nbg';
import { startNbgAgent } from './nbg-agent';
import { startSolo1 } from './solo1';

const SOLO1_AGENT = path.resolve(import.meta.dirname, 'nbg-agent-solo1.ts');

export const SOLO1: KeyKind = {
  name: 'solo1',
  traits: {
    pinProtocols: [1],
    credMgmtCommands: [0x0a, 0x41],
    algorithmsListed: false,
    reportsCredProtect: false,
    why: {
      pinProtocols: 'solo1 is a CTAP 2.0/2.1-preview key with PIN protocol 1 only, like YubiKey 5.2-5.4 in the field; the client takes the protocol from getInfo',
      credMgmtCommands: 'solo1 says credMgmt (not credentialMgmtPreview) beside FIDO_2_1_PRE and answers both bytes; the client picks 0x0A from the option',
      algorithmsListed: 'a CTAP 2.0 getInfo has no algorithms member; the facade probes EdDSA (native/authenticator/algorithms.ts)',
      reportsCredProtect: 'solo1 reports credProtect 1 for EdDSA credentials it guards at level 3; import checks with a silent assertion (native/authenticator/import-resident.ts)',
    },
  },
  async start() {
    const solo = await startSolo1();
    return {
      get source() { return solo.source; },
      info: () => solo.info,
      powerCycle: () => solo.restart(),
      startAgent: (o) => startNbgAgent({
        nbg: ['--import', 'tsx', SOLO1_AGENT], socket: o.socket, pin: o.pin, extraArgs: ['--dir', o.keyDir],
        env: { ...process.env, NBG_HOME: o.home, NBG_TEST_SOLO1_PORT: String(solo.port) },
      }),
      stop: () => solo.stop(),
    };
  },
};

const SIMULATOR_TRAITS: Record<SimulatorProfileName, KeyTraits> = {
  'yubikey5-fw54': {
    pinProtocols: [2, 1], credMgmtCommands: [0x41], algorithmsListed: true, reportsCredProtect: true,
    why: { credMgmtCommands: 'YubiKey 5.2-5.4 answer only the preview byte 0x41 (credentialMgmtPreview); the client picks it from the option' },
  },
  ctap21: { pinProtocols: [2, 1], credMgmtCommands: [0x0a, 0x41], algorithmsListed: true, reportsCredProtect: true, why: {} },
};

export function simulatorKind(profile: SimulatorProfileName): KeyKind {
  return {
    name: `simulator ${profile}`,
    traits: SIMULATOR_TRAITS[profile],
    async start() {
      const dir = mkdtempSync(path.join(os.tmpdir(), `nbg-sim-${profile}-`));
      const stateFile = path.join(dir, 'sim.json');
      const sim = await openSimulator({ profile, stateFile, keepaliveIntervalMs: 5 });
      return {
        source: simulatorKeySource(sim),
        info: () => sim.info,
        powerCycle: async () => sim.replug(),
        // The child opens the same state file: the simulator writes every change before it answers.
        startAgent: (o) => startNbgAgent({
          nbg: ['--import', 'tsx', NBG_MAIN], socket: o.socket, pin: o.pin, extraArgs: ['--dir', o.keyDir],
          env: { ...process.env, NBG_HOME: o.home, NBG_SIMULATOR: stateFile },
        }),
        stop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}
