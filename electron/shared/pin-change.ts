// Where a security key's PIN can be changed. Raw HID (CTAP2 clientPIN) changes it here; a key
// reached through Windows Security (non-elevated Windows, webauthn.dll) cannot be, because the
// Windows WebAuthn API has no PIN-change call. Windows' own settings page can, without admin rights.
import type { KeyDevice } from './keys';

/** Settings → Accounts → Sign-in options, where Windows manages a security key's PIN. */
export const WINDOWS_KEY_SETTINGS_URI = 'ms-settings:signinoptions';

export type PinChangeRoute = 'on-key' | 'windows-settings';

export function pinChangeRoute(transport: KeyDevice['transport']): PinChangeRoute {
  return transport === 'webauthn' ? 'windows-settings' : 'on-key';
}

/** What the key panel and `nbg keys change-pin` say on the Windows Security route. */
export const WINDOWS_PIN_CHANGE_TEXT =
  'Windows lets only programs running as Administrator talk to the security key directly, and the Windows ' +
  'security-key API (WebAuthn) has no call to change a PIN. Change it in Windows Settings: Accounts → ' +
  'Sign-in options → Security Key → Manage (no admin rights needed), or run this app as Administrator.';
