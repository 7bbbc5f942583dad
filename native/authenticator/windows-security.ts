// On Windows without admin rights a FIDO key is invisible to raw HID: the OS hides its CTAPHID
// usage page (so enumeration finds nothing) or refuses to open it. webauthn.dll still reaches it,
// so, like libfido2's "windows://hello" device, the facade lists one stand-in key that stands for
// "whatever key Windows Security finds". Opening it over HID is always refused, which sends enroll
// and sign to webauthn.dll and import / PIN changes to the elevation offer (transport-choice.ts).
import type { HidDeviceInfo } from '../hid/connection';
import { HidAccessDeniedError } from '../hid/errors';
import type { KeySource } from './key-source';

export const WINDOWS_SECURITY_KEY_PATH = 'windows://webauthn';

export const WINDOWS_SECURITY_KEY: HidDeviceInfo = {
  path: WINDOWS_SECURITY_KEY_PATH, vendorId: 0, productId: 0, product: 'Security key (through Windows Security)',
};

/** `source` plus the stand-in key when `available()` and raw HID lists no key at all. */
export function withWindowsSecurityKey(source: KeySource, available: () => boolean): KeySource {
  return {
    list: async () => {
      const keys = await source.list();
      return keys.length === 0 && available() ? [WINDOWS_SECURITY_KEY] : keys;
    },
    open: (info) => (info.path === WINDOWS_SECURITY_KEY_PATH ? Promise.reject(new HidAccessDeniedError()) : source.open(info)),
  };
}
