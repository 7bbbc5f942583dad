// The Method D v1.5 path in the app against the fake Azure: choosing the password login in the
// connect dialog shows that the fabric's passwords are split and names the devices, this one
// first (the fixture's NetworkDevices_Get example reports one secret OutOfSync and one
// Synchronizing); a security-key login shows nothing of it; the cluster list shows the BMC keyset
// next to the BMM keyset. Checked with axe in light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FabricSummary } from '../../electron/shared/inventory';
import { seriousInBothSchemes as axeBoth } from '../support/axe';
import { openUi } from '../support/e2e-harness';
import { enrollThroughContract, startAzureCore } from '../support/azure-app-core';

test('v1.5 login: the connect dialog warns of a password split and names the devices; clusters show BMC keysets', async (t) => {
  const { fake, core } = await startAzureCore(t);
  const listed = await core.invoke('core:fabrics.list', { refresh: true });
  assert.ok(listed.ok, JSON.stringify(listed));
  const fabric = (listed.value as FabricSummary[]).find((f) => f.name === 'example-fabric');
  assert.ok(fabric, 'the fixture fabric is listed');
  await enrollThroughContract(core);

  const { page, screenshot } = await openUi(t, core);
  await page.getByTestId('fabric-item').filter({ hasText: 'example-fabric' }).click();
  await page.getByTestId('devices-table').locator('tbody tr').first().waitFor();

  await page.getByRole('button', { name: 'Connect to NFA-Device', exact: true }).click();
  const dialog = page.getByTestId('connect-dialog');
  await dialog.waitFor();
  // No jump host is configured in this tenant's settings: the dialog says so once its defaults are in.
  await dialog.getByTestId('connect-jump').getByText('not set — add one in Settings').waitFor();
  assert.equal(await dialog.getByTestId('password-split').count(), 0, 'a security-key login is not warned about passwords');

  await dialog.getByLabel('Method D v1.5 fallback (password)').check();
  const note = dialog.getByTestId('password-split');
  await note.waitFor();
  const text = await note.innerText();
  assert.match(text, /^Warning: The fabric's passwords are split/);
  assert.match(text, /a v1\.5 password may work on some devices and not on others\. Affected: example-device\./);
  assert.match(await note.getByTestId('password-split-device').innerText(),
    /^This device, example-device, has not been given the latest password \(AzureOperatorRW user password\): the password from Key Vault may be refused\.$/);
  assert.ok(fake.log.some((l) => l.path.includes('/networkFabrics/example-fabric?api-version=2025-07-15')), 'read at the rotation api-version');
  const problems = await axeBoth(page, 'connect-dialog-v15-split');
  await screenshot('16-v15-password-split');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot('16-v15-password-split-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(problems, []);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // Another device of the same fabric: the split is still told, and this device's own state.
  await page.getByRole('button', { name: 'Connect to NFA-Device-2', exact: true }).click();
  await dialog.getByLabel('Method D v1.5 fallback (password)').check();
  await note.waitFor();
  assert.equal(await note.getByTestId('password-split-device').innerText(), 'This device, example-device-2, reports no rotation state.');
  assert.match(await note.locator('li').first().innerText(), /^example-device: has not been given the latest password/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // The cluster list: the BMC keyset of the BmcKeySets_ListByCluster example next to the BMM one.
  const cluster = page.locator('.clusters details').filter({ hasText: 'clusterName' });
  await cluster.locator('summary').click();
  assert.match(await cluster.locator('summary').innerText(), /1 BMM keysets · 1 BMC keysets/);
  assert.match(await cluster.getByTestId('bmc-keysets').innerText(), /bmcKeySetName: Administrator, 2 users, expires 2022-12-31T23:59:59\.008Z \(SomeInvalid\)/);
  assert.doesNotMatch(await cluster.getByTestId('bmc-keysets').innerText(), /jump/);
});
