// `nbg admin alerts`: makes Azure Monitor hold the break-glass alarm, idempotently. Reads the action
// group and the rule; creates what is missing; when what exists differs, shows the differences and
// writes only after the admin agrees. A run that finds everything as asked writes nothing. Every
// run is an audit entry.
import { auditFailure, auditOutcome } from '../audit/audited';
import type { AuditSink } from '../audit/audit-log';
import { actionGroupDifferences, ruleDifferences, type Difference } from './alarm-diff';
import {
  actionGroupBody, DEFAULT_ACTION_GROUP, DEFAULT_RULE, receiversFrom, ruleBody, shortNameOf, type AlarmRequest,
} from './alarm-spec';
import { actionGroupId, scheduledQueryRuleId, scheduledQueryRuleResource, type MonitorApi } from './monitor-api';

export type ResourceChange = 'unchanged' | 'created' | 'updated' | 'declined';

export interface AlarmChanges {
  actionGroup: { id: string; differences: Difference[]; exists: boolean };
  rule: { id: string; differences: Difference[]; exists: boolean };
}

export interface AlarmResult extends AlarmChanges {
  change: ResourceChange;
  actionGroupChange: ResourceChange;
  ruleChange: ResourceChange;
}

/** Asked only when something that exists would change; true means go on. */
export type ConfirmChanges = (changes: AlarmChanges) => Promise<boolean>;

const ruleProperties = scheduledQueryRuleResource.shape.properties;

async function plan(api: MonitorApi, req: AlarmRequest) {
  const receivers = receiversFrom(req);
  const shortName = shortNameOf(req);
  const agId = actionGroupId(req.subscriptionId, req.resourceGroup, req.actionGroupName ?? DEFAULT_ACTION_GROUP);
  const ruleId = scheduledQueryRuleId(req.subscriptionId, req.resourceGroup, req.ruleName ?? DEFAULT_RULE);
  const [ag, rule] = await Promise.all([api.getActionGroup(agId), api.getRule(ruleId)]);
  const location = rule?.location ?? await api.workspaceLocation(req.workspaceId);
  const agBody = actionGroupBody(ag, shortName, receivers);
  const wantedRule = ruleBody(rule, location, req.workspaceId, agId);
  const changes: AlarmChanges = {
    actionGroup: { id: agId, exists: ag !== undefined, differences: ag ? actionGroupDifferences(ag, shortName, receivers) : [] },
    rule: { id: ruleId, exists: rule !== undefined, differences: rule ? ruleDifferences(rule.properties, ruleProperties.parse(wantedRule.properties)) : [] },
  };
  return { changes, agBody, wantedRule };
}

function changeOf(exists: boolean, differences: Difference[]): ResourceChange {
  return !exists ? 'created' : differences.length ? 'updated' : 'unchanged';
}

export async function setUpAlarm(api: MonitorApi, req: AlarmRequest, confirm: ConfirmChanges, audit?: AuditSink): Promise<AlarmResult> {
  const names = { resourceGroup: req.resourceGroup, actionGroup: req.actionGroupName ?? DEFAULT_ACTION_GROUP, rule: req.ruleName ?? DEFAULT_RULE };
  let written: ResourceChange = 'unchanged';
  try {
    const { changes, agBody, wantedRule } = await plan(api, req);
    const agChange = changeOf(changes.actionGroup.exists, changes.actionGroup.differences);
    const ruleChange = changeOf(changes.rule.exists, changes.rule.differences);
    if ((agChange === 'updated' || ruleChange === 'updated') && !(await confirm(changes))) {
      await audit?.append({ type: 'admin-alerts', ...names, change: 'declined', outcome: 'ok' });
      return { ...changes, change: 'declined', actionGroupChange: agChange === 'updated' ? 'declined' : 'unchanged', ruleChange: ruleChange === 'updated' ? 'declined' : 'unchanged' };
    }
    // The rule names the action group, so the group is written first.
    if (agChange !== 'unchanged') {
      await api.putActionGroup(changes.actionGroup.id, agBody);
      written = agChange;
    }
    if (ruleChange !== 'unchanged') await api.putRule(changes.rule.id, wantedRule);
    const change: ResourceChange = [agChange, ruleChange].includes('updated') ? 'updated' : [agChange, ruleChange].includes('created') ? 'created' : 'unchanged';
    await audit?.append({ type: 'admin-alerts', ...names, change, outcome: 'ok' });
    return { ...changes, change, actionGroupChange: agChange, ruleChange };
  } catch (err) {
    await audit?.append({ type: 'admin-alerts', ...names, change: written, outcome: auditOutcome(err), error: auditFailure(err) }).catch(() => undefined);
    throw err;
  }
}
