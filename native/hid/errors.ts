import { NbgError } from '../errors';
import { ErrorCode } from '../../electron/shared/error-codes';

/** The key was unplugged (or its handle died) while we were using it. */
export class DeviceGoneError extends NbgError {
  constructor(options?: { cause?: unknown }) {
    super(ErrorCode.DEVICE_GONE, 'The security key was removed. Plug it back in and try again.', options);
  }
}

/** What the operator does about a refused open, per OS (README, "Requirements per OS"). */
function accessAdvice(platform: NodeJS.Platform): string {
  if (platform === 'linux') {
    return 'This user may not open the key\'s hidraw device: the udev rule for FIDO keys is missing or not applied. ' +
      'Add it (README, "Requirements per OS"), run `sudo udevadm control --reload-rules && sudo udevadm trigger`, then re-plug the key.';
  }
  if (platform === 'win32') {
    return 'Windows lets only programs running as Administrator open a security key directly; ' +
      'use the Windows Security route or run this step as Administrator.';
  }
  return 'Check that no other program holds the key exclusively, then re-plug it.';
}

/**
 * The OS refused to open the FIDO interface. On Windows 10 1903+ this is the normal case for a
 * non-elevated process: the caller switches to the Windows WebAuthn path when it sees this code.
 */
export class HidAccessDeniedError extends NbgError {
  constructor(options?: { cause?: unknown; platform?: NodeJS.Platform }) {
    super(ErrorCode.HID_ACCESS_DENIED,
      `Access to the security key was denied by the operating system. ${accessAdvice(options?.platform ?? process.platform)}`, options);
  }
}

export class HidOpenError extends NbgError {
  constructor(options?: { cause?: unknown }) {
    super(ErrorCode.HID_OPEN_FAILED, 'The security key could not be opened. Unplug it, plug it back in and try again.', options);
  }
}

/** What to check when the USB HID layer cannot start, per OS. */
const ENUMERATION_HINT: Partial<Record<NodeJS.Platform, string>> = {
  linux: 'Check that libusb-1.0-0 is installed (README, "Requirements per OS").',
  win32: 'Windows could not start its HID device services for this program; reinstall Nexus Break-Glass, and if it persists report it with this message.',
};
const DEFAULT_ENUMERATION_HINT = 'Reinstall Nexus Break-Glass; if it persists report it with this message.';

/** USB HID enumeration itself failed (node-hid missing or broken): no key can be seen at all. */
export class HidEnumerationError extends NbgError {
  constructor(options?: { cause?: unknown; platform?: NodeJS.Platform }) {
    super(ErrorCode.HID_UNAVAILABLE,
      `Security keys cannot be listed: the USB HID layer failed (${describeCause(options?.cause)}). ` +
      (ENUMERATION_HINT[options?.platform ?? process.platform] ?? DEFAULT_ENUMERATION_HINT), options);
  }
}

export class HidIoError extends NbgError {
  constructor(what: string, options?: { cause?: unknown }) {
    super(ErrorCode.HID_IO, `Talking to the security key failed (${what}).`, options);
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
