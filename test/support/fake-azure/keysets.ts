// NetworkCloud bareMetalMachineKeySets writes, shaped by the spec examples (azure-rest-api-specs,
// specification/networkcloud/resource-manager/Microsoft.NetworkCloud/NetworkCloud/):
// - PUT  stable/2025-09-01/examples/BareMetalMachineKeySets_Create.json: 201 (new) or 200 (replaced),
//        body = the resource, Azure-AsyncOperation = operationStatuses.
// - PATCH stable/2025-09-01/examples/BareMetalMachineKeySets_Patch.json: 202, no body, Azure-AsyncOperation
//        and Location both = operationStatuses.
// - DELETE examples/2025-09-01/BareMetalMachineKeySets_Delete.json: 202 with Location = operationStatuses,
//        or 204 when there is nothing to delete.
// ETags and If-Match / If-None-Match per ./etags.ts; the operations per ./operations.ts.
import { armError, json, type FakeReply, type FakeRequest } from './http-util';
import { newEtag, preconditionFailure } from './etags';
import type { FakeOperations } from './operations';
import type { FakeUser } from './idp';

export type StoredResource = Record<string, unknown> & { id: string; name: string; type: string; etag?: unknown; properties?: Record<string, unknown> };

export interface ResourceStore {
  get(id: string): StoredResource | undefined;
  put(r: StoredResource): void;
  remove(id: string): void;
}

/** Fields a PATCH may carry (BareMetalMachineKeySetPatchProperties). */
const PATCHABLE = new Set(['expiration', 'jumpHostsAllowed', 'userList']);

export class FakeKeysets {
  readonly writes: Array<{ method: string; id: string; body: string; headers: Record<string, string | string[] | undefined> }> = [];

  constructor(private readonly store: ResourceStore, private readonly ops: FakeOperations, private readonly user: FakeUser) {}

  /** What NetworkCloud reports after validating users against Entra (the fake: UPN in the tenant's domain). */
  private status(users: Array<Record<string, unknown>>): Record<string, unknown> {
    const status = users.map((u) => {
      const upn = typeof u.userPrincipalName === 'string' ? u.userPrincipalName : '';
      const ok = upn.endsWith(`@${this.user.upn.split('@')[1]}`);
      return { azureUserName: u.azureUserName, status: ok ? 'Active' : 'Invalid', statusMessage: ok ? 'User is active on all machines' : `User ${upn || '(no UPN)'} is not a member of the group` };
    });
    const active = status.filter((s) => s.status === 'Active').length;
    const invalid = status.filter((s) => s.status === 'Invalid').map((s) => s.azureUserName);
    return {
      detailedStatus: active === status.length ? 'AllActive' : active === 0 ? 'AllInvalid' : 'SomeInvalid', userListStatus: status, lastValidation: new Date().toISOString(),
      detailedStatusMessage: invalid.length ? `Invalid Azure user(s) were provided: ${invalid.join(', ')}` : 'All users are active',
    };
  }

  private settle(r: StoredResource): void {
    r.properties = { ...r.properties, provisioningState: 'Succeeded', ...this.status((r.properties?.userList as Array<Record<string, unknown>>) ?? []) };
  }

  write(req: FakeRequest, path: string): FakeReply | undefined {
    this.writes.push({ method: req.method, id: path, body: req.body, headers: req.headers });
    const existing = this.store.get(path);
    const refused = preconditionFailure(req, existing);
    if (refused) return refused;
    const retry = { 'retry-after': this.ops.retryAfter };
    if (req.method === 'PUT') {
      const body = JSON.parse(req.body) as { location: string; extendedLocation: unknown; properties: Record<string, unknown>; tags?: unknown };
      const resource: StoredResource = {
        id: path, name: path.split('/').pop()!, type: 'Microsoft.NetworkCloud/clusters/bareMetalMachineKeySets', etag: newEtag(),
        location: body.location, extendedLocation: body.extendedLocation, tags: body.tags ?? {},
        properties: { ...body.properties, provisioningState: 'Accepted', detailedStatus: 'Validating' },
      };
      this.store.put(resource);
      const url = this.ops.start(path, () => this.settle(resource));
      return json(existing ? 200 : 201, resource, { 'azure-asyncoperation': url, ...retry });
    }
    if (req.method === 'PATCH') {
      if (!existing) return armError(404, 'ResourceNotFound', `keyset ${path} not found`);
      const body = JSON.parse(req.body) as { properties?: Record<string, unknown>; tags?: unknown };
      const forbidden = Object.keys(body.properties ?? {}).filter((k) => !PATCHABLE.has(k));
      if (forbidden.length) return armError(400, 'InvalidRequestContent', `properties cannot be updated: ${forbidden.join(', ')}`);
      // Accepted writes are visible at once (a concurrent reader sees them and the new ETag).
      existing.properties = { ...existing.properties, ...body.properties, provisioningState: 'Accepted' };
      existing.etag = newEtag();
      if (body.tags) existing.tags = body.tags;
      const url = this.ops.start(path, () => this.settle(existing));
      return { status: 202, headers: { 'azure-asyncoperation': url, location: url, ...retry } };
    }
    if (req.method === 'DELETE') {
      if (!existing) return { status: 204 };
      const url = this.ops.start(path, () => this.store.remove(path));
      return { status: 202, headers: { location: url, ...retry } };
    }
    return undefined;
  }
}
