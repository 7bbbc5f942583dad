// Fake Microsoft Graph: /me and the user's open extensions, with the real service's quirks
// (PATCH 204 replacing all custom properties, "An extension already exists with given id.").
import { graphError, json, type FakeReply, type FakeRequest } from './http-util';
import type { FakeUser } from './idp';

export type Extension = Record<string, unknown> & { id: string };

export class FakeGraph {
  extensions: Extension[] = [];
  /** Status PATCH answers with: users get 204; the generic doc says 200. */
  patchStatus: 200 | 204 = 204;
  /** Status of the duplicate-create error (unverified in the real service). */
  duplicateStatus: 400 | 409 = 409;
  /** Writes that changed state, in order. */
  readonly writes: Array<{ op: 'create' | 'update'; id: string }> = [];

  constructor(readonly user: FakeUser) {}

  handle(req: FakeRequest): FakeReply | undefined {
    const p = req.url.pathname;
    if (p === '/v1.0/me' && req.method === 'GET') {
      return json(200, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', businessPhones: [], displayName: this.user.name,
        givenName: null, jobTitle: null, mail: null, mobilePhone: null, officeLocation: null, preferredLanguage: null, surname: null,
        userPrincipalName: this.user.upn, id: this.user.oid,
      });
    }
    if (p === '/v1.0/me/extensions' && req.method === 'GET') {
      return json(200, { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${this.user.oid}')/extensions`, value: this.extensions });
    }
    if (p === '/v1.0/me/extensions' && req.method === 'POST') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body) as Record<string, unknown>;
      } catch {
        return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
      const id = typeof body.extensionName === 'string' ? body.extensionName : '';
      if (!id) return graphError(400, 'Request_BadRequest', 'extensionName is required');
      if (this.extensions.some((e) => e.id === id)) return graphError(this.duplicateStatus, 'Request_BadRequest', 'An extension already exists with given id.');
      const ext: Extension = { ...body, '@odata.type': '#microsoft.graph.openTypeExtension', id };
      this.extensions.push(ext);
      this.writes.push({ op: 'create', id });
      return json(201, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/extensions/$entity', ...ext });
    }
    const m = /^\/v1\.0\/me\/extensions\/([^/]+)$/.exec(p);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const i = this.extensions.findIndex((e) => e.id === id);
      if (i < 0) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      if (req.method === 'GET') return json(200, this.extensions[i]);
      if (req.method === 'PATCH') {
        const body = JSON.parse(req.body) as Record<string, unknown>;
        // PATCH replaces the whole set of custom properties.
        this.extensions[i] = { ...body, '@odata.type': '#microsoft.graph.openTypeExtension', id, extensionName: id };
        this.writes.push({ op: 'update', id });
        return this.patchStatus === 204 ? { status: 204 } : json(200, this.extensions[i]);
      }
    }
    return undefined;
  }
}
