// Optimistic concurrency as the ARM resource provider contract defines it
// (Azure/azure-resource-manager-rpc, v1.0/resource-api-reference.md, "ETags for resources"):
// a resource carries `etag` in its body and an ETag header on GET; a PUT, PATCH or DELETE with
// If-Match that does not equal the current ETag, or a PUT with If-None-Match: * on a resource that
// exists, answers 412 PreconditionFailed and changes nothing. Every accepted write gets a new ETag.
import { randomUUID } from 'node:crypto';
import { armError, type FakeReply, type FakeRequest } from './http-util';

export const newEtag = (): string => `"${randomUUID()}"`;

function header(req: FakeRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The 412 a write meets, or undefined when its preconditions hold. */
export function preconditionFailure(req: FakeRequest, current: { etag?: unknown } | undefined): FakeReply | undefined {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch === '*' && current) {
    return armError(412, 'PreconditionFailed', 'The resource already exists and If-None-Match: * was given.');
  }
  if (ifMatch !== undefined && ifMatch !== '*' && (!current || current.etag !== ifMatch)) {
    return armError(412, 'PreconditionFailed', `The ETag ${ifMatch} does not match the current ETag of the resource.`);
  }
  if (ifMatch === '*' && !current) return armError(412, 'PreconditionFailed', 'The resource does not exist and If-Match: * was given.');
  return undefined;
}
