// Quick connect to a bare metal machine: the drill cluster's BMM is in the Ctrl+K palette beside
// the fabric devices, found by three letters of its host name, and Enter reaches its shell over the
// fabric's jump host as the operator's keyset login; afterwards it leads the palette as a recent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriousViolations } from '../support/axe';
import { answerPin, readyApp, trustHostKey } from '../support/e2e-harness';
import { keysetUserName } from '../../electron/drill/topology';
import { DRILL_IDENTITY } from '../../electron/drill/mode';

test('Ctrl+K, three letters of a BMM, Enter: its shell as the keyset user, through the jump host', { timeout: 180_000 }, async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  const bmm = a.app.drill.fabric()?.machines[0];
  assert.ok(bmm, 'the drill cluster has a bare metal machine');
  const login = keysetUserName(DRILL_IDENTITY.userPrincipalName);

  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('quick-connect');
  await palette.waitFor();
  await page.keyboard.type(bmm.machineName.slice(0, 3));
  const first = palette.getByRole('option').first();
  await first.getByText(bmm.machineName).waitFor();
  assert.match(await first.innerText(), new RegExp(`${bmm.name}[\\s\\S]*${bmm.machineName}[\\s\\S]*BMM · drill-cluster · ${bmm.address.host.replaceAll('.', '\\.')}`));
  assert.equal(await first.getAttribute('aria-selected'), 'true');
  assert.deepEqual(await seriousViolations(page, '[data-testid="quick-connect"]'), [], 'palette with a BMM, light');
  await a.screenshot('qc-bmm-01-palette');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(page, '[data-testid="quick-connect"]'), [], 'palette with a BMM, dark');
  await a.screenshot('qc-bmm-02-palette-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.keyboard.press('Enter');

  // First visit: the jump host's key, the PIN, the machine's key.
  assert.match(await trustHostKey(a), /drill-jump|127\.0\.80\.1/);
  await answerPin(a, '482916');
  assert.match(await trustHostKey(a), new RegExp(bmm.machineName));
  await a.page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(new RegExp(`${login}@${bmm.machineName}:~\\$ `));
  await a.screenshot('qc-bmm-03-shell');
  const accepted = a.app.drill.fabric()!.events().find((e) => e.server === bmm.name && e.kind === 'auth' && e.outcome === 'ok');
  assert.ok(accepted, 'the machine accepted the key');
  assert.equal(accepted.user, login, 'as the keyset login, not the UPN');

  // The attempt is remembered: with nothing typed, the machine now leads the palette.
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  await palette.getByRole('option').first().getByText(/tried/).waitFor();
  assert.match(await palette.getByRole('option').first().innerText(), new RegExp(bmm.machineName));
  await page.keyboard.press('Escape');
});
