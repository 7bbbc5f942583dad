// The alarm's pieces that need no Azure: receivers from flags, durations in words, the rule's
// differences, runtime versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationWords, ruleDifferences } from '../../../../../electron/core/admin/alarm-diff';
import { alarmQuery, receiversFrom, ruleBody } from '../../../../../electron/core/admin/alarm-spec';
import { scheduledQueryRuleResource } from '../../../../../electron/core/admin/monitor-api';
import { parseRuntimeVersion } from '../../../../../electron/core/admin/preflight';
import { AzureValidationError } from '../../../../../electron/core/azure/errors';

test('durations in words', () => {
  assert.deepEqual(['PT5M', 'PT1H', 'PT1H30M', 'PT15M', 'P1D', undefined].map(durationWords), ['5 minutes', '1 hour', '1 hour 30 minutes', '15 minutes', 'P1D', 'not set']);
});

test('receivers: e-mail, SMS as country code and number, https webhooks; bad ones all named at once', () => {
  const r = receiversFrom({ emails: ['soc@contoso.com'], sms: ['+44 7700900123', '1:5551234567'], webhooks: ['https://hooks.contoso.com/a'] });
  assert.deepEqual(r.smsReceivers.map((s) => [s.countryCode, s.phoneNumber]), [['44', '7700900123'], ['1', '5551234567']]);
  assert.throws(() => receiversFrom({ emails: ['nobody'], sms: ['12'], webhooks: ['ftp://x'] }), (e: unknown) => e instanceof AzureValidationError && e.problems.length === 3);
  assert.throws(() => receiversFrom({ emails: [], sms: [], webhooks: [] }), /at least one receiver/);
});

test('a rule as we write it has no differences with itself; an edited one lists each change in words', () => {
  const ws = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law';
  const ag = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ag';
  const props = scheduledQueryRuleResource.shape.properties;
  const wanted = props.parse(ruleBody(undefined, 'westeurope', ws, ag).properties);
  assert.deepEqual(ruleDifferences(wanted, wanted), []);
  // ARM gives ids back in lower case and the query re-wrapped: still no difference.
  const echoed = props.parse({ ...wanted, scopes: [ws.toLowerCase()], actions: { actionGroups: [ag.toLowerCase()] }, criteria: { allOf: [{ ...wanted.criteria!.allOf[0], query: alarmQuery().replace(/\n/g, '\n  ') }] } });
  assert.deepEqual(ruleDifferences(echoed, wanted), []);
  const edited = props.parse({ ...wanted, severity: 3, enabled: false, windowSize: 'PT10M' });
  assert.deepEqual(ruleDifferences(edited, wanted).map((d) => `${d.what}: ${d.was} → ${d.willBe}`), [
    'Severity: 3 (informational) → 0 (critical)', 'Rule: disabled → enabled', 'Looks back over: 10 minutes → 5 minutes',
  ]);
});

test('runtime versions: numbers compared, words not', () => {
  assert.deepEqual(['4.0.0', 'v4.1', '3.12.7', '4.0.0-rc1', 'version1', ''].map(parseRuntimeVersion), [[4, 0, 0], [4, 1, 0], [3, 12, 7], [4, 0, 0], undefined, undefined]);
});
