// The OS services main offers core (OsServices over the wire): system browser, safeStorage, HWND,
// the save dialog (exports; core writes the file), and (Windows) one key step run in an elevated copy of the app.
import path from 'node:path';
import { ErrorCode } from '../shared/error-codes';
import type { ElevatedAction } from '../shared/keys';
import { WINDOWS_KEY_SETTINGS_URI } from '../shared/pin-change';
import type { SaveFileRequest } from '../shared/os';
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
  /** The save dialog over the main window, opening in the documents folder; null when cancelled. */
  showSaveDialog(request: SaveFileRequest): Promise<string | null>;
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
    case 'chooseSaveFile':
      return os.showSaveDialog({ title: request.title, defaultName: request.defaultName, filter: request.filter });
  }
}

/** The part of Electron's dialog module the save dialog needs. */
export interface SaveDialogSlice {
  showSaveDialog(options: {
    title: string; defaultPath: string; filters: { name: string; extensions: string[] }[]; properties: ['showOverwriteConfirmation', 'createDirectory'];
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

/** The save dialog, opening in `folder` with the proposed name; the chosen path, or null when cancelled. */
export function saveFileWith(dialog: SaveDialogSlice, folder: string): (request: SaveFileRequest) => Promise<string | null> {
  return async (request) => {
    const result = await dialog.showSaveDialog({
      title: request.title, defaultPath: path.join(folder, path.basename(request.defaultName)),
      filters: [request.filter], properties: ['showOverwriteConfirmation', 'createDirectory'],
    });
    return result.canceled || !result.filePath ? null : result.filePath;
  };
}
