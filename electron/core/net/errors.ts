// Failures of the network below every Azure and identity call.
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

/** No answer at all: refused, reset, DNS, TLS, timeout, or 5xx after every retry. */
export class AzureUnreachableError extends NbgError {
  constructor(readonly operation: string, reason: string, options?: { cause?: unknown }) {
    super(ErrorCode.AZURE_UNREACHABLE, `${operation}: Azure is unreachable (${reason})`, options);
  }
}
