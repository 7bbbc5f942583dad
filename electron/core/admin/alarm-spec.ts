// What the break-glass alarm should look like in Azure Monitor, from the admin's flags: an action
// group with the e-mail, SMS and webhook receivers, and a log alert of severity 0 evaluated every
// 5 minutes over 5 minutes of the custom table's break-glass events, one alert per operator and
// device (dimensions). This follows the Entra emergency-access guidance (an alert on every use).
import { BREAK_GLASS_EVENT_TYPES } from '../audit/forward/record';
import { AzureValidationError } from '../azure/errors';
import type { ActionGroupResource, EmailReceiver, ScheduledQueryRuleResource, SmsReceiver, WebhookReceiver } from './monitor-api';

/** The custom table the forwarder writes (README "Audit log and forwarding"). */
export const BREAK_GLASS_TABLE = 'NexusBreakGlass_CL';
export const ALARM_SEVERITY = 0;
export const ALARM_EVERY = 'PT5M';
export const ALARM_WINDOW = 'PT5M';
/** The table columns the rule splits its alerts by. */
export const ALARM_DIMENSIONS = ['Operator', 'Device'] as const;
export const DEFAULT_ACTION_GROUP = 'nbg-break-glass';
export const DEFAULT_RULE = 'nbg-break-glass-use';
const DEFAULT_SHORT_NAME = 'nbg-alarm';
/** ActionGroup.groupShortName: "The short name of the action group" (maxLength 12 in the spec). */
const SHORT_NAME_MAX = 12;

export interface AlarmRequest {
  subscriptionId: string;
  resourceGroup: string;
  /** ARM id of the Log Analytics workspace holding the custom table. */
  workspaceId: string;
  actionGroupName?: string;
  ruleName?: string;
  shortName?: string;
  emails: string[];
  /** "<country code>:<number>", e.g. "1:5551234567". */
  sms: string[];
  webhooks: string[];
}

export interface AlarmReceivers {
  emailReceivers: EmailReceiver[];
  smsReceivers: SmsReceiver[];
  webhookReceivers: WebhookReceiver[];
}

/** The KQL the rule runs: every break-glass event of the window, with the columns it splits by. */
export function alarmQuery(): string {
  const types = BREAK_GLASS_EVENT_TYPES.map((t) => `"${t}"`).join(', ');
  return `${BREAK_GLASS_TABLE}\n| where Kind == "event" and EventType in (${types})\n| project TimeGenerated, Operator, Device, EventType, Outcome, Computer, Text`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SMS = /^\+?(\d{1,3})[:\s-](\d{4,15})$/;

export function receiversFrom(req: Pick<AlarmRequest, 'emails' | 'sms' | 'webhooks'>): AlarmReceivers {
  const problems: string[] = [];
  const emailReceivers = req.emails.map((a) => {
    if (!EMAIL.test(a)) problems.push(`'${a}' is not an e-mail address`);
    return { name: `E-mail ${a}`, emailAddress: a, useCommonAlertSchema: true };
  });
  const smsReceivers = req.sms.map((s) => {
    const m = SMS.exec(s.trim());
    if (!m) problems.push(`'${s}' is not a phone number; write it as COUNTRY-CODE:NUMBER, e.g. 1:5551234567`);
    return { name: `SMS +${m?.[1] ?? ''} ${m?.[2] ?? s}`, countryCode: m?.[1] ?? '', phoneNumber: m?.[2] ?? '' };
  });
  const webhookReceivers = req.webhooks.map((u, i) => {
    let host = '';
    try {
      const url = new URL(u);
      if (url.protocol !== 'https:') problems.push(`webhook ${u} is not https`);
      host = url.host;
    } catch {
      problems.push(`'${u}' is not a URL`);
    }
    return { name: `Webhook ${i + 1} ${host}`, serviceUri: u, useCommonAlertSchema: true };
  });
  if (emailReceivers.length + smsReceivers.length + webhookReceivers.length === 0) problems.push('name at least one receiver (--email, --sms or --webhook): an alarm nobody hears is no alarm');
  if (problems.length) throw new AzureValidationError(problems);
  return { emailReceivers, smsReceivers, webhookReceivers };
}

export function shortNameOf(req: AlarmRequest): string {
  const s = req.shortName ?? DEFAULT_SHORT_NAME;
  if (s.length === 0 || s.length > SHORT_NAME_MAX) throw new AzureValidationError([`--short-name must be 1 to ${SHORT_NAME_MAX} characters (it is shown in SMS and e-mail)`]);
  return s;
}

/** Fields ARM returns but does not take back (a receiver's status) are dropped from what we send. */
function writableReceivers(r: AlarmReceivers): AlarmReceivers {
  return {
    emailReceivers: r.emailReceivers.map(({ status: _s, ...rest }) => rest),
    smsReceivers: r.smsReceivers.map(({ status: _s, ...rest }) => rest),
    webhookReceivers: r.webhookReceivers,
  };
}

/**
 * The action group to PUT. The receivers given replace the e-mail, SMS and webhook receivers; any
 * other kind of receiver (ITSM, runbook, ...) and the tags already there are kept.
 */
export function actionGroupBody(existing: ActionGroupResource | undefined, shortName: string, receivers: AlarmReceivers): Record<string, unknown> {
  return {
    location: existing?.location ?? 'Global',
    tags: existing?.tags ?? {},
    properties: { ...(existing?.properties ?? {}), groupShortName: shortName, enabled: true, ...writableReceivers(receivers) },
  };
}

/** Read-only properties of a scheduled query rule (scheduledQueryRule_API.json marks them readOnly). */
const RULE_READ_ONLY = ['createdWithApiVersion', 'isLegacyLogAnalyticsRule', 'isWorkspaceAlertsStorageConfigured'];

export function ruleBody(existing: ScheduledQueryRuleResource | undefined, location: string, workspaceId: string, actionGroupId: string): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(existing?.properties ?? {}).filter(([k]) => !RULE_READ_ONLY.includes(k)));
  return {
    location: existing?.location ?? location,
    tags: existing?.tags ?? {},
    properties: {
      ...kept,
      displayName: 'Break-glass access used (Nexus)',
      description: 'Fires on every break-glass connection, signature or fleet run reported by Nexus Break-Glass, one alert per operator and device.',
      severity: ALARM_SEVERITY,
      enabled: true,
      evaluationFrequency: ALARM_EVERY,
      windowSize: ALARM_WINDOW,
      scopes: [workspaceId],
      criteria: {
        allOf: [{
          query: alarmQuery(),
          timeAggregation: 'Count',
          dimensions: ALARM_DIMENSIONS.map((name) => ({ name, operator: 'Include', values: ['*'] })),
          operator: 'GreaterThan',
          threshold: 0,
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 },
        }],
      },
      actions: { actionGroups: [actionGroupId], customProperties: { source: 'nexus-break-glass' } },
    },
  };
}
