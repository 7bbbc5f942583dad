// Where security keys come from: USB HID through node-hid, or the software authenticator. The
// facade sees only this interface, so the simulator runs the very same code path as a YubiKey.
import type { HidConnection, HidDeviceInfo } from '../hid/connection';
import { listFidoDevices, type DeviceLister } from '../hid/discovery';
import { NodeHidConnection, type HidOpener } from '../hid/node-hid-connection';
import type { Simulator } from '../simulator/index';
import { NoSecurityKeyError } from './errors';

export interface KeySource {
  list(): Promise<HidDeviceInfo[]>;
  open(info: HidDeviceInfo): Promise<HidConnection>;
}

export function hidKeySource(lister?: DeviceLister, opener?: HidOpener): KeySource {
  return {
    list: () => listFidoDevices(lister),
    open: (info) => NodeHidConnection.open(info, opener ? { opener } : {}),
  };
}

/** One or more simulators; an unplugged one is not listed (as with a real key). */
export function simulatorKeySource(...sims: Simulator[]): KeySource {
  return {
    list: async () => sims.filter((s) => s.device.isPlugged).map((s) => s.info),
    open: async (info) => {
      const sim = sims.find((s) => s.info.path === info.path);
      if (!sim) throw new NoSecurityKeyError();
      return sim.connection();
    },
  };
}
