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
    const membership = /^\/v1\.0\/me\/(memberOf|transitiveMemberOf)(\/microsoft\.graph\.group)?$/.exec(p);
    if (membership && req.method === 'GET') return this.memberships(req, membership[1] === 'transitiveMemberOf', Boolean(membership[2]));
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

  /** Page size when the request gives no $top ("The default and maximum page sizes are 100 and 999"). */
  membershipPageSize = 100;

  /**
   * GET /me/memberOf and /me/transitiveMemberOf, as the Graph v1.0 reference pages
   * user-list-memberof and user-list-transitivememberof (microsoftgraph/microsoft-graph-docs-contrib,
   * api-reference/v1.0/api/) show them: directoryObjects of mixed types (a directory role here too),
   * the OData cast /microsoft.graph.group keeping groups only, $select, $top up to 999, paging by
   * @odata.nextLink. With User.Read only, a group may come back with its id alone (displayName null).
   */
  private memberships(req: FakeRequest, transitive: boolean, groupsOnly: boolean): FakeReply {
    const ids = [...this.user.groups, ...(transitive ? this.user.nestedGroups ?? [] : [])];
    const objects: Array<Record<string, unknown>> = ids.map((id) => ({
      '@odata.type': '#microsoft.graph.group', id, displayName: this.user.groupNames?.[id] ?? null, securityEnabled: true, groupTypes: [],
    }));
    if (!groupsOnly) objects.push({ '@odata.type': '#microsoft.graph.directoryRole', id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', displayName: 'Directory Readers', roleTemplateId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b' });
    const top = Math.min(999, Number(req.url.searchParams.get('$top') ?? this.membershipPageSize) || this.membershipPageSize);
    const pageSize = Math.min(top, this.membershipPageSize);
    const skip = Number(req.url.searchParams.get('$skiptoken') ?? '0');
    const select = req.url.searchParams.get('$select')?.split(',');
    const shaped = objects.slice(skip, skip + pageSize).map((o) => (select ? Object.fromEntries(Object.entries(o).filter(([k]) => k === '@odata.type' || select.includes(k))) : o));
    const body: Record<string, unknown> = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects', value: shaped };
    if (skip + pageSize < objects.length) {
      const next = new URL(req.url.toString());
      next.searchParams.set('$skiptoken', String(skip + pageSize));
      body['@odata.nextLink'] = next.toString();
    }
    return json(200, body);
  }
}
