// Azure Monitor's two ARM resources behind the break-glass alarm: an action group (who is told)
// and a scheduled query rule (what fires). Our own thin client over AzureHttp rather than
// @azure/arm-monitor: two GETs and two PUTs do not justify the SDK's pipeline, LRO and auth
// packages in the CLI bundle, and this way the calls share the app's one HTTPS opener, extra CA,
// token source, retries and typed errors. Shapes follow Azure/azure-rest-api-specs
// specification/monitor/resource-manager/Microsoft.Insights: stable/2023-01-01/actionGroups_API.json
// (ActionGroups_CreateOrUpdate: 200 updated, 201 created) and
// preview/2023-03-15-preview/scheduledQueryRule_API.json (ScheduledQueryRules_CreateOrUpdate).
import { z } from 'zod';
import type { CloudEndpoints } from '../auth/config';
import { AzureApiError } from '../azure/errors';
import type { AzureHttp } from '../azure/http';

export const MONITOR_API = {
  actionGroups: '2023-01-01',
  scheduledQueryRules: '2023-03-15-preview',
  /** Log Analytics workspaces (Workspaces_Get), read for the rule's location. */
  workspaces: '2022-10-01',
} as const;

const receiverBase = { name: z.string() };
export const emailReceiver = z.object({ ...receiverBase, emailAddress: z.string(), useCommonAlertSchema: z.boolean().optional(), status: z.string().optional() }).passthrough();
export const smsReceiver = z.object({ ...receiverBase, countryCode: z.string(), phoneNumber: z.string(), status: z.string().optional() }).passthrough();
export const webhookReceiver = z.object({ ...receiverBase, serviceUri: z.string(), useCommonAlertSchema: z.boolean().optional() }).passthrough();
export type EmailReceiver = z.infer<typeof emailReceiver>;
export type SmsReceiver = z.infer<typeof smsReceiver>;
export type WebhookReceiver = z.infer<typeof webhookReceiver>;

const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((v) => v ?? []);

export const actionGroupResource = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  tags: z.record(z.string(), z.string()).nullish(),
  properties: z.object({
    groupShortName: z.string(),
    enabled: z.boolean(),
    emailReceivers: list(emailReceiver),
    smsReceivers: list(smsReceiver),
    webhookReceivers: list(webhookReceiver),
  }).passthrough(),
}).passthrough();
export type ActionGroupResource = z.infer<typeof actionGroupResource>;

export const dimension = z.object({ name: z.string(), operator: z.string(), values: z.array(z.string()) }).passthrough();
export const ruleCondition = z.object({
  query: z.string().nullish(),
  timeAggregation: z.string().nullish(),
  dimensions: list(dimension),
  operator: z.string().nullish(),
  threshold: z.number().nullish(),
  failingPeriods: z.object({ numberOfEvaluationPeriods: z.number(), minFailingPeriodsToAlert: z.number() }).passthrough().nullish(),
}).passthrough();
export type RuleCondition = z.infer<typeof ruleCondition>;

export const scheduledQueryRuleResource = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string(),
  tags: z.record(z.string(), z.string()).nullish(),
  properties: z.object({
    displayName: z.string().nullish(),
    description: z.string().nullish(),
    severity: z.number().nullish(),
    enabled: z.boolean().nullish(),
    evaluationFrequency: z.string().nullish(),
    windowSize: z.string().nullish(),
    scopes: list(z.string()),
    criteria: z.object({ allOf: list(ruleCondition) }).passthrough().nullish(),
    actions: z.object({ actionGroups: list(z.string()) }).passthrough().nullish(),
  }).passthrough(),
}).passthrough();
export type ScheduledQueryRuleResource = z.infer<typeof scheduledQueryRuleResource>;

const workspaceResource = z.object({ id: z.string(), location: z.string() }).passthrough();

export function actionGroupId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Insights/actionGroups/${name}`;
}

export function scheduledQueryRuleId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Insights/scheduledQueryRules/${name}`;
}

/** One resource by id, or undefined when ARM says it does not exist (404). */
async function getOrNone<T>(http: AzureHttp, endpoints: CloudEndpoints, operation: string, id: string, version: string, schema: z.ZodType<T>): Promise<T | undefined> {
  try {
    return await http.get(operation, 'arm', `${endpoints.armEndpoint}${id}?api-version=${version}`, schema);
  } catch (err) {
    if (err instanceof AzureApiError && err.status === 404 && err.apiCode !== 'ResourceGroupNotFound' && err.apiCode !== 'SubscriptionNotFound') return undefined;
    throw err;
  }
}

async function put<T>(http: AzureHttp, endpoints: CloudEndpoints, operation: string, id: string, version: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const r = await http.send({ operation, resource: 'arm', method: 'PUT', url: `${endpoints.armEndpoint}${id}?api-version=${version}`, body, schema });
  if (r.data === undefined) throw new AzureApiError(r.status, 'NoBody', 'the write was answered without the resource', r.requestId, operation);
  return r.data;
}

export class MonitorApi {
  constructor(private readonly http: AzureHttp, private readonly endpoints: CloudEndpoints) {}

  getActionGroup(id: string): Promise<ActionGroupResource | undefined> {
    return getOrNone(this.http, this.endpoints, 'read the action group', id, MONITOR_API.actionGroups, actionGroupResource);
  }

  putActionGroup(id: string, body: unknown): Promise<ActionGroupResource> {
    return put(this.http, this.endpoints, 'write the action group', id, MONITOR_API.actionGroups, body, actionGroupResource);
  }

  getRule(id: string): Promise<ScheduledQueryRuleResource | undefined> {
    return getOrNone(this.http, this.endpoints, 'read the alert rule', id, MONITOR_API.scheduledQueryRules, scheduledQueryRuleResource);
  }

  putRule(id: string, body: unknown): Promise<ScheduledQueryRuleResource> {
    return put(this.http, this.endpoints, 'write the alert rule', id, MONITOR_API.scheduledQueryRules, body, scheduledQueryRuleResource);
  }

  async workspaceLocation(workspaceId: string): Promise<string> {
    return (await this.http.get('read the Log Analytics workspace', 'arm', `${this.endpoints.armEndpoint}${workspaceId}?api-version=${MONITOR_API.workspaces}`, workspaceResource)).location;
  }
}
