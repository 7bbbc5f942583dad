// Failures of the network below every Azure and identity call.
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

/** No answer at all: refused, reset, DNS, TLS, timeout, or 5xx after every retry. */
export class AzureUnreachableError extends NbgError {
  constructor(readonly operation: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.AZURE_UNREACHABLE, `${operation}: Azure is unreachable (${reason})`, options);
  }
}

/** The user action's overall deadline passed (or a wait Azure asked for would pass it). */
export class ActionDeadlineError extends AzureUnreachableError {
  constructor(operation: string, budgetMs: number, detail = '') {
    super(operation, `no complete answer within the ${Math.round(budgetMs / 1000)} s allowed for this action${detail ? `; ${detail}` : ''}`);
  }
}
