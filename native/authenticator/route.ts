// Which way one key operation reaches the key: raw HID when the OS lets us open it; on
// non-elevated Windows, webauthn.dll or an elevated copy of the app (transport-choice.ts).
import type { HidDeviceInfo } from '../hid/connection';
import type { PromptContext, UserInteraction } from '../interaction';
import type { WebAuthnWin } from '../webauthn-win/webauthn-win';
import { openKey, type OpenKey } from './device';
import { ElevatedElsewhereError } from './errors';
import type { KeySource } from './key-source';
import { chooseTransport, type KeyAction } from './transport-choice';
import { listWithWindowsSecurity, withWindowsSecurityKey, type DeviceListing } from './windows-security';

/** Windows without admin rights: raw FIDO HID is refused, so enroll and sign use webauthn.dll. */
export interface WindowsRoute {
  platform?: NodeJS.Platform;
  /** webauthn.dll when usable (tryCreateWebAuthnWin), else null. Called at most once. */
  webauthn: () => WebAuthnWin | null;
  /** Runs one raw-HID action in an elevated copy of the app (UAC); absent: the operator is told to. */
  relaunchElevated?: (action: KeyAction) => Promise<void>;
}

/** One operation per transport; `windows` absent: the action needs raw HID (elevation is offered). */
export interface Route<T> {
  hid: (key: OpenKey) => Promise<T>;
  windows?: (win: WebAuthnWin) => Promise<T>;
}

export class KeyRouter {
  /** The key source, plus the Windows Security stand-in key when there is a Windows route. */
  readonly source: KeySource;
  private webauthnLoaded: WebAuthnWin | null | undefined;
  private readonly windowsSecurityAvailable: () => boolean;

  constructor(private readonly usb: KeySource, private readonly interaction: UserInteraction, private readonly windows?: WindowsRoute) {
    this.windowsSecurityAvailable = () => this.webauthn() !== null;
    this.source = windows ? withWindowsSecurityKey(usb, this.windowsSecurityAvailable) : usb;
  }

  /** The keys `source` lists, plus why USB keys could not be listed when Windows Security is offered regardless. */
  async listing(): Promise<DeviceListing> {
    return this.windows ? listWithWindowsSecurity(this.usb, this.windowsSecurityAvailable) : { devices: await this.usb.list() };
  }

  /** Runs `f` on the key over raw HID and closes it afterwards. */
  async withKey<T>(info: HidDeviceInfo, f: (key: OpenKey) => Promise<T>): Promise<T> {
    const key = await openKey(this.source, info);
    try {
      return await f(key);
    } finally {
      await closeQuietly(key);
    }
  }

  /**
   * webauthn.dll on Windows when it loads; null elsewhere and without a Windows route. A Windows
   * without a usable webauthn.dll is an expected case (tryCreateWebAuthnWin), not a failure: raw
   * HID then reports its own error.
   */
  webauthn(): WebAuthnWin | null {
    if (this.webauthnLoaded === undefined) {
      this.webauthnLoaded = this.windows && (this.windows.platform ?? process.platform) === 'win32' ? this.windows.webauthn() : null;
    }
    return this.webauthnLoaded;
  }

  async route<T>(action: KeyAction, info: HidDeviceInfo, context: PromptContext, route: Route<T>): Promise<T> {
    if (!this.windows) return this.withKey(info, route.hid);
    const choice = await chooseTransport(action, {
      platform: this.windows.platform ?? process.platform,
      openHid: () => openKey(this.source, info),
      webAuthnAvailable: () => route.windows !== undefined && this.webauthn() !== null,
      ...(this.windows.relaunchElevated ? { relaunchElevated: this.windows.relaunchElevated } : {}),
      interaction: this.interaction,
      context,
    });
    if (choice.kind === 'hid') {
      try {
        return await route.hid(choice.connection);
      } finally {
        await closeQuietly(choice.connection);
      }
    }
    const win = this.webauthn();
    if (choice.kind === 'webauthn-win' && route.windows && win) return route.windows(win);
    throw new ElevatedElsewhereError();
  }
}

/** After the operation's own outcome: a key unplugged meanwhile has nothing left to close. */
async function closeQuietly(key: OpenKey): Promise<void> {
  await key.close().catch(() => undefined);
}
