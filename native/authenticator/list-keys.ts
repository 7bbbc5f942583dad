// Listing: every connected key described for the app. A key that is there but cannot be used is
// reported with its reason (a refused open, a failed getInfo), never dropped or read as "no key".
import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError, errorMessage } from '../errors';
import type { HidDeviceInfo } from '../hid/connection';
import { HidAccessDeniedError } from '../hid/errors';
import { ApiVersion } from '../webauthn-win/constants';
import type { WebAuthnWin } from '../webauthn-win/webauthn-win';
import { keyLabel, type OpenKey } from './device';
import type { KeyRouter } from './route';
import { keyAlgorithms } from './algorithms';
import type { SkAlgorithmName } from './ssh-records';
import { WINDOWS_SECURITY_KEY_PATH } from './windows-security';

export interface SecurityKeyInfo {
  id: string;
  label: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  versions: string[];
  /** Hex; empty when unknown (a key reached through Windows Security). */
  aaguid: string;
  firmwareVersion?: number;
  /** 'windows': Windows Security asks for (or sets up) the PIN; its state is not visible here. */
  pin: 'set' | 'unset' | 'unsupported' | 'windows';
  pinRetries?: number;
  algorithms: SkAlgorithmName[];
  residentKeys: boolean;
  credProtect: boolean;
  credentialManagement: boolean;
  builtInUv: boolean;
  remainingResidentKeys?: number;
  /** Reached through webauthn.dll (Windows without admin rights), not raw HID. */
  windowsSecurity?: true;
}

export interface SecurityKeyProblem {
  id: string;
  label: string;
  error: { code: ErrorCode; message: string };
}

/** The problem entry for the USB HID layer as a whole (no single key), when Windows Security is offered without it. */
export const USB_HID_ID = 'usb://hid';
const USB_UNAVAILABLE_LABEL = 'USB keys unavailable';

/** Code of a problem whose cause carries no code of its own (not one of our typed errors). */
const UNTYPED_KEY_ERROR = ErrorCode.KEY_ERROR;

export async function listKeys(router: KeyRouter): Promise<{ keys: SecurityKeyInfo[]; problems: SecurityKeyProblem[] }> {
  const keys: SecurityKeyInfo[] = [];
  const problems: SecurityKeyProblem[] = [];
  const { devices, usbUnavailable } = await router.listing();
  if (usbUnavailable) problems.push({ id: USB_HID_ID, label: USB_UNAVAILABLE_LABEL, error: { code: usbUnavailable.code, message: usbUnavailable.message } });
  for (const info of devices) {
    try {
      keys.push(await router.withKey(info, describe));
    } catch (err) {
      // Non-elevated Windows refuses raw HID by design; webauthn.dll still reaches the key.
      const win = err instanceof HidAccessDeniedError ? router.webauthn() : null;
      if (win) {
        keys.push(windowsSecurityInfo(info, win));
        continue;
      }
      problems.push({ id: info.path, label: keyLabel(info), error: problemOf(err) });
    }
  }
  return { keys, problems };
}

function problemOf(err: unknown): SecurityKeyProblem['error'] {
  if (err instanceof NbgError) return { code: err.code, message: err.message };
  return { code: UNTYPED_KEY_ERROR, message: `This security key is connected but cannot be used (${errorMessage(err)}).` };
}

/** What can be said of a key that only Windows Security can reach: little, and the rest is Windows' to ask. */
function windowsSecurityInfo(info: HidDeviceInfo, win: WebAuthnWin): SecurityKeyInfo {
  return {
    id: info.path,
    label: info.path === WINDOWS_SECURITY_KEY_PATH ? keyLabel(info) : `${keyLabel(info)} through Windows Security`,
    vendorId: info.vendorId,
    productId: info.productId,
    versions: [],
    aaguid: '',
    pin: 'windows',
    algorithms: ['ed25519-sk', 'ecdsa-sk'],
    residentKeys: true,
    credProtect: win.apiVersion >= ApiVersion.V2, // the first with the credProtect extension
    credentialManagement: false,
    builtInUv: false,
    windowsSecurity: true,
  };
}

async function describe(key: OpenKey): Promise<SecurityKeyInfo> {
  const c = key.ctap;
  const pin = c.options.clientPin === undefined ? 'unsupported' : c.options.clientPin ? 'set' : 'unset';
  const out: SecurityKeyInfo = {
    id: key.info.path,
    label: keyLabel(key.info),
    vendorId: key.info.vendorId,
    productId: key.info.productId,
    versions: c.versions,
    aaguid: c.aaguid.toString('hex'),
    pin,
    algorithms: await keyAlgorithms(key),
    residentKeys: c.options.rk === true,
    credProtect: c.extensions.includes('credProtect'),
    credentialManagement: c.options.credMgmt === true || c.options.credentialMgmtPreview === true,
    builtInUv: c.options.uv === true,
  };
  if (key.info.serialNumber) out.serialNumber = key.info.serialNumber;
  if (c.firmwareVersion !== undefined) out.firmwareVersion = c.firmwareVersion;
  if (c.remainingDiscoverableCredentials !== undefined) out.remainingResidentKeys = c.remainingDiscoverableCredentials;
  if (pin === 'set') out.pinRetries = (await key.client.getPinRetries()).retries;
  return out;
}
