// The key panel's additions (change PIN, the Entra account) and settings without resource ids
// (the fabric picked from the list, the jump host in effect per fabric, absolute known_hosts only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { seriousViolations } from '../support/axe';
import { answerPin, enroll, openConnect, PIN, startApp, trustHostKey } from '../support/e2e-harness';

const NEW_PIN = '735190';

test('key panel: change the PIN (the new one then signs a connect); the account; settings pick fabrics by name', { timeout: 240_000 }, async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a);
  await page.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'Key', exact: true }).click();
  assert.match(await page.getByTestId('account').innerText(), /Signed in as operator@drill\.nexus\. \(drill operator\)/);
  await page.getByRole('button', { name: 'Change PIN' }).click();
  await page.getByLabel('Current PIN').fill(PIN);
  await page.getByLabel('New PIN').fill(NEW_PIN);
  await page.getByLabel('Repeat PIN').fill(NEW_PIN);
  await a.screenshot('ws-01-change-pin');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'key panel, light');
  await page.locator('.change-pin').getByRole('button', { name: 'Change PIN' }).click();
  await page.getByRole('status').getByText('Change PIN: done').waitFor();
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'key panel, dark');
  await page.emulateMedia({ colorScheme: 'light' });

  const ce1 = a.app.drill.fabric()!.devices.find((d) => d.name === 'CE1')!;
  await openConnect(a, ce1.hostname);
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await trustHostKey(a);
  await answerPin(a, NEW_PIN);
  await trustHostKey(a);
  await page.getByTestId('session-state').getByText('open').waitFor();

  // Settings: the jump host in effect per fabric, and a per-fabric jump host chosen by name.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const inEffect = page.getByTestId('jump-in-effect');
  await inEffect.getByText('from the inventory').waitFor();
  assert.match(await inEffect.innerText(), /drill-fabric\s+operator@drill\.nexus@127\.0\.\d+\.\d+:\d+\s+from the inventory/);
  // Test jump host: the drill's jump answers and its key is the one trusted on the connect above.
  await inEffect.getByRole('button', { name: 'Test jump host of drill-fabric' }).click();
  assert.match(await inEffect.getByTestId('jump-test').innerText(), /answers; its host key SHA256:\S+ matches known_hosts/);
  await page.getByLabel('Fabric', { exact: true }).selectOption({ label: 'drill-fabric (drill)' });
  const fabricForm = page.locator('form', { has: page.getByLabel('Fabric', { exact: true }) });
  await fabricForm.getByLabel('User', { exact: true }).fill('ops');
  await fabricForm.getByLabel('Host', { exact: true }).fill('127.0.0.9');
  await fabricForm.getByRole('button', { name: 'Add' }).click();
  await page.getByTestId('settings-status').getByText('Fabric jump host saved.').waitFor();
  await inEffect.getByText('set for this fabric').waitFor();
  assert.match(await inEffect.innerText(), /drill-fabric\s+ops@127\.0\.0\.9:22\s+set for this fabric/);
  await inEffect.getByRole('button', { name: 'Test jump host of drill-fabric' }).click();
  assert.match(await inEffect.getByTestId('jump-test').innerText(), /127\.0\.0\.9:22 is not answering as an SSH server/);
  assert.match(await page.locator('form', { has: page.getByLabel('Fabric', { exact: true }) }).locator('li').first().innerText(), /^drill-fabric → ops@127\.0\.0\.9:22/);

  // A relative known_hosts path is refused and nothing changes.
  await page.getByLabel('known_hosts path').fill('known_hosts');
  await page.locator('form', { has: page.getByLabel('known_hosts path') }).getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('settings-status').getByText(/must be absolute/).waitFor();
  const stored = await a.app.core.invoke('core:settings.get', undefined);
  assert.ok(stored.ok && (stored.value as { knownHostsPath?: string }).knownHostsPath === undefined);
  // The app's known_hosts: exported as a file, imported line by line (bad text changes nothing).
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.locator('form', { has: page.getByLabel('known_hosts lines to import') }).getByRole('button', { name: 'Export' }).click()]);
  const exported = readFileSync((await download.path())!, 'utf8');
  assert.equal(exported.trim().split('\n').length, 2, 'the jump host and CE1, trusted on the connect above');
  await page.getByLabel('known_hosts lines to import').fill('this is not a known_hosts line');
  await page.getByRole('button', { name: 'Add host keys' }).click();
  await page.getByTestId('settings-status').getByText(/nothing imported/).waitFor();
  const tor2Line = a.app.drill.fabric()!.knownHosts().split('\n').find((l) => l.includes('nbg-drill-ToR2'));
  assert.ok(tor2Line, 'the drill lists ToR2\'s host key');
  await page.getByLabel('known_hosts lines to import').fill(`${tor2Line}\n${exported}`);
  await page.getByRole('button', { name: 'Add host keys' }).click();
  await page.getByTestId('settings-status').getByText('Imported 1 host keys into the app\'s known_hosts.').waitFor();
  await a.screenshot('ws-02-settings');
  assert.deepEqual(await seriousViolations(page, '.settings'), [], 'settings, light');
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await seriousViolations(page, '.settings');
  assert.deepEqual(dark, [], `settings, dark: ${JSON.stringify(dark.map((v) => v.targets))}`);
  await a.screenshot('ws-03-settings-dark');
});
