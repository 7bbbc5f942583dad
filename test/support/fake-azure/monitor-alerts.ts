// Fake Azure Monitor alerting on the fake ARM: action groups and scheduled query rules, the two
// resources `nbg admin alerts` writes, and Log Analytics workspaces it reads. Shapes and rules
// follow Azure/azure-rest-api-specs specification/monitor/resource-manager/Microsoft.Insights:
//  - stable/2023-01-01/actionGroups_API.json (commit 874fcb6a7580a69789dee5a67d8ec27fa7c14d58):
//    PUT answers 201 when created and 200 when updated; groupShortName and enabled are required,
//    groupShortName at most 12 characters; email/sms/webhook receivers need name + address fields;
//  - stable/2023-01-01/examples/getActionGroup.json (commit df74858bfda6128d16c98265db2a6f42e89b20ff):
//    the reply shape (type "Microsoft.Insights/ActionGroups", location "Global", every receiver
//    list present, e-mail and SMS receivers with a read-only "status": "Enabled");
//  - preview/2023-03-15-preview/examples/createOrUpdateScheduledQueryRuleResourceGroup.json
//    (commit bfe9cdc35507c0ce5abbcea0f46b8e771684b389): PUT answers 201/200 with the rule echoed, id
//    spelled ".../resourcegroups/{rg}/providers/microsoft.insights/scheduledqueryrules/{name}",
//    type "microsoft.insights/scheduledqueryrules", and read-only isWorkspaceAlertsStorageConfigured.
// Workspaces: Microsoft.OperationalInsights stable/2022-10-01/examples/WorkspacesSubscriptionList.json
// (commit 62cdc52df76bf8ff843c5da1562e01a006702eae). A missing resource group is ARM's
// 404 ResourceGroupNotFound.
import { armError, json, type FakeReply, type FakeRequest } from './http-util';
import type { FakeAzure } from './server';

export const ACTION_GROUP_VERSIONS = new Set(['2023-01-01']);
export const RULE_VERSIONS = new Set(['2023-03-15-preview', '2021-08-01']);

const AG_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Insights\/actionGroups\/([^/]+)$/i;
const RULE_PATH = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Insights\/scheduledQueryRules\/([^/]+)$/i;
const ISO_DURATION = /^P(T(\d+H)?(\d+M)?)$/;

type Json = Record<string, unknown>;

export interface MonitorWrite { kind: 'actionGroup' | 'rule'; name: string; status: number; body: Json }

