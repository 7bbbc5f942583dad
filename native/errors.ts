import type { ErrorCode } from '../electron/shared/error-codes';

// Base of every typed error in the app. `code` is stable and machine-readable (one of the
// catalogue's, so tsc refuses an unknown one); `message` is written for an operator at 3 a.m.
// (what happened, what to do). Never put secrets in either.
export class NbgError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export { errorMessage } from '../electron/shared/error-codes';

/** The catalogue code of an NbgError; undefined for anything else, Node system errors included. */
export function errorCode(err: unknown): ErrorCode | undefined {
  return err instanceof NbgError ? err.code : undefined;
}

/** A Node system error with this errno code (ENOENT, EEXIST...); these codes are Node's, not the catalogue's. */
export function isNodeError(err: unknown, code: string): err is NodeJS.ErrnoException {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}
