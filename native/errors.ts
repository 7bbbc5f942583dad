// Base of every typed error in the app. `code` is stable and machine-readable; `message` is
// written for an operator at 3 a.m. (what happened, what to do). Never put secrets in either.
export class NbgError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