const lc = (s: string) => s.toLowerCase();
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function parse(req: FakeRequest): Json | undefined {
  try {
    const v = JSON.parse(req.body) as unknown;
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const badRequest = (message: string) => armError(400, 'BadRequest', message);

export class FakeMonitorAlerts {
  /** "/subscriptions/{id}/resourcegroups/{name}", lower case. */
  readonly resourceGroups = new Set<string>();
  readonly actionGroups = new Map<string, Json>();
  readonly rules = new Map<string, Json>();
  /** Every accepted PUT, in order. */
  readonly writes: MonitorWrite[] = [];

  constructor(private readonly fake: FakeAzure) {}

  static install(fake: FakeAzure): FakeMonitorAlerts {
    const m = new FakeMonitorAlerts(fake);
    fake.extraRoutes.push((service, req) => (service === 'arm' ? m.handle(req) : undefined));
    return m;
  }

  addResourceGroup(subscriptionId: string, name: string): void {
    this.resourceGroups.add(lc(`/subscriptions/${subscriptionId}/resourcegroups/${name}`));
  }

  /** A Log Analytics workspace in the shape of WorkspacesSubscriptionList.json; returns its ARM id. */
  addWorkspace(subscriptionId: string, resourceGroup: string, name: string, location: string): string {
    this.addResourceGroup(subscriptionId, resourceGroup);
    const id = `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/microsoft.operationalinsights/workspaces/${name}`;
    this.fake.arm.add({
      properties: { customerId: '5c3b2a1d-0000-4000-8000-00000000a11d', provisioningState: 'Succeeded', sku: { name: 'PerGB2018' }, retentionInDays: 30,
        publicNetworkAccessForQuery: 'Enabled', publicNetworkAccessForIngestion: 'Enabled' },
      id, name, type: 'Microsoft.OperationalInsights/workspaces', location, tags: {},
    });
    return id;
  }

  handle(req: FakeRequest): FakeReply | undefined {
    const path = decodeURIComponent(req.url.pathname);
    const ag = AG_PATH.exec(path);
    const rule = RULE_PATH.exec(path);
    const m = ag ?? rule;
    if (!m) return undefined;
    const version = req.url.searchParams.get('api-version') ?? '';
    if (!(ag ? ACTION_GROUP_VERSIONS : RULE_VERSIONS).has(version)) {
      return armError(400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'global' and API version '${version}' for type '${ag ? 'actionGroups' : 'scheduledQueryRules'}'.`);
    }
    const [, sub, rg, name] = m as unknown as [string, string, string, string];
    if (!this.resourceGroups.has(lc(`/subscriptions/${sub}/resourcegroups/${rg}`))) return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    const store = ag ? this.actionGroups : this.rules;
    const key = lc(path);
    if (req.method === 'GET') {
      const found = store.get(key);
      return found ? json(200, found) : armError(404, 'ResourceNotFound', `The Resource 'Microsoft.Insights/${ag ? 'actionGroups' : 'scheduledQueryRules'}/${name}' under resource group '${rg}' was not found.`);
    }
    if (req.method !== 'PUT') return undefined;
    const body = parse(req);
    if (!body) return badRequest('The request content was invalid and could not be deserialized.');
    const result = ag ? this.actionGroup(sub, rg, name, body) : this.rule(sub, rg, name, body);
    if (!('resource' in result)) return result;
    const status = store.has(key) ? 200 : 201;
    store.set(key, result.resource);
    this.writes.push({ kind: ag ? 'actionGroup' : 'rule', name, status, body });
    return json(status, result.resource);
  }

  private actionGroup(sub: string, rg: string, name: string, body: Json): { resource: Json } | FakeReply {
    const p = body.properties;
    if (typeof body.location !== 'string') return badRequest("The 'location' property is required.");
    if (!isObj(p)) return badRequest("The 'properties' property is required.");
    if (typeof p.groupShortName !== 'string' || p.groupShortName.length === 0 || p.groupShortName.length > 12) return badRequest('groupShortName is required and may be at most 12 characters.');
    if (typeof p.enabled !== 'boolean') return badRequest("The 'enabled' property is required.");
    const need = (list: unknown, fields: string[], kind: string): string | undefined => {
      for (const r of arr(list)) if (!isObj(r) || fields.some((f) => typeof r[f] !== 'string' || r[f] === '')) return `each ${kind} receiver needs ${fields.join(', ')}`;
      const names = arr(list).map((r) => (r as Json).name);
      return new Set(names).size === names.length ? undefined : `${kind} receiver names must be unique`;
    };
    const problem = need(p.emailReceivers, ['name', 'emailAddress'], 'email') ?? need(p.smsReceivers, ['name', 'countryCode', 'phoneNumber'], 'sms') ?? need(p.webhookReceivers, ['name', 'serviceUri'], 'webhook');
    if (problem) return badRequest(problem);
    const withStatus = (list: unknown) => arr(list).map((r) => ({ ...(r as Json), status: 'Enabled' }));
    return { resource: {
      id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/microsoft.insights/actionGroups/${name}`, type: 'Microsoft.Insights/ActionGroups', name,
      location: body.location, tags: isObj(body.tags) ? body.tags : {},
      properties: {
        itsmReceivers: [], azureAppPushReceivers: [], automationRunbookReceivers: [], voiceReceivers: [], logicAppReceivers: [], azureFunctionReceivers: [], armRoleReceivers: [], eventHubReceivers: [],
        ...p, emailReceivers: withStatus(p.emailReceivers), smsReceivers: withStatus(p.smsReceivers), webhookReceivers: arr(p.webhookReceivers),
      },
    } };
  }

  private rule(sub: string, rg: string, name: string, body: Json): { resource: Json } | FakeReply {
    const p = body.properties;
    if (typeof body.location !== 'string') return badRequest("The 'location' property is required.");
    if (!isObj(p)) return badRequest("The 'properties' property is required.");
    if (typeof p.severity !== 'number' || p.severity < 0 || p.severity > 4) return badRequest('severity must be 0 to 4');
    for (const f of ['evaluationFrequency', 'windowSize']) if (typeof p[f] !== 'string' || !ISO_DURATION.test(p[f])) return badRequest(`${f} must be an ISO 8601 duration`);
    if (arr(p.scopes).length === 0) return badRequest('scopes must name the resource the query runs on');
    const conditions = isObj(p.criteria) ? arr(p.criteria.allOf) : [];
    if (conditions.length === 0 || conditions.some((c) => !isObj(c) || typeof c.query !== 'string')) return badRequest('criteria.allOf needs a condition with a query');
    for (const c of conditions as Json[]) {
      for (const d of arr(c.dimensions)) if (!isObj(d) || typeof d.name !== 'string' || !['Include', 'Exclude'].includes(String(d.operator)) || !Array.isArray(d.values)) return badRequest('each dimension needs name, operator Include|Exclude and values');
    }
    for (const id of arr(isObj(p.actions) ? p.actions.actionGroups : [])) {
      if (typeof id !== 'string' || !this.actionGroups.has(lc(id))) return badRequest(`Action group '${String(id)}' was not found.`);
    }
    const { isWorkspaceAlertsStorageConfigured: _ro, ...props } = p;
    return { resource: {
      id: `/subscriptions/${sub}/resourcegroups/${rg}/providers/microsoft.insights/scheduledqueryrules/${name}`, name, type: 'microsoft.insights/scheduledqueryrules',
      location: body.location, tags: isObj(body.tags) ? body.tags : {},
      properties: { ...props, isWorkspaceAlertsStorageConfigured: false },
    } };
  }
}
