import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError } from '../errors';

/** The key was unplugged (or its handle died) while we were using it. */
export class DeviceGoneError extends NbgError {
  constructor(options?: { cause?: unknown }) {
    super(ErrorCode.DEVICE_GONE, 'The security key was removed. Plug it back in and try again.', options);
  }
}

/**
 * The OS refused to open the FIDO interface. On Windows 10 1903+ this is the normal case for a
 * non-elevated process: the caller switches to the Windows WebAuthn path when it sees this code.
 */
export class HidAccessDeniedError extends NbgError {
  constructor(options?: { cause?: unknown }) {
    super(ErrorCode.HID_ACCESS_DENIED,
      'Access to the security key was denied by the operating system. On Windows use the built-in ' +
      'Windows Security dialog (or run elevated); on Linux install the FIDO udev rules.', options);
  }
}

export class HidOpenError extends NbgError {
  constructor(options?: { cause?: unknown }) {
    super(ErrorCode.HID_OPEN_FAILED, 'The security key could not be opened. Unplug it, plug it back in and try again.', options);
  }
}

export class HidIoError extends NbgError {
  constructor(what: string, options?: { cause?: unknown }) {
    super(ErrorCode.HID_IO, `Talking to the security key failed (${what}).`, options);
  }
}
