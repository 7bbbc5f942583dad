// The simulated security key drills practise with: one key for the desktop app's drill mode and
// `nbg drill` (same state file, profile and key folder under the app home), never ~/.ssh.
import path from 'node:path';
import { simulatorKeySource, type KeySource } from '../../native/authenticator/key-source';
import { openSimulator, type PresenceDecider, type Simulator } from '../../native/simulator/index';

/** The drill key is a CTAP 2.1 key: it reports its firmware, so the readiness preflight can check it. */
export const DRILL_KEY_PROFILE = 'ctap21';

/** The simulated drill key's state. */
export function drillStateFile(home: string): string {
  return path.join(home, 'drill', 'simulator-key.json');
}

/** Where the drill key's SSH files live (never ~/.ssh: a drill must not touch the real key files). */
export function drillKeyDir(home: string): string {
  return path.join(home, 'drill', 'ssh');
}

export interface DrillKeyDevice {
  simulator: Simulator;
  source: KeySource;
  /** The folder of its SSH key files. */
  keyDir: string;
}

/** Opens the drill key; `presence` stands in for the operator's touch. */
export async function openDrillKey(home: string, presence: PresenceDecider, upTimeoutMs?: number): Promise<DrillKeyDevice> {
  const simulator = await openSimulator({
    stateFile: drillStateFile(home), profile: DRILL_KEY_PROFILE, presence, ...(upTimeoutMs !== undefined ? { upTimeoutMs } : {}),
  });
  return { simulator, source: simulatorKeySource(simulator), keyDir: drillKeyDir(home) };
}
