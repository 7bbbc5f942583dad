// `nbg admin alerts` and `nbg admin preflight`: the administrator's side of break-glass. The alarm
// in Azure Monitor (idempotent, differences shown and confirmed before an existing resource
// changes), and the Method D v2.0 checks with the fix for each failure.
import { inertText } from '../../shared/inert-text';
import { subscriptionOf } from '../../core/azure/arm-id';
import { AzureValidationError } from '../../core/azure/errors';
import { MonitorApi } from '../../core/admin/monitor-api';
import { setUpAlarm, type AlarmChanges, type AlarmResult } from '../../core/admin/alarm';
import { ALARM_DIMENSIONS } from '../../core/admin/alarm-spec';
import { durationWords, type Difference } from '../../core/admin/alarm-diff';
import { Preflight } from '../../core/admin/preflight';
import type { PreflightReport } from '../../shared/admin';
import { ExitCode, UsageError, type CliIo, type CommandSpec, type OptionValues } from '../command';
import { jsonOption, printJson, withAudit } from '../runtime';
import { azureContext, confirm, defaultAzureCliDeps, tokenSourceOption, type AzureCliDeps } from './azure-support';

const many = { type: 'string' as const, multiple: true };
const strings = (v: OptionValues[string]): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
const one = (v: OptionValues[string]): string | undefined => (typeof v === 'string' ? v : undefined);

const ARM_WORKSPACE = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.operationalinsights\/workspaces\/[^/]+$/i;

function differenceLines(title: string, diffs: Difference[]): string {
  return diffs.length ? `${title}\n${diffs.map((d) => `  ${d.what}: ${inertText(d.was)} → ${inertText(d.willBe)}`).join('\n')}\n` : '';
}

function askText(changes: AlarmChanges): string {
  return differenceLines(`The action group ${changes.actionGroup.id.split('/').pop()} exists and differs from what was asked:`, changes.actionGroup.differences)
    + differenceLines(`The alert rule ${changes.rule.id.split('/').pop()} exists and differs from what was asked:`, changes.rule.differences);
}

const CHANGE_WORDS = { created: 'created', updated: 'updated', unchanged: 'already as asked, not changed', declined: 'not changed (you said no)' } as const;

function summary(r: AlarmResult): string {
  const ag = r.actionGroup.id.split('/').pop();
  const rule = r.rule.id.split('/').pop();
  if (r.change === 'unchanged') return `Nothing to change: the action group ${ag} and the alert rule ${rule} are already as asked.\n`;
  return `Action group ${ag}: ${CHANGE_WORDS[r.actionGroupChange]}.\n`
    + `Alert rule ${rule}: ${CHANGE_WORDS[r.ruleChange]} (severity 0, checked every ${durationWords('PT5M')} over the last ${durationWords('PT5M')}, one alert per ${ALARM_DIMENSIONS.join(' and ')}).\n`;
}

const STATUS_WORD = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: '????' } as const;

function printPreflight(io: CliIo, r: PreflightReport): void {
  const out: string[] = [`Method D v2.0 preflight, ${new Date(r.checkedAt).toUTCString()}`];
  for (const c of r.checks) {
    out.push(`${STATUS_WORD[c.status]}  ${inertText(c.subject)}: ${c.title}`, `      ${inertText(c.detail)}`);
    if (c.fix) out.push(`      Fix: ${inertText(c.fix)}`);
  }
  for (const f of r.fabrics) {
    out.push('', `Role holders on ${inertText(f.fabricName)}: ${f.users} of at most ${f.limit} users`);
    for (const h of f.holders) out.push(`  ${h.role.padEnd(6)}  ${inertText(h.name)}${h.userPrincipalName ? ` <${inertText(h.userPrincipalName)}>` : ''}  ${h.how.map((w) => inertText(w)).join('; ')}`);
    for (const n of f.nestedGroups) out.push(`  nested  group ${inertText(n.name)} inside ${inertText(n.parent)}: its members get no account`);
    for (const o of f.others) out.push(`  other   ${inertText(o.name)} (${inertText(o.kind)}): not a user, gets no account`);
  }
  out.push('', r.ok ? 'No check failed.' : `${r.checks.filter((c) => c.status === 'fail').length} check(s) failed: apply the fixes above and run preflight again.`);
  io.stdout.write(`${out.join('\n')}\n`);
}

export function createAdminCommands(deps: AzureCliDeps = defaultAzureCliDeps): CommandSpec[] {
  return [
    {
      path: ['admin', 'alerts'],
      options: {
        'resource-group': { type: 'string' }, workspace: { type: 'string' }, subscription: { type: 'string' },
        email: many, sms: many, webhook: many, 'action-group': { type: 'string' }, rule: { type: 'string' }, 'short-name': { type: 'string' },
        yes: { type: 'boolean' }, ...jsonOption, ...tokenSourceOption,
      },
      async run({ values, io }) {
        const resourceGroup = one(values['resource-group']);
        const workspaceId = one(values.workspace);
        if (!resourceGroup) throw new UsageError('name the resource group for the alarm: --resource-group NAME');
        if (!workspaceId || !ARM_WORKSPACE.test(workspaceId)) throw new UsageError('name the Log Analytics workspace holding the NexusBreakGlass_CL table by its ARM id: --workspace /subscriptions/…/resourceGroups/…/providers/Microsoft.OperationalInsights/workspaces/NAME');
        const subscriptionId = one(values.subscription) ?? subscriptionOf(workspaceId)!;
        const ctx = await azureContext(io, values, deps);
        const api = new MonitorApi(ctx.http, ctx.endpoints);
        const request = {
          subscriptionId, resourceGroup, workspaceId, emails: strings(values.email), sms: strings(values.sms), webhooks: strings(values.webhook),
          ...(one(values['action-group']) ? { actionGroupName: one(values['action-group'])! } : {}),
          ...(one(values.rule) ? { ruleName: one(values.rule)! } : {}),
          ...(one(values['short-name']) ? { shortName: one(values['short-name'])! } : {}),
        };
        let result: AlarmResult;
        try {
          result = await withAudit(io, (audit) => setUpAlarm(api, request, async (changes) => {
            io.stderr.write(askText(changes));
            return confirm(io, values, 'Apply these changes?');
          }, audit));
        } catch (err) {
          if (err instanceof AzureValidationError) throw new UsageError(err.problems.join('; '));
          throw err;
        }
        if (values.json) printJson(io, result);
        else io.stdout.write(result.change === 'declined' ? 'Nothing was changed.\n' : summary(result));
        return result.change === 'declined' ? ExitCode.Failed : ExitCode.Ok;
      },
    },
    {
      path: ['admin', 'preflight'],
      options: { subscription: many, ...jsonOption, ...tokenSourceOption },
      async run({ values, io }) {
        const ctx = await azureContext(io, values, deps);
        const subscriptions = strings(values.subscription);
        const report = await new Preflight(ctx.http, ctx.endpoints).run(subscriptions.length ? { subscriptions } : {});
        if (values.json) printJson(io, report);
        else printPreflight(io, report);
        return report.ok ? ExitCode.Ok : ExitCode.Failed;
      },
    },
  ];
}
