// The signed-in user's Entra groups from Microsoft Graph: direct (/me/memberOf) and all, nested
// included (/me/transitiveMemberOf). Both answer with User.Read; without a directory permission a
// group may come back with its id only (displayName null), so names are optional.
import { z } from 'zod';
import type { CloudEndpoints } from '../auth/config';
import { withDeadline } from '../net/deadline';
import type { AzureHttp } from './http';

/** The OData cast keeps only groups (not directory roles or administrative units); $select keeps pages small. */
const GROUPS_ONLY = '/microsoft.graph.group?$select=id,displayName&$top=999';

const groupSchema = z.object({ id: z.string(), displayName: z.string().nullish() }).passthrough();

export interface GroupMemberships {
  /** Group id (lower case) → display name, or null when Graph gave none. */
  direct: Map<string, string | null>;
  /** Every group, nested membership included. */
  all: Map<string, string | null>;
}

export class GraphGroups {
  constructor(private readonly http: AzureHttp, private readonly endpoints: CloudEndpoints, private readonly deadlineMs?: number) {}

  private async list(relation: 'memberOf' | 'transitiveMemberOf'): Promise<Map<string, string | null>> {
    const url = `${this.endpoints.graphEndpoint}/v1.0/me/${relation}${GROUPS_ONLY}`;
    const groups = await this.http.listAll(`list your groups (Graph ${relation})`, 'graph', url, groupSchema, (g) => g.id.toLowerCase());
    return new Map(groups.map((g) => [g.id.toLowerCase(), g.displayName ?? null]));
  }

  memberships(): Promise<GroupMemberships> {
    const read = async (): Promise<GroupMemberships> => {
      const [direct, all] = await Promise.all([this.list('memberOf'), this.list('transitiveMemberOf')]);
      // A direct group is also a member of "all", whatever the second page said.
      for (const [id, name] of direct) if (!all.has(id)) all.set(id, name);
      return { direct, all };
    };
    return this.deadlineMs ? withDeadline(this.deadlineMs, read) : read();
  }
}
