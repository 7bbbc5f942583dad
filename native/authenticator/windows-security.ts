// On Windows without admin rights a FIDO key is invisible to raw HID: the OS hides its CTAPHID
// usage page (so enumeration finds nothing) or refuses to open it. webauthn.dll still reaches it,
// so, like libfido2's "windows://hello" device, the facade lists one stand-in key that stands for
// "whatever key Windows Security finds". Opening it over HID is always refused, which sends enroll
// and sign to webauthn.dll and import / PIN changes to the elevation offer (transport-choice.ts).
import type { HidDeviceInfo } from '../hid/connection';
import { HidAccessDeniedError, HidEnumerationError } from '../hid/errors';
import type { KeySource } from './key-source';

export const WINDOWS_SECURITY_KEY_PATH = 'windows://webauthn';

export const WINDOWS_SECURITY_KEY: HidDeviceInfo = {
  path: WINDOWS_SECURITY_KEY_PATH, vendorId: 0, productId: 0, product: 'Security key (through Windows Security)',
};

/** The keys to offer, and why USB keys could not be listed when Windows Security is offered regardless. */
export interface DeviceListing {
  devices: HidDeviceInfo[];
  usbUnavailable?: HidEnumerationError;
}

/**
 * The stand-in key is offered when `available()` and raw HID lists no key, and also when the USB HID
 * stack cannot start at all (a policy-locked machine): webauthn.dll reaches keys through Windows'
 * own stack, so a broken HID layer only costs the raw-HID actions and is reported, not fatal.
 */
export async function listWithWindowsSecurity(source: KeySource, available: () => boolean): Promise<DeviceListing> {
  let devices: HidDeviceInfo[];
  try {
    devices = await source.list();
  } catch (err) {
    if (err instanceof HidEnumerationError && available()) return { devices: [WINDOWS_SECURITY_KEY], usbUnavailable: err };
    throw err;
  }
  return { devices: devices.length === 0 && available() ? [WINDOWS_SECURITY_KEY] : devices };
}

/** `source` with the stand-in key as listWithWindowsSecurity decides. */
export function withWindowsSecurityKey(source: KeySource, available: () => boolean): KeySource {
  return {
    list: async () => (await listWithWindowsSecurity(source, available)).devices,
    open: (info) => (info.path === WINDOWS_SECURITY_KEY_PATH ? Promise.reject(new HidAccessDeniedError()) : source.open(info)),
  };
}
