// `nbg admin alerts`, the built bundle as a process, against the fake Azure Monitor (spec-shaped
// action groups and scheduled query rules): create, an idempotent second run, the differences shown
// before an existing rule or action group changes (declined, then accepted), bad input and a missing
// resource group; each run an audit entry.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { auditLogPath } from '../../../electron/core/audit/log-path';
import { FakeAzure } from '../../support/fake-azure/server';
import { FakeMonitorAlerts } from '../../support/fake-azure/monitor-alerts';
import { runBuiltNbg } from '../../support/built-nbg';

const SUB = 'c0ffee00-0000-4000-8000-00000000a1a1';
const RG = 'rg-breakglass-alarm';
const LOCATION = 'westeurope';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('nbg admin alerts against the fake Azure Monitor', () => {
  let fake: FakeAzure;
  let monitor: FakeMonitorAlerts;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let workspace: string;

  const alerts = (extra: string[], input?: string) => runBuiltNbg(
    ['admin', 'alerts', '--resource-group', RG, '--workspace', workspace, '--email', 'soc@contoso.com', '--sms', '1:5551234567', '--webhook', 'https://hooks.contoso.com/nbg', ...extra],
    { env, ...(input !== undefined ? { input } : {}) },
  );
  const rule = (): Json => monitor.rules.get(`/subscriptions/${SUB}/resourcegroups/${RG}/providers/microsoft.insights/scheduledqueryrules/nbg-break-glass-use`)!;
  const actionGroup = (): Json => monitor.actionGroups.get(`/subscriptions/${SUB}/resourcegroups/${RG}/providers/microsoft.insights/actiongroups/nbg-break-glass`)!;
  const auditEntries = (): Json[] => (existsSync(auditLogPath(home)) ? readFileSync(auditLogPath(home), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Json) : [])
    .filter((e) => e.type === 'admin-alerts');

  before(async () => {
    fake = await FakeAzure.start();
    monitor = FakeMonitorAlerts.install(fake);
    monitor.addResourceGroup(SUB, RG);
    workspace = monitor.addWorkspace(SUB, 'rg-logs', 'law-soc', LOCATION);
    home = mkdtempSync(path.join(os.tmpdir(), 'nbg-admin-alerts-'));
    env = { ...fake.env(), NBG_HOME: home, PATH: process.env.PATH, NBG_ARM_TOKEN: fake.idp.mint('arm'), NBG_GRAPH_TOKEN: fake.idp.mint('graph') };
  });
  after(async () => {
    await fake.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('creates the action group and a severity-0 rule every 5 minutes over 5 minutes, split by operator and device', async () => {
    const r = await alerts([]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Action group nbg-break-glass: created/);
    assert.match(r.stdout, /Alert rule nbg-break-glass-use: created/);
    assert.deepEqual(monitor.writes.map((w) => [w.kind, w.status]), [['actionGroup', 201], ['rule', 201]]);
    const ag = actionGroup().properties as Json;
    assert.equal(ag.groupShortName, 'nbg-alarm');
    assert.deepEqual(ag.emailReceivers.map((e: Json) => e.emailAddress), ['soc@contoso.com']);
    assert.deepEqual(ag.smsReceivers.map((s: Json) => [s.countryCode, s.phoneNumber]), [['1', '5551234567']]);
    assert.deepEqual(ag.webhookReceivers.map((w: Json) => w.serviceUri), ['https://hooks.contoso.com/nbg']);
    const p = rule().properties as Json;
    assert.equal(rule().location, LOCATION, 'the rule lives where the workspace does');
    assert.equal(p.severity, 0);
    assert.equal(p.evaluationFrequency, 'PT5M');
    assert.equal(p.windowSize, 'PT5M');
    assert.deepEqual(p.scopes, [workspace]);
    const c = p.criteria.allOf[0] as Json;
    assert.match(c.query, /^NexusBreakGlass_CL\n/);
    for (const t of ['connect-attempt', 'sign', 'fleet-run']) assert.ok(c.query.includes(`"${t}"`), t);
    assert.deepEqual(c.dimensions, [{ name: 'Operator', operator: 'Include', values: ['*'] }, { name: 'Device', operator: 'Include', values: ['*'] }]);
    assert.deepEqual([c.timeAggregation, c.operator, c.threshold], ['Count', 'GreaterThan', 0]);
    assert.equal(p.actions.actionGroups[0].toLowerCase(), `/subscriptions/${SUB}/resourcegroups/${RG}/providers/microsoft.insights/actiongroups/nbg-break-glass`);
    assert.deepEqual(auditEntries().map((e) => [e.change, e.outcome]), [['created', 'ok']]);
  });

  it('a second run with the same flags writes nothing and says so', async () => {
    const before = monitor.writes.length;
    const puts = fake.log.filter((l) => l.method === 'PUT').length;
    const r = await alerts([]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Nothing to change: the action group nbg-break-glass and the alert rule nbg-break-glass-use are already as asked/);
    assert.equal(monitor.writes.length, before);
    assert.equal(fake.log.filter((l) => l.method === 'PUT').length, puts, 'no PUT reached ARM');
    assert.equal(r.stderr.includes('Apply these changes?'), false, 'nothing to ask');
    assert.deepEqual(auditEntries().map((e) => e.change), ['created', 'unchanged']);
    const asJson = await alerts(['--json']);
    assert.equal(asJson.code, 0, asJson.stderr);
    const result = JSON.parse(asJson.stdout) as Json;
    assert.deepEqual([result.change, result.actionGroupChange, result.ruleChange, result.rule.differences], ['unchanged', 'unchanged', 'unchanged', []]);
    assert.equal(monitor.writes.length, before);
  });

  it('shows how an edited rule differs, changes nothing when the admin says no, and updates when told yes', async () => {
    // Someone edited the rule in the portal.
    const edited = rule();
    edited.properties.severity = 2;
    edited.properties.evaluationFrequency = 'PT15M';
    edited.properties.windowSize = 'PT1H';
    edited.properties.criteria.allOf[0].dimensions = [{ name: 'Operator', operator: 'Include', values: ['*'] }];
    edited.properties.muteActionsDuration = 'PT30M';
    const writes = monitor.writes.length;

    const no = await alerts([], 'n\n');
    assert.equal(no.code, 1);
    assert.match(no.stderr, /The alert rule nbg-break-glass-use exists and differs from what was asked:/);
    assert.match(no.stderr, /Severity: 2 \(warning\) → 0 \(critical\)/);
    assert.match(no.stderr, /Checked every: 15 minutes → 5 minutes/);
    assert.match(no.stderr, /Looks back over: 1 hour → 5 minutes/);
    assert.match(no.stderr, /One alert per: Operator → Operator, Device/);
    assert.equal(no.stderr.includes('action group nbg-break-glass exists'), false, 'the unchanged action group is not listed');
    assert.match(no.stdout, /Nothing was changed/);
    assert.equal(monitor.writes.length, writes, 'declined: nothing written');
    assert.equal(rule().properties.severity, 2);

    const yes = await alerts(['--yes']);
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, /Action group nbg-break-glass: already as asked, not changed/);
    assert.match(yes.stdout, /Alert rule nbg-break-glass-use: updated/);
    assert.deepEqual(monitor.writes.slice(writes).map((w) => [w.kind, w.status]), [['rule', 200]]);
    const p = rule().properties as Json;
    assert.deepEqual([p.severity, p.evaluationFrequency, p.windowSize, p.criteria.allOf[0].dimensions.length], [0, 'PT5M', 'PT5M', 2]);
    assert.equal(p.muteActionsDuration, 'PT30M', 'settings the alarm does not manage are kept');
    assert.deepEqual(auditEntries().map((e) => e.change).slice(-2), ['declined', 'updated']);
  });

  it('a changed receiver list is shown as e-mail before and after, and applied on "y"', async () => {
    const writes = monitor.writes.length;
    const r = await alerts(['--email', 'oncall@contoso.com'], 'y\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /The action group nbg-break-glass exists and differs/);
    assert.match(r.stderr, /E-mail to: soc@contoso\.com → soc@contoso\.com, oncall@contoso\.com/);
    assert.deepEqual(monitor.writes.slice(writes).map((w) => [w.kind, w.status]), [['actionGroup', 200]]);
    assert.deepEqual(actionGroup().properties.emailReceivers.map((e: Json) => e.emailAddress), ['soc@contoso.com', 'oncall@contoso.com']);
  });

  it('refuses bad receivers before calling Azure, and reports a missing resource group', async () => {
    const arm = fake.count('arm');
    const bad = await runBuiltNbg(['admin', 'alerts', '--resource-group', RG, '--workspace', workspace, '--sms', 'call me', '--webhook', 'http://plain.example.com/x'], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'call me' is not a phone number/);
    assert.match(bad.stderr, /is not https/);
    const none = await runBuiltNbg(['admin', 'alerts', '--resource-group', RG, '--workspace', workspace], { env });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /name at least one receiver/);
    assert.equal(fake.count('arm'), arm, 'nothing was sent');

    const missing = await runBuiltNbg(['admin', 'alerts', '--resource-group', 'rg-nowhere', '--workspace', workspace, '--email', 'soc@contoso.com'], { env });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ResourceGroupNotFound: Resource group 'rg-nowhere' could not be found/);
    const last = auditEntries().at(-1)!;
    assert.deepEqual([last.resourceGroup, last.outcome, last.change], ['rg-nowhere', 'failed', 'unchanged']);
  });
});
