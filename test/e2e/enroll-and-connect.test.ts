import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerPin, enroll, openConnect, PIN, startApp, trustHostKey } from '../support/e2e-harness';

test('first run: enrollment wizard to an open shell through the jump host, PIN once, a touch per hop', async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a, { screenshots: true });
  const checks = await page.getByTestId('readiness').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
  assert.ok(checks.length >= 5);
  assert.deepEqual(checks.filter((s) => s !== 'ok'), [], 'readiness all green');
  await a.screenshot('04-readiness');
  await page.getByRole('button', { name: 'Done' }).click();

  const fabric = page.getByTestId('fabric-item');
  await fabric.waitFor();
  assert.match(await fabric.innerText(), /drill-fabric[\s\S]*Writer[\s\S]*via Drill operators[\s\S]*9 devices/);
  await page.getByTestId('devices-table').locator('tbody tr').nth(8).waitFor();
  assert.equal(await page.getByTestId('devices-table').locator('tbody tr').count(), 9);
  await a.screenshot('05-fabrics');

  const ce1 = a.app.drill.fabric()?.devices.find((d) => d.name === 'CE1');
  assert.ok(ce1);
  await openConnect(a, ce1.hostname);
  assert.equal(await page.getByLabel('Device user name').inputValue(), 'operator@drill.nexus');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();

  const touchesBefore = a.touch.count;
  assert.match(await trustHostKey(a), /jump/);
  await answerPin(a, PIN);
  assert.match(await trustHostKey(a), new RegExp(ce1.hostname));
  await page.getByTestId('session-state').getByText('open').waitFor();
  assert.equal(a.touch.count - touchesBefore, 2, 'one touch for the jump host, one for the device');
  await a.waitForOutput(new RegExp(`${ce1.hostname}>`));
  await page.keyboard.type('show version\r');
  await a.waitForOutput(/Arista|EOS|Software image/i);
  const info = await page.getByTestId('session-info').innerText();
  assert.match(info, /operator@drill\.nexus@drill-jump → operator@drill\.nexus@/);
  assert.match(info, /primary path/);
  assert.match(info, /SHA256:/);
  assert.match(info, /REC/);
  await a.screenshot('06-terminal');
  // Readable in dark mode too (prefers-color-scheme).
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('button', { name: 'Fabrics' }).click();
  await page.getByTestId('devices-table').waitFor();
  const colors = await page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { bg: s.backgroundColor, fg: s.color };
  });
  assert.equal(colors.bg, 'rgb(13, 17, 23)');
  assert.equal(colors.fg, 'rgb(230, 237, 243)');
  await a.screenshot('06b-fabrics-dark');
});
