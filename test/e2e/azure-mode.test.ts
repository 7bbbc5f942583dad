// The configured app against fake Azure (identity provider, Graph, ARM over TLS on loopback):
// fabrics with role badges and group grants, device tables from the inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FabricSummary } from '../../electron/shared/inventory';
import path from 'node:path';
import { DEFAULT_USER } from '../support/fake-azure/server';
import { enrollThroughContract, startAzureCore } from '../support/azure-app-core';
import { openUi } from '../support/e2e-harness';
import { seriousInBothSchemes, seriousViolations } from '../support/axe';
import { recordUpload } from '../../electron/core/azure/upload-record';

test('Azure mode: fabrics with Reader/Writer and group grants, devices from the inventory, no drill marking; the key panel\'s time since upload', { timeout: 180_000 }, async (t) => {
  const { fake, core, sim, home } = await startAzureCore(t);
  const listed = await core.invoke('core:fabrics.list', { refresh: true });
  assert.ok(listed.ok, JSON.stringify(listed));
  const fabrics = listed.value as FabricSummary[];
  assert.ok(fabrics.length > 0, 'the fake tenant grants at least one fabric');

  // A key on this computer first, so the app opens on Fabrics.
  const publicKey = await enrollThroughContract(core);

  // Pulling the key out and plugging it back in reaches the UI without a refresh (bounded wait).
  const deviceCounts: number[] = [];
  const stopKeys = core.onEvent((event, payload) => {
    if (event === 'ui:keys') deviceCounts.push((payload as { devices: unknown[] }).devices.length);
  });
  const waitForCount = async (n: number) => {
    const deadline = Date.now() + 15_000;
    while (deviceCounts.at(-1) !== n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(deviceCounts.at(-1), n, `ui:keys reported ${JSON.stringify(deviceCounts)}`);
  };
  sim.unplug();
  await waitForCount(0);
  sim.replug();
  await waitForCount(1);
  stopKeys();

  const { page, screenshot } = await openUi(t, core);
  const items = page.getByTestId('fabric-item');
  await items.first().waitFor();
  assert.equal(await page.getByTestId('drill-banner').count(), 0, 'not a drill: no drill marking');
  await page.locator('.identity').getByText(DEFAULT_USER.upn).waitFor();
  assert.equal(await items.count(), fabrics.length);
  for (const [i, f] of fabrics.entries()) {
    const text = await items.nth(i).innerText();
    assert.ok(text.includes(f.name), f.name);
    assert.ok(text.includes(f.role), `${f.name} shows ${f.role}`);
    assert.equal(text.includes('via '), f.viaGroup !== undefined, `${f.name} group grant shown iff granted through a group`);
    assert.match(text, new RegExp(`${f.deviceCount} devices`));
  }
  const first = fabrics[0];
  assert.ok(first);
  const devices = await core.invoke('core:fabrics.devices', { fabricId: first.id });
  assert.ok(devices.ok);
  const rows = page.getByTestId('devices-table').locator('tbody tr');
  const expected = (devices.value as { hostName: string }[]);
  if (expected.length > 0) await rows.first().waitFor();
  assert.equal(await rows.count(), expected.length);
  for (const d of expected) assert.ok((await page.getByTestId('devices-table').innerText()).includes(d.hostName), d.hostName);
  await screenshot('16-azure-fabrics');

  // The key panel: time since this machine's upload against the 4-hour sync, from core's record of it.
  const uploadedAt = Date.now() - 80 * 60_000;
  await recordUpload(path.join(home, 'key-upload.json'), publicKey, new Date(uploadedAt));
  await page.getByRole('button', { name: 'Key', exact: true }).click();
  const sync = page.locator('[data-check="sync"]');
  await sync.getByText(/uploaded 1 h 2\d min ago/).waitFor();
  const expectBy = await page.evaluate((at) => { const d = new Date(at); return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`; }, uploadedAt + 4 * 3_600_000);
  assert.match(await sync.innerText(), new RegExp(`uploaded 1 h 2[01] min ago — devices pick it up within 4 hours; expect it by (\\d{1,2} \\w{3} )?${expectBy}`));
  assert.equal(await sync.getAttribute('data-status'), 'warn');
  assert.deepEqual(await seriousInBothSchemes(page, 'key panel'), []);
  await screenshot('keysync-01-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot('keysync-02-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  // Uploading again starts the clock again.
  await page.getByRole('button', { name: 'Upload again' }).click();
  await page.getByText('Upload: done').waitFor();
  await sync.getByText(/^uploaded less than a minute ago — devices pick it up within 4 hours; expect it by (\d{1,2} \w{3} )?\d\d:\d\d$/).waitFor();
  // The key panel's readiness, Azure half, in operator words: the group grant on fabric-b now comes
  // only through a nested group (ARM's assignedTo() still returns it; Nexus would not honour it).
  const nested = '0a1b2c3d-0000-4000-8000-00000000b0ff';
  fake.idp.user.nestedGroups = [nested];
  fake.idp.user.groupNames = { [nested]: 'Nexus readers' };
  fake.arm.roleAssignments = fake.arm.roleAssignments.map((a) => (a.properties.principalType === 'Group' ? { ...a, properties: { ...a.properties, principalId: nested } } : a));
  // The panel checks readiness when it opens: leave it and come back.
  await page.getByRole('button', { name: 'Fabrics', exact: true }).click();
  await page.getByTestId('fabric-item').first().waitFor();
  await page.getByRole('button', { name: 'Key', exact: true }).click();
  const role = page.getByTestId('readiness').locator('li').filter({ hasText: 'Nexus role on your fabrics' });
  await role.waitFor();
  assert.equal(await role.getAttribute('data-status'), 'fail');
  assert.match(await role.innerText(), /fabric-b: Nexus Network Fabric Service Reader comes through group "Nexus readers", which you are in only through another group\. Nexus ignores nested groups: ask to be added to "Nexus readers" directly/);
  const keysets = page.getByTestId('readiness').locator('li').filter({ hasText: 'Bare metal machine keysets' });
  assert.equal(await keysets.getAttribute('data-status'), 'ok');
  assert.match(await keysets.innerText(), /you are in no bare metal machine keyset/);
  assert.ok(!/[{}=]/.test(await page.getByTestId('readiness').innerText()), 'no raw key=value or JSON');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'key panel, light');
  await screenshot('17-azure-readiness');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'key panel, dark');
  await screenshot('17-azure-readiness-dark');
});
