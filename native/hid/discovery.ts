import type { HidDeviceInfo } from './connection';
import { HidEnumerationError } from './errors';

/** FIDO authenticators expose a HID interface with this usage page / usage (CTAPHID). */
export const FIDO_USAGE_PAGE = 0xf1d0;
export const FIDO_USAGE_CTAPHID = 0x01;

/** The fields of node-hid's Device we rely on (kept structural so recorded lists type-check). */
export interface RawHidDevice {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/**
 * Keeps only CTAPHID interfaces (a YubiKey also shows OTP keyboard and CCID-ish interfaces),
 * drops entries without a path (cannot be opened) and duplicates of the same path.
 */
export function filterFidoDevices(devices: readonly RawHidDevice[]): HidDeviceInfo[] {
  const seen = new Set<string>();
  const out: HidDeviceInfo[] = [];
  for (const d of devices) {
    if (d.usagePage !== FIDO_USAGE_PAGE || d.usage !== FIDO_USAGE_CTAPHID) continue;
    if (!d.path || seen.has(d.path)) continue;
    seen.add(d.path);
    const info: HidDeviceInfo = { path: d.path, vendorId: d.vendorId, productId: d.productId };
    if (d.serialNumber) info.serialNumber = d.serialNumber;
    if (d.manufacturer) info.manufacturer = d.manufacturer;
    if (d.product) info.product = d.product;
    out.push(info);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

export type DeviceLister = () => Promise<readonly RawHidDevice[]>;

/** The part of the node-hid module enumeration uses; tests inject a failing stand-in. */
export interface HidEnumerator {
  devicesAsync(): Promise<readonly RawHidDevice[]>;
}

/**
 * Enumeration through node-hid, loaded lazily so machines without the native addon can still run
 * the rest. A failure here is no "no key": it says why no key can be seen.
 */
export function hidLister(load: () => Promise<HidEnumerator> = () => import('node-hid')): DeviceLister {
  return async () => {
    try {
      return await (await load()).devicesAsync();
    } catch (err) {
      throw new HidEnumerationError({ cause: err });
    }
  };
}

export const nodeHidLister: DeviceLister = hidLister();

export async function listFidoDevices(lister: DeviceLister = nodeHidLister): Promise<HidDeviceInfo[]> {
  return filterFidoDevices(await lister());
}
