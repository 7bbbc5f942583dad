// What Electron main offers core (core never imports electron). Bytes are base64 on the wire.
import type { ElevatedAction } from './keys';

/** What the save dialog shows: its title, the file name it proposes (a bare name), one file type. */
export interface SaveFileRequest {
  title: string;
  defaultName: string;
  filter: { name: string; extensions: string[] };
}

export interface OsServices {
  /** Opens an https URL in the system browser (sign-in). Main refuses anything else. */
  openExternal(url: string): Promise<void>;
  /** Encrypts bytes for this OS user (safeStorage / DPAPI / Keychain). */
  protect(data: Uint8Array): Promise<Uint8Array>;
  unprotect(data: Uint8Array): Promise<Uint8Array>;
  /** The main window's native handle (HWND on Windows, for webauthn.dll dialogs and the sign-in broker); null elsewhere. */
  windowHandle(): Promise<Uint8Array | null>;
  /**
   * Windows: runs one raw-HID step in an elevated copy of the app (UAC asks) and resolves when it
   * succeeded there; rejects when it was declined, failed or was cancelled.
   */
  relaunchElevated(action: ElevatedAction): Promise<void>;
  /** Windows: opens Settings → Sign-in options, where Windows changes a security key's PIN without admin rights. */
  openKeySettings(): Promise<void>;
  /** The OS save dialog: the path the operator chose, or null when they cancelled. */
  chooseSaveFile(request: SaveFileRequest): Promise<string | null>;
}
