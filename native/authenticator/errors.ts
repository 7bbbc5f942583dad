import { NbgError } from '../errors';
import { ErrorCode } from '../../electron/shared/error-codes';

// Defined where the layers below raise them; part of the facade's error set.
export { FlagsMismatchError } from '../ctap2/get-assertion';
export { CancelledError } from '../interaction';

export class NoSecurityKeyError extends NbgError {
  constructor() {
    super(ErrorCode.NO_SECURITY_KEY, 'No security key found. Plug in your YubiKey and try again.');
  }
}

export class KeyCapabilityError extends NbgError {
  constructor(message: string) {
    super(ErrorCode.KEY_CAPABILITY, message);
  }
}

export class PinNotSetError extends NbgError {
  constructor() {
    super(ErrorCode.PIN_NOT_SET, 'This security key has no PIN yet. Set a PIN first (nbg keys set-pin), then try again.');
  }
}

export class NotOnThisKeyError extends NbgError {
  constructor() {
    super(ErrorCode.KEY_NOT_ON_DEVICE, 'The connected security key does not hold this SSH key. Plug in the key you enrolled it on.');
  }
}

export class ResidentKeyExistsError extends NbgError {
  constructor(application: string) {
    super(ErrorCode.RESIDENT_KEY_EXISTS, `The security key already holds an SSH key for "${application}" with this user id; it was kept. Confirm replacing it, or choose another user id to keep both.`);
  }
}

/** The action ran in an elevated copy of the app (UAC); its results are there, not here. */
export class ElevatedElsewhereError extends NbgError {
  constructor() {
    super(ErrorCode.DONE_ELEVATED, 'That step ran in the elevated window Windows opened; check its result there, then continue here.');
  }
}
