// The OS services main offers core (OsServices over the wire): system browser, safeStorage, HWND,
// and (Windows) one key step run in an elevated copy of the app.
import { ErrorCode } from '../shared/error-codes';
import type { ElevatedAction } from '../shared/keys';
import { WINDOWS_KEY_SETTINGS_URI } from '../shared/pin-change';
import type { OsRequest } from '../shared/wire';
import { isAllowedExternalUrl } from './security';

export class ExternalUrlRefusedError extends Error {
  readonly code = ErrorCode.EXTERNAL_URL_REFUSED;
  constructor() {
    super('Only https sign-in and documentation pages may be opened in the browser.');
  }
}

export class ProtectionUnavailableError extends Error {
  readonly code = ErrorCode.OS_PROTECTION_UNAVAILABLE;
  constructor() {
    super('The operating system offers no encryption for app secrets (on Linux: no keyring running).');
  }
}

export interface OsSlices {
  openExternal(url: string): Promise<void>;
  safeStorage: {
    isEncryptionAvailable(): boolean;
    encryptString(plain: string): Buffer;
    decryptString(encrypted: Buffer): string;
  };
  /** The main window's native handle, when there is a window. */
  nativeWindowHandle(): Buffer | null;
  /** Starts the elevated copy for one step (elevated-step.ts) and resolves when it succeeded. */
  relaunchElevated(action: ElevatedAction): Promise<void>;
  /** The OS's own opener (shell.openExternal) for a system page; only ever given the fixed settings URI. */
  openSystemPage(uri: string): Promise<void>;
}

/** Answers one OS request from core. Bytes travel base64; safeStorage works on latin1 strings of them. */
export async function handleOsRequest(os: OsSlices, request: OsRequest): Promise<string | null> {
  switch (request.op) {
    case 'openExternal':
      if (!isAllowedExternalUrl(request.url)) throw new ExternalUrlRefusedError();
      await os.openExternal(request.url);
      return null;
    case 'protect': {
      if (!os.safeStorage.isEncryptionAvailable()) throw new ProtectionUnavailableError();
      return os.safeStorage.encryptString(Buffer.from(request.data, 'base64').toString('latin1')).toString('base64');
    }
    case 'unprotect': {
      if (!os.safeStorage.isEncryptionAvailable()) throw new ProtectionUnavailableError();
      return Buffer.from(os.safeStorage.decryptString(Buffer.from(request.data, 'base64')), 'latin1').toString('base64');
    }
    case 'windowHandle':
      return os.nativeWindowHandle()?.toString('base64') ?? null;
    case 'relaunchElevated':
      await os.relaunchElevated(request.action);
      return null;
    case 'openKeySettings':
      await os.openSystemPage(WINDOWS_KEY_SETTINGS_URI);
      return null;
  }
}
