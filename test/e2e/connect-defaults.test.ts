// Connect defaults from what is known (a v1.5-only device, a primary path that failed recently),
// and a failed connect that stays in the dialog with the next actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerPin, drillDevice, openConnect, PIN, readyApp, trustHostKey } from '../support/e2e-harness';

test('connect defaults from what is known: a v1.5-only device opens on the password path; a failed primary suggests the backup path; a failed connect offers the next actions', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  const dialog = page.getByTestId('connect-dialog');

  await openConnect(a, drillDevice(a, 'NPB1').hostname);
  assert.equal(await page.getByLabel(/Method D v1\.5 fallback/).isChecked(), true);
  assert.equal(await page.getByLabel(/Method D v2\.0/).isDisabled(), true);
  assert.match(await dialog.getByTestId('connect-suggestion').innerText(), /only Method D v1\.5/);
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Device user name');
  await a.screenshot('27-connect-v15-only');
  await page.keyboard.press('Escape');

  // ToR1's management address is dead: the connect goes over the backup; the next dialog suggests it.
  await openConnect(a, drillDevice(a, 'ToR1').hostname);
  assert.equal(await page.getByLabel(/Primary \(management network\)/).isChecked(), true);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  await page.getByTestId('session-state').getByText('open').waitFor();
  assert.match(await page.getByTestId('session-info').innerText(), /backup path/);
  await openConnect(a, drillDevice(a, 'ToR1').hostname);
  assert.equal(await page.getByLabel(/Backup \(in-band loopback\)/).isChecked(), true);
  assert.match(await dialog.getByTestId('connect-suggestion').innerText(), /management path to this device failed/);
  await page.keyboard.press('Escape');

  // With the fabric down, a connect fails in the dialog with the reason and the next actions.
  const fabric = a.app.drill.fabric();
  assert.ok(fabric);
  await fabric.stop();
  await openConnect(a, drillDevice(a, 'CE2').hostname);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  const failure = dialog.getByTestId('connect-failure');
  await failure.waitFor();
  assert.match(await failure.innerText(), /refused|not answering|could not/i);
  await page.waitForFunction(() => document.activeElement?.textContent === 'Retry');
  assert.equal(await failure.getByRole('button', { name: 'Try the backup path' }).count(), 1);
  await a.screenshot('28-connect-failed-actions');
  await failure.getByRole('button', { name: 'Use the Method D v1.5 account' }).click();
  assert.equal(await page.getByLabel(/Method D v1\.5 fallback/).isChecked(), true);
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Device user name');
  assert.equal(await page.locator('.fatal').count(), 0);
});
