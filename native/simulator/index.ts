import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { HidDeviceInfo } from '../hid/connection';
import { type PresenceDecider, SoftAuthenticator } from './authenticator';
import { SimulatedHidConnection, SimulatedHidDevice } from './hid-device';
import type { SimulatorProfileName } from './profiles';
import { SimulatorStateError, freshState, loadState, saveState } from './state';

export { SoftAuthenticator, type PresenceAnswer, type PresenceDecider, type PresenceRequest } from './authenticator';
export { SimulatedHidConnection, SimulatedHidDevice, type Fault, type FaultKind } from './hid-device';
export { PROFILES, type SimulatorProfile, type SimulatorProfileName } from './profiles';
export { SimulatorStateError } from './state';

export interface OpenSimulatorOptions {
  /** JSON file holding PIN, counter and credentials across runs (written atomically, mode 0600). */
  stateFile?: string;
  profile?: SimulatorProfileName;
  presence?: PresenceDecider;
  /** Simulated touch timeout (USER_ACTION_TIMEOUT); real keys ~30 s. */
  upTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  /** HID path reported in HidDeviceInfo (several simulators need distinct paths). */
  path?: string;
}

export interface Simulator {
  authenticator: SoftAuthenticator;
  device: SimulatedHidDevice;
  info: HidDeviceInfo;
  /** A new handle on the device, like HIDAsync.open(path). */
  connection(): SimulatedHidConnection;
  unplug(): void;
  /** Unplug + plug: a power cycle (lifts PIN_AUTH_BLOCKED); old handles stay dead. */
  replug(): void;
}

const PRODUCT: Record<SimulatorProfileName, string> = {
  'yubikey5-fw54': 'Simulated YubiKey 5 (fw 5.4.3)',
  ctap21: 'Simulated CTAP 2.1 key',
};

export async function openSimulator(opts: OpenSimulatorOptions = {}): Promise<Simulator> {
  const loaded = opts.stateFile ? await loadState(opts.stateFile) : undefined;
  if (loaded && opts.profile && loaded.profile !== opts.profile) {
    throw new SimulatorStateError(opts.stateFile ?? '', `it holds a ${loaded.profile} key, not ${opts.profile}`);
  }
  const state = loaded ?? freshState(opts.profile ?? 'yubikey5-fw54');
  const stateFile = opts.stateFile;
  const authenticator = new SoftAuthenticator({
    state,
    ...(opts.presence ? { presence: opts.presence } : {}),
    ...(opts.upTimeoutMs !== undefined ? { upTimeoutMs: opts.upTimeoutMs } : {}),
    ...(stateFile ? { persist: (s) => saveState(stateFile, s) } : {}),
  });
  const info: HidDeviceInfo = {
    path: opts.path ?? `sim:${state.profile}`,
    vendorId: 0x1050,
    productId: 0x0407,
    manufacturer: 'Nexus Break-Glass simulator',
    product: PRODUCT[state.profile],
    serialNumber: `SIM-${state.profile}`,
  };
  const device = new SimulatedHidDevice(authenticator, info, opts.keepaliveIntervalMs);
  if (stateFile && !loaded) {
    // A new key's state folder is made private here; one that vanishes later is an error, not recreated.
    await fs.mkdir(path.dirname(stateFile), { recursive: true, mode: 0o700 });
    await saveState(stateFile, state);
  }
  return {
    authenticator,
    device,
    info,
    connection: () => device.open(),
    unplug: () => device.unplug(),
    replug: () => device.replug(),
  };
}
