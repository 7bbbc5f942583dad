// NetworkCloud keyset writes (bareMetalMachineKeySets and bmcKeySets, one code path: the two
// kinds answer alike), shaped by the spec examples (azure-rest-api-specs,
// specification/networkcloud/resource-manager/Microsoft.NetworkCloud/NetworkCloud/):
// - PUT  stable/2025-09-01/examples/BareMetalMachineKeySets_Create.json: 201 (new) or 200 (replaced),
//        body = the resource, Azure-AsyncOperation = operationStatuses.
// - PATCH stable/2025-09-01/examples/BareMetalMachineKeySets_Patch.json: 202, no body, Azure-AsyncOperation
//        and Location both = operationStatuses.
// - DELETE examples/2025-09-01/BareMetalMachineKeySets_Delete.json: 202 with Location = operationStatuses,
//        or 204 when there is nothing to delete.
// BMC keysets, same api-version:
// - PUT    stable/2025-09-01/examples/BmcKeySets_Create.json (commit b2725b61ef2092d7bb869ccb1d10228e638e92e3):
//          201 + Azure-AsyncOperation (operationStatuses), or 200 for a replaced keyset.
// - PATCH  stable/2025-09-01/examples/BmcKeySets_Patch.json (not readable here; azure-sdk-for-go's
//          generated armnetworkcloud example is built from it): answered as for BMM keysets (202 +
//          Azure-AsyncOperation + Location); only expiration and userList are patchable
//          (BmcKeySetPatchProperties in the SDK models).
// - DELETE stable/2025-09-01/examples/BmcKeySets_Delete.json (commit 62bddd89783f97b721353d6685689fc0fce7969f):
//          202 + Location (operationStatuses), or 204.
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

export const BMM_KEYSET_TYPE = 'Microsoft.NetworkCloud/clusters/bareMetalMachineKeySets';
export const BMC_KEYSET_TYPE = 'Microsoft.NetworkCloud/clusters/bmcKeySets';

/** Fields a PATCH may carry: BareMetalMachineKeySetPatchProperties, BmcKeySetPatchProperties. */
const PATCHABLE: Record<string, ReadonlySet<string>> = {
  [BMM_KEYSET_TYPE.toLowerCase()]: new Set(['expiration', 'jumpHostsAllowed', 'userList']),
  [BMC_KEYSET_TYPE.toLowerCase()]: new Set(['expiration', 'userList']),
};

/** The keyset type a path names, or undefined when it is not a keyset. */
export function keysetTypeOf(armType: string): string | undefined {
  return [BMM_KEYSET_TYPE, BMC_KEYSET_TYPE].find((t) => t.toLowerCase() === armType.toLowerCase());
}

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

  write(req: FakeRequest, path: string, type: string): FakeReply | undefined {
    this.writes.push({ method: req.method, id: path, body: req.body, headers: req.headers });
    const existing = this.store.get(path);
    const refused = preconditionFailure(req, existing);
    if (refused) return refused;
    const retry = { 'retry-after': this.ops.retryAfter };
    if (req.method === 'PUT') {
      const body = JSON.parse(req.body) as { location: string; extendedLocation: unknown; properties: Record<string, unknown>; tags?: unknown };
      const resource: StoredResource = {
        id: path, name: path.split('/').pop()!, type, etag: newEtag(),
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
      const patchable = PATCHABLE[type.toLowerCase()]!;
      const forbidden = Object.keys(body.properties ?? {}).filter((k) => !patchable.has(k));
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
