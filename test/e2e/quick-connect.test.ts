// Quick connect (Ctrl+K) and the device table's marks, keyboard only, against the drill fabric.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriousViolations } from '../support/axe';
import { completeFirstConnect, enroll, openConnect, PIN, startApp, type App } from '../support/e2e-harness';

function device(a: App, name: string) {
  const d = a.app.drill.fabric()?.devices.find((x) => x.name === name);
  assert.ok(d, name);
  return d;
}

/** Every key the operator presses goes through here, so the count is the count. */
function keyboard(a: App) {
  let count = 0;
  return {
    press: async (key: string) => { count++; await a.page.keyboard.press(key); },
    type: async (text: string) => { for (const ch of text) { count++; await a.page.keyboard.press(ch); } },
    count: () => count,
  };
}

test('Ctrl+K, three letters, Enter, the PIN: a shell prompt on the drill device; the table marks the attempts', async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.setViewportSize({ width: 1024, height: 640 });
  const mgmt = device(a, 'MGMT1');
  const tor = device(a, 'ToR1');

  // A first visit trusts the jump host's and the device's host keys (that is a separate decision).
  await openConnect(a, mgmt.hostname);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await completeFirstConnect(a);
  await a.waitForOutput(new RegExp(`${mgmt.hostname}>`));

  // From the terminal, where keys go to the device, Ctrl+K still opens the palette.
  const keys = keyboard(a);
  const touchesBefore = a.touch.count;
  await keys.press('Control+k');
  const palette = page.getByTestId('quick-connect');
  await palette.waitFor();
  await keys.type('mgm');
  const options = palette.getByRole('option');
  assert.match(await options.first().innerText(), /MGMT1[\s\S]*nx-mgmt1/i);
  assert.equal(await options.first().getAttribute('aria-selected'), 'true');
  await a.screenshot('qc-01-palette');
  assert.deepEqual(await seriousViolations(page, '[data-testid="quick-connect"]'), [], 'palette, light');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(page, '[data-testid="quick-connect"]'), [], 'palette, dark');
  await a.screenshot('qc-02-palette-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  const outputBefore = a.output().length;
  await keys.press('Enter');
  const pin = page.getByTestId('prompt-pin');
  await pin.waitFor();
  await keys.type(PIN);
  await keys.press('Enter');
  await palette.waitFor({ state: 'detached' });
  const until = Date.now() + 15_000;
  while (!new RegExp(`${mgmt.hostname}>`).test(a.output().slice(outputBefore)) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.match(a.output().slice(outputBefore), new RegExp(`${mgmt.hostname}>`), 'a second shell prompt from the quick connect');
  assert.equal(keys.count(), 1 + 3 + 1 + PIN.length + 1, 'Ctrl+K, three letters, Enter, the PIN and Enter');
  assert.equal(a.touch.count - touchesBefore, 1, 'the jump login is reused: one touch, for the device');
  t.diagnostic(`quick connect keystrokes: ${keys.count()} (Ctrl+K 1, letters 3, Enter 1, PIN ${PIN.length}, Enter 1)`);

  // A device that only answers on the backup path, reached from the palette by its role.
  await keys.press('Control+k');
  await palette.waitFor();
  await keys.type('tor');
  assert.match(await palette.getByRole('option').first().innerText(), /ToR1/);
  await keys.press('Enter');
  const hostKey = page.getByTestId('prompt-host-key');
  await hostKey.waitFor();
  await hostKey.getByRole('button', { name: 'Trust and remember' }).click();
  await pin.waitFor();
  await pin.getByLabel('PIN').fill(PIN);
  await pin.getByRole('button', { name: 'Continue' }).click();
  await palette.waitFor({ state: 'detached' });
  await a.waitForOutput(new RegExp(`${tor.hostname}>`));

  // The table: last attempt per device, favourites, no wrapped host names at 1024×640.
  await page.getByRole('button', { name: 'Fabrics', exact: true }).click();
  const table = page.getByTestId('devices-table');
  const row = (host: string) => table.locator('tbody tr', { hasText: host });
  await row(mgmt.hostname).getByTestId('last-attempt').getByText('answered').waitFor();
  assert.match(await row(tor.hostname).getByTestId('last-attempt').innerText(), /backup path used/);
  assert.match(await row(device(a, 'CE1').hostname).getByTestId('last-attempt').innerText(), /—/);
  await row(tor.hostname).getByRole('button', { name: `Favourite ${tor.hostname}` }).click();
  await row(tor.hostname).getByRole('button', { name: `Favourite ${tor.hostname}`, pressed: true }).waitFor();
  const wrapped = await table.locator('tbody tr td:nth-child(3)').evaluateAll((cells) =>
    cells.filter((c) => {
      const range = document.createRange();
      range.selectNodeContents(c);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
    }).map((c) => c.textContent));
  assert.deepEqual(wrapped, [], 'host names on one line');
  const overflow = await page.locator('section.devices').evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scroll in the device list at 1024×640 (${overflow} px too wide)`);
  await a.screenshot('qc-03-table-marks');
  assert.deepEqual(await seriousViolations(page, '[data-testid="devices-table"]'), [], 'table, light');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(page, '[data-testid="devices-table"]'), [], 'table, dark');
  await a.screenshot('qc-04-table-marks-dark');

  // Favourites come first in the palette with an empty query; the choice survives a restart of the UI.
  await page.reload();
  await page.getByTestId('devices-table').waitFor();
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  assert.match(await palette.getByRole('option').first().innerText(), /★\s*ToR1/);
  assert.match(await palette.getByRole('option').nth(1).innerText(), /MGMT1/, 'then the most recent');
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
});
