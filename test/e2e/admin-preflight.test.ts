// The Preflight page of the configured app against fake Azure (ARM + Graph): reached and run from
// the keyboard, focus on the result, each check in words with its fix, who holds the Nexus roles;
// screenshots and axe in light and dark. Hidden in drill mode (no admin service).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_USER, FakeAzure } from '../support/fake-azure/server';
import { fabricFromSpec, FakeNexusAdmin } from '../support/fake-azure/nexus-admin';
import { assignment, roleDefinitions, WRITER_ROLE_ID } from '../support/fake-azure/tenants';
import { seriousViolations } from '../support/axe';
import { azureAppCore, enrollThroughContract } from '../support/azure-app-core';
import { focusedLabel, openUi, readyApp } from '../support/e2e-harness';

const SUB = '0f000000-0000-4000-8000-0000000000f6';
const RP = '71949d44-2def-42f7-b10b-993a3f952347';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const GROUP = '0f000000-0000-4000-8000-00000000f201';
const NESTED = '0f000000-0000-4000-8000-00000000f202';


test('Preflight page: keyboard to the checks and back, verdicts with fixes, role holders, light and dark', async (t) => {
  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  const admin = FakeNexusAdmin.install(fake);
  fake.arm.subscriptions = [{ subscriptionId: SUB, displayName: 'Nexus Fabric Lab', state: 'Enabled', tenantId: DEFAULT_USER.tid }];
  fake.arm.roleDefinitions = roleDefinitions();
  const ok = fabricFromSpec(SUB, 'fab-lab-1', '4.0.2');
  const old = fabricFromSpec(SUB, 'fab-lab-2', '3.9.1');
  fake.arm.add(ok, old);
  admin.setProvider(SUB, 'Microsoft.NexusIdentity', 'NotRegistered');
  admin.addObject({ kind: 'user', id: DEFAULT_USER.oid, displayName: DEFAULT_USER.name, userPrincipalName: DEFAULT_USER.upn });
  admin.addObject({ kind: 'group', id: GROUP, displayName: 'nf-breakglass' });
  admin.addObject({ kind: 'group', id: NESTED, displayName: 'nf-vendors' }, [GROUP]);
  admin.addObject({ kind: 'user', id: '0f000000-0000-4000-8000-00000000f301', displayName: 'Rae Responder', userPrincipalName: 'rae@contoso.com' }, [GROUP]);
  fake.arm.roleAssignments = [
    assignment(`/subscriptions/${SUB}`, READER, RP, 'ServicePrincipal', 1),
    assignment(ok.id, WRITER_ROLE_ID, DEFAULT_USER.oid, 'User', 2),
    assignment(`/subscriptions/${SUB}`, WRITER_ROLE_ID, GROUP, 'Group', 3),
  ];

  const { core } = await azureAppCore(t, fake);
  await enrollThroughContract(core);

  const { page, screenshot } = await openUi(t, core);
  const nav = page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Preflight' });
  await nav.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Break-glass preflight' }).waitFor();
  // The screen opens with the Run button focused: Enter runs the checks for every subscription.
  await page.waitForFunction(() => document.activeElement?.textContent === 'Run the checks');
  await page.keyboard.press('Enter');
  const summary = page.getByTestId('preflight-summary');
  await summary.waitFor();
  assert.equal(await summary.innerText(), 'Not ready: 2 passed, 2 failed, 2 with a warning, 0 could not be checked');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'preflight-summary', undefined, { timeout: 15_000 }).catch(() => undefined);
  assert.match(await focusedLabel(page), /^h2:Not ready/, 'focus moves to the result');

  const checks = page.getByTestId('preflight-check');
  assert.equal(await checks.count(), 6);
  const text = await page.locator('.checks').innerText();
  assert.match(text, /Microsoft\.NexusIdentity resource provider registered Failed/);
  assert.match(text, /To fix: az provider register --namespace Microsoft\.NexusIdentity --subscription 0f000000-0000-4000-8000-0000000000f6/);
  assert.match(text, /Runtime 3\.9\.1 is older than 4\.0\.0/);
  assert.match(text, /group nf-vendors inside nf-breakglass: nested groups are not supported/);
  assert.equal(/[{}]|=/.test(text), false, 'operator words, no raw key=value or JSON');
  const holders = page.getByTestId('holders');
  assert.equal(await holders.count(), 2);
  const first = await holders.first().innerText();
  assert.match(first, /fab-lab-1: 2 of at most 200 users/);
  assert.match(first, /Nexus Operator\s+operator@contoso\.com\s+Writer\s+directly\n/);
  assert.match(first, /Rae Responder\s+rae@contoso\.com\s+Writer\s+through group nf-breakglass/);
  assert.match(first, /Group nf-vendors sits inside nf-breakglass/);

  await screenshot('40-admin-preflight');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'preflight, light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot('41-admin-preflight-dark');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'preflight, dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await holders.last().scrollIntoViewIfNeeded();
  await screenshot('42-admin-preflight-holders');

  // A subscription id that is not one is refused before anything is sent.
  const armCalls = fake.count('arm');
  await page.getByLabel('Subscriptions to check').fill('not-a-subscription');
  await page.keyboard.press('Enter');
  await page.getByRole('alert').getByText(/not-a-subscription is not a subscription id/).waitFor();
  assert.equal(fake.count('arm'), armCalls);
});

test('Preflight is not offered in drill mode', async (t) => {
  const a = await readyApp(t);
  await a.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit' }).waitFor();
  assert.equal(await a.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Preflight' }).count(), 0);
});
