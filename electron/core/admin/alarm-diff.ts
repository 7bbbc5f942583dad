// What would change in an existing action group or alert rule, in the words of the portal's
// blades rather than ARM property paths: one line per difference, "was → will be".
import { armIdKey, lastSegment } from '../azure/arm-id';
import type { ActionGroupResource, ScheduledQueryRuleResource } from './monitor-api';
import type { AlarmReceivers } from './alarm-spec';

export interface Difference {
  what: string;
  was: string;
  willBe: string;
}

const SEVERITY = ['0 (critical)', '1 (error)', '2 (warning)', '3 (informational)', '4 (verbose)'];

/** PT5M → "5 minutes", PT1H → "1 hour"; anything else is shown as Azure wrote it. */
export function durationWords(iso: string | null | undefined): string {
  if (!iso) return 'not set';
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/i.exec(iso);
  if (!m || (!m[1] && !m[2])) return iso;
  const part = (n: string | undefined, unit: string) => (n && Number(n) > 0 ? `${Number(n)} ${unit}${Number(n) === 1 ? '' : 's'}` : '');
  return [part(m[1], 'hour'), part(m[2], 'minute')].filter(Boolean).join(' ');
}

const names = (ids: string[]) => (ids.length ? ids.map(lastSegment).join(', ') : 'none');
const listWords = (items: string[]) => (items.length ? items.join(', ') : 'none');
const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

function push(out: Difference[], what: string, was: string, willBe: string): void {
  if (was !== willBe) out.push({ what, was, willBe });
}

function receiverWords(r: AlarmReceivers): { email: string[]; sms: string[]; webhook: string[] } {
  return {
    email: r.emailReceivers.map((e) => e.emailAddress.toLowerCase()),
    sms: r.smsReceivers.map((s) => `+${s.countryCode} ${s.phoneNumber}`),
    webhook: r.webhookReceivers.map((w) => w.serviceUri),
  };
}

export function actionGroupDifferences(existing: ActionGroupResource, shortName: string, wanted: AlarmReceivers): Difference[] {
  const out: Difference[] = [];
  const have = receiverWords(existing.properties);
  const want = receiverWords(wanted);
  push(out, 'Action group short name', existing.properties.groupShortName, shortName);
  push(out, 'Action group', existing.properties.enabled ? 'enabled' : 'disabled', 'enabled');
  if (!sameSet(have.email, want.email)) out.push({ what: 'E-mail to', was: listWords(have.email), willBe: listWords(want.email) });
  if (!sameSet(have.sms, want.sms)) out.push({ what: 'SMS to', was: listWords(have.sms), willBe: listWords(want.sms) });
  if (!sameSet(have.webhook, want.webhook)) out.push({ what: 'Webhooks', was: listWords(have.webhook), willBe: listWords(want.webhook) });
  return out;
}

type RuleProps = ScheduledQueryRuleResource['properties'];

export function ruleDifferences(existing: RuleProps, wanted: RuleProps): Difference[] {
  const out: Difference[] = [];
  const severity = (s: number | null | undefined) => (s === null || s === undefined ? 'not set' : SEVERITY[s] ?? String(s));
  push(out, 'Severity', severity(existing.severity), severity(wanted.severity));
  push(out, 'Rule', existing.enabled ? 'enabled' : 'disabled', wanted.enabled ? 'enabled' : 'disabled');
  push(out, 'Checked every', durationWords(existing.evaluationFrequency), durationWords(wanted.evaluationFrequency));
  push(out, 'Looks back over', durationWords(existing.windowSize), durationWords(wanted.windowSize));
  if (!sameSet(existing.scopes.map(armIdKey), wanted.scopes.map(armIdKey))) push(out, 'Workspace searched', names(existing.scopes), names(wanted.scopes));
  const [have] = existing.criteria?.allOf ?? [];
  const [want] = wanted.criteria?.allOf ?? [];
  const norm = (q: string | null | undefined) => (q ?? '').replace(/\s+/g, ' ').trim();
  if (norm(have?.query) !== norm(want?.query)) out.push({ what: 'Query', was: have?.query ? have.query : 'none', willBe: want?.query ?? 'none' });
  const dims = (c: typeof have) => (c?.dimensions ?? []).filter((d) => d.operator === 'Include').map((d) => d.name);
  push(out, 'One alert per', listWords(dims(have)), listWords(dims(want)));
  const when = (c: typeof have) => (c ? `${c.timeAggregation ?? '?'} of rows ${c.operator ?? '?'} ${c.threshold ?? '?'}` : 'no condition');
  push(out, 'Fires when', when(have), when(want));
  if (!sameSet((existing.actions?.actionGroups ?? []).map(armIdKey), (wanted.actions?.actionGroups ?? []).map(armIdKey))) {
    push(out, 'Notifies action groups', names(existing.actions?.actionGroups ?? []), names(wanted.actions?.actionGroups ?? []));
  }
  push(out, 'Name shown', existing.displayName ?? 'not set', wanted.displayName ?? 'not set');
  return out;
}
