// A long-lived core (the app's core host, `nbg agent`) serves many sessions; one session's bug
// must not end the others. Errors that escape every handler are reported and the process goes
// on: the session that threw has already failed on its own terms (its login settled, its prompt
// closed), so what is left to do is to say so.
import { errorMessage } from './error-codes';
import { inertText } from './inert-text';

export type EscapedErrorOrigin = 'uncaughtException' | 'unhandledRejection';

/** Installs the guard; `report` gets a one-line description (no stack: it may carry data). */
export function guardProcess(report: (line: string, origin: EscapedErrorOrigin) => void): () => void {
  const onError = (origin: EscapedErrorOrigin) => (err: unknown): void => {
    const name = err instanceof Error ? err.name : typeof err;
    report(`${origin}: ${name}: ${inertText(errorMessage(err)).slice(0, 500)}`, origin);
  };
  const onException = onError('uncaughtException');
  const onRejection = onError('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
