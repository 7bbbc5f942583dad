// The configured app against fake Azure (identity provider, Graph, ARM over TLS on loopback):
// fabrics with role badges and group grants, device tables from the inventory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FabricSummary } from '../../electron/shared/inventory';
import { DEFAULT_USER, FakeAzure } from '../support/fake-azure/server';
import { azureAppCore, enrollThroughContract } from '../support/azure-app-core';
import { loadFixtureTenant } from '../support/fake-azure/tenants';
import { openUi } from '../support/e2e-harness';

test('Azure mode: fabrics with Reader/Writer and group grants, devices from the inventory, no drill marking', async (t) => {
  const fake = await FakeAzure.start();
  t.after(() => fake.close());
  loadFixtureTenant(fake);
  const { core, sim } = await azureAppCore(t, fake);
  const listed = await core.invoke('core:fabrics.list', { refresh: true });
  assert.ok(listed.ok, JSON.stringify(listed));
  const fabrics = listed.value as FabricSummary[];
  assert.ok(fabrics.length > 0, 'the fake tenant grants at least one fabric');

  // A key on this computer first, so the app opens on Fabrics.
  await enrollThroughContract(core);

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
});
