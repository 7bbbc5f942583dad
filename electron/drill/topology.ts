// The drill fabric's shape: one jump host, one device of each Nexus role and four ToRs (enough for
// a fleet run to mean something), with the special cases operators must practise: two ToRs whose
// management path is dead (reachable only in-band), and a v1.5 password device. Devices added
// later go at the end, so the addresses (and known_hosts entries) of the earlier ones stay.
import type { DrillDeviceRole } from './device-profile';

export interface DrillDeviceSpec {
  name: string;
  role: DrillDeviceRole;
  /** Demand UV (PIN) like `verify-required`; Nexus keys are enrolled with it. */
  requireUv: boolean;
  /** The MA1 management address does not answer; the Loopback6 in-band address does. */
  primaryDead?: boolean;
  /** Method D v1.5: shared TelcoRO / TelcoRW passwords, no keys. */
  v15?: boolean;
}

export const DRILL_DEVICES: readonly DrillDeviceSpec[] = [
  { name: 'CE1', role: 'CE', requireUv: true },
  { name: 'CE2', role: 'CE', requireUv: true },
  { name: 'ToR1', role: 'ToR', requireUv: true, primaryDead: true },
  { name: 'NPB1', role: 'NPB', requireUv: true, v15: true },
  { name: 'TS1', role: 'TS', requireUv: false },
  { name: 'MGMT1', role: 'Management', requireUv: true },
  { name: 'ToR2', role: 'ToR', requireUv: true },
  { name: 'ToR3', role: 'ToR', requireUv: true, primaryDead: true },
  { name: 'ToR4', role: 'ToR', requireUv: true },
];

/** The drill cluster's bare metal machines (reached like real ones: over the jump host, as the keyset user). */
export interface DrillMachineSpec {
  name: string;
  /** The OS host name, as Azure's machineName gives it. */
  machineName: string;
}

export const DRILL_MACHINES: readonly DrillMachineSpec[] = [{ name: 'BMM1', machineName: 'r01c001' }];

/** The drill keyset's login for an operator: the UPN's alias, letters and digits only (an OS user name). */
export function keysetUserName(upn: string): string {
  return (upn.split('@')[0] ?? upn).replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'operator';
}

export const JUMP_NAME = 'jump';

/**
 * Loopback addresses: the jump host, then each device's management (MA1) and in-band (Loopback6)
 * address on its own 127.x address, as on a real fabric where every box listens on port 22.
 * Where only 127.0.0.1 exists (macOS), every listener gets its own port there instead.
 */
export const DRILL_ADDRESSES = {
  jump: '127.0.80.1',
  primary: (index: number) => `127.0.80.${11 + index}`,
  backup: (index: number) => `127.0.81.${11 + index}`,
  machine: (index: number) => `127.0.82.${11 + index}`,
  fallback: '127.0.0.1',
} as const;

/** The desktop app's default port: stable, so known_hosts entries survive restarts. */
export const DRILL_DEFAULT_PORT = 2222;

/** Method D v1.5 account names (TelcoRO = read-only, TelcoRW = read-write). */
export const V15_ACCOUNTS = [
  { user: 'TelcoRO', role: 'reader' },
  { user: 'TelcoRW', role: 'writer' },
] as const;
