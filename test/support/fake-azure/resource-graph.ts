// Azure Resource Graph, POST /providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01,
// shaped by azure-rest-api-specs
//   specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/resourcegraph.json
//   .../stable/2024-04-01/examples/ResourcesFirstPageQuery.json and ResourcesNextPageQuery.json:
// a reply is {totalRecords, count, resultTruncated: "true" | "false" (a string), facets, data, $skipToken?};
// the next page repeats the same query with options.$skipToken; $top is at most 1000.
// Rules from "Working with large Azure resource data sets" (MicrosoftDocs/azure-docs,
// articles/governance/resource-graph/concepts/work-with-data.md): a query with summarize is answered
// from its first page only (no $skipToken, resultTruncated "true" when rows were dropped), and so
// is one with limit/take/sample. The fake does not evaluate KQL: it answers the inventory query
// (recognised by its projected row kinds) from its resource store, applying those rules.
import { randomUUID } from 'node:crypto';
import { armError, json, type FakeReply, type FakeRequest } from './http-util';
import type { StoredResource } from './keysets';

const MAX_TOP = 1000;
const lc = (s: string): string => s.toLowerCase();
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export class FakeResourceGraph {
  /** Make every query fail with this status (403 forbidden, 400 bad query, 503...). */
  status: number | undefined;
  /** The service's own cap on $top. */
  pageSize = MAX_TOP;
  private readonly pages = new Map<string, unknown[]>();

  constructor(private readonly resources: () => Iterable<StoredResource>, private readonly visible: (subscription: string, id: string) => boolean) {}

  handle(req: FakeRequest): FakeReply {
    if (this.status) {
      return this.status === 403
        ? armError(403, 'AuthorizationFailed', 'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read')
        : armError(this.status, 'ServiceUnavailable', 'Resource Graph is unavailable');
    }
    const body = JSON.parse(req.body) as { subscriptions?: string[]; query?: string; options?: { $top?: number; $skip?: number; $skipToken?: string } };
    const query = lc(body.query ?? '');
    const top = Math.min(body.options?.$top ?? 100, this.pageSize, MAX_TOP);
    let rows: unknown[];
    let offset = 0;
    if (body.options?.$skipToken) {
      const [key, off] = Buffer.from(body.options.$skipToken, 'base64').toString().split(':');
      const cached = this.pages.get(key ?? '');
      if (!cached) return armError(400, 'InvalidSkipToken', 'The $skipToken is invalid');
      rows = cached;
      offset = Number(off);
    } else {
      if (!(query.includes("kind = 'device'") && query.includes("kind = 'fabric'"))) {
        return armError(400, 'BadRequest', 'the fake Resource Graph answers only the inventory query');
      }
      rows = this.inventoryRows(body.subscriptions);
    }
    const data = rows.slice(offset, offset + top);
    const firstPageOnly = /\|\s*(summarize|limit|take|sample)\b/.test(query);
    const more = offset + top < rows.length;
    const key = randomUUID();
    if (more && !firstPageOnly) this.pages.set(key, rows);
    return json(200, {
      totalRecords: rows.length, count: data.length, resultTruncated: more && firstPageOnly ? 'true' : 'false', facets: [], data,
      ...(more && !firstPageOnly ? { $skipToken: Buffer.from(`${key}:${offset + top}`).toString('base64') } : {}),
    });
  }

  /** What the inventory KQL returns: one row per device (fabric through its rack when missing) and per fabric, by id. */
  private inventoryRows(subscriptions: string[] | undefined): unknown[] {
    const subs = subscriptions && new Set(subscriptions.map(lc));
    const all = [...this.resources()].filter((r) => !subs || (subs.has(lc(r.id.split('/')[2] ?? '')) && this.visible(r.id.split('/')[2] ?? '', r.id)));
    const of = (t: string): StoredResource[] => all.filter((r) => lc(r.type) === t);
    const racks = new Map(of('microsoft.managednetworkfabric/networkracks').map((r) => [lc(r.id), lc(str(r.properties?.networkFabricId))]));
    const devices = of('microsoft.managednetworkfabric/networkdevices').map((d) => {
      const p = d.properties ?? {};
      return {
        kind: 'device', id: d.id, name: d.name, fabricId: lc(str(p.networkFabricId)) || racks.get(lc(str(p.networkRackId))) || '',
        role: str(p.networkDeviceRole), host: str(p.hostName), mgmt4: str(p.managementIpv4Address), mgmt6: str(p.managementIpv6Address),
        serial: str(p.serialNumber), version: str(p.version), adminState: str(p.administrativeState), configState: str(p.configurationState),
        provState: str(p.provisioningState), operState: str(p.operationalState),
      };
    });
    const fabrics = of('microsoft.managednetworkfabric/networkfabrics').map((f) => ({
      kind: 'fabric', id: f.id, name: f.name, subscriptionId: f.id.split('/')[2], resourceGroup: f.id.split('/')[4], location: str(f.location),
      provState: str(f.properties?.provisioningState), adminState: str(f.properties?.administrativeState), configState: str(f.properties?.configurationState),
    }));
    return [...devices, ...fabrics].sort((a, b) => lc(a.id).localeCompare(lc(b.id)));
  }
}
