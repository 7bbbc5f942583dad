// Typed failures of every Azure, Graph and identity call. Messages name the operation and the
// request id (for a support ticket) and never carry tokens or request bodies.
import { NbgError } from '../../../native/errors';
import { ErrorCode } from '../../shared/error-codes';

/** The server answered with an error envelope (Graph or ARM shape). */
export class AzureApiError extends NbgError {
  constructor(
    readonly status: number,
    readonly apiCode: string,
    readonly apiMessage: string,
    readonly requestId: string | undefined,
    readonly operation: string,
  ) {
    super(
      status === 403 ? ErrorCode.AZURE_FORBIDDEN : status === 404 ? ErrorCode.AZURE_NOT_FOUND : status === 429 ? ErrorCode.AZURE_THROTTLED : ErrorCode.AZURE_API,
      `${operation} failed: HTTP ${status} ${apiCode}: ${apiMessage}${requestId ? ` (request id ${requestId})` : ''}`,
    );
  }
}

// Sign-in (electron/core/auth) raises it too, and auth does not import azure.
export { AzureUnreachableError } from '../net/errors';

/** The reply did not have the shape we rely on. */
export class AzureReplyError extends NbgError {
  constructor(readonly operation: string, detail: string, readonly requestId?: string) {
    super(ErrorCode.AZURE_BAD_REPLY, `${operation}: unexpected reply from Azure (${detail})${requestId ? ` (request id ${requestId})` : ''}`);
  }
}

/** A long-running operation ended in Failed or Canceled, or did not finish in time. */
export class AzureOperationError extends NbgError {
  constructor(readonly operation: string, readonly status: string, detail: string) {
    super(ErrorCode.AZURE_OPERATION, `${operation} ended ${status}${detail ? `: ${detail}` : ''}`);
  }
}

/** Input the operator gave that Azure would reject (checked before anything is sent). */
export class AzureValidationError extends NbgError {
  constructor(readonly problems: string[]) {
    super(ErrorCode.AZURE_INVALID_INPUT, `invalid input: ${problems.join('; ')}`);
  }
}

/** Someone else changed (or created) the resource since we read it, and the operator did not go on. */
export class AzureConflictError extends NbgError {
  constructor(readonly operation: string, detail: string) {
    super(ErrorCode.AZURE_CONFLICT, `${operation}: ${detail}`);
  }
}
