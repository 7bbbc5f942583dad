// Long-running operations as NetworkCloud answers them. A write hands out
//   {arm}/subscriptions/{sub}/providers/Microsoft.NetworkCloud/locations/{loc}/operationStatuses/{id}?api-version=...
// as Azure-AsyncOperation and/or Location (spec examples, azure-rest-api-specs
//   specification/networkcloud/resource-manager/Microsoft.NetworkCloud/NetworkCloud/stable/2025-09-01/examples/BareMetalMachineKeySets_Create.json (201 + Azure-AsyncOperation),
//   .../stable/2025-09-01/examples/BareMetalMachineKeySets_Patch.json (202 + Azure-AsyncOperation + Location, same URL),
//   .../examples/2025-09-01/BareMetalMachineKeySets_Delete.json (202 + Location)),
// and that resource answers 200 with an OperationStatusResult (common-types
//   specification/common-types/resource-management/v5/types.json#/definitions/OperationStatusResult:
//   {id, name, resourceId, status, startTime, endTime, percentComplete, error: ErrorDetail}),
// status moving Accepted -> Provisioning -> Succeeded | Failed | Canceled. It never answers 202.
// ManagedNetworkFabric actions (rotatePasswords) use the same resource under their own provider,
// and their final status may carry per-resource `operations` (see ./fabric-passwords.ts).
import { randomUUID } from 'node:crypto';
import { armError, json, type FakeReply } from './http-util';

export type TerminalStatus = 'Succeeded' | 'Failed' | 'Canceled';

/** The end of an operation that decides it itself, with any extra fields of its final status. */
export type OperationFinish = () => { status: TerminalStatus; error?: Record<string, unknown>; operations?: unknown[] };

interface Operation {
  resourceId: string;
  provider: string;
  apiVersion: string;
  finish?: OperationFinish;
  /** Polls still answering a non-terminal status. */
  remaining: number;
  startTime: string;
  end: TerminalStatus;
  error?: { code: string; message: string };
  /** Applied once, when the operation reaches Succeeded. */
  done: () => void;
}

export const OPERATION_STATUS_PATH = /\/providers\/Microsoft\.(?:NetworkCloud|ManagedNetworkFabric)\/locations\/([^/]+)\/operationStatuses\/([^/]+)$/i;

export class FakeOperations {
  /** Polls an operation stays Accepted/Provisioning. */
  polls = 2;
  /** Retry-After (seconds) on replies; ARM sends one, tests want it short. */
  retryAfter = '0';
  /** The next operation ends this way instead of Succeeded. */
  next: { status: Exclude<TerminalStatus, 'Succeeded'>; error: { code: string; message: string } } | undefined;
  private readonly ops = new Map<string, Operation>();

  constructor(private readonly base: string) {}

  /** Starts an operation on `resourceId`; returns the operationStatuses URL. */
  start(resourceId: string, done: () => void, opts: { provider?: string; apiVersion?: string; finish?: OperationFinish } = {}): string {
    const id = randomUUID();
    const outcome = this.next;
    this.next = undefined;
    const provider = opts.provider ?? 'Microsoft.NetworkCloud';
    const apiVersion = opts.apiVersion ?? '2025-09-01';
    this.ops.set(id, {
      resourceId, provider, apiVersion, remaining: this.polls, startTime: new Date().toISOString(), end: outcome?.status ?? 'Succeeded',
      ...(outcome ? { error: outcome.error } : {}), ...(opts.finish ? { finish: opts.finish } : {}), done,
    });
    const sub = resourceId.split('/')[2];
    return `${this.base}/subscriptions/${sub}/providers/${provider}/locations/eastus/operationStatuses/${id}?api-version=${apiVersion}`;
  }

  poll(id: string): FakeReply {
    const op = this.ops.get(id);
    if (!op) return armError(404, 'OperationNotFound', `operation ${id} not found`);
    const body: Record<string, unknown> = { id: `/providers/${op.provider}/locations/eastus/operationStatuses/${id}`, name: id, resourceId: op.resourceId, startTime: op.startTime };
    if (op.remaining > 0) {
      op.remaining--;
      return json(200, { ...body, status: op.remaining === this.polls - 1 ? 'Accepted' : 'Provisioning', percentComplete: 50 }, { 'retry-after': this.retryAfter });
    }
    if (op.finish) {
      const end = op.finish();
      op.finish = () => end;
      return json(200, { ...body, endTime: new Date().toISOString(), ...end });
    }
    if (op.end === 'Succeeded') op.done();
    op.done = () => {};
    return json(200, { ...body, status: op.end, endTime: new Date().toISOString(), percentComplete: 100, ...(op.error ? { error: { ...op.error, target: null, details: [], additionalInfo: [] } } : {}) });
  }

  get pending(): number {
    return [...this.ops.values()].filter((o) => o.remaining > 0).length;
  }
}
