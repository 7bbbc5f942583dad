// Fleet run in the app: a saved device set survives a reload and the run goes over it; in the
// touch queue ("touch 2 of 4 — nx-tor2-101 via drill-jump") Skip leaves that device out and Stop
// ends the run; the results say skipped and stopped per device, and no further touch is asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriousInBothSchemes } from '../support/axe';
import { PIN, readyApp, UI_TIMEOUT_MS, type App } from '../support/e2e-harness';

/** Answers host-key and PIN prompts as they come, until `done` (bounded). Returns the touch prompts seen, with their queue lines. */
async function promptsUntil(a: App, done: () => Promise<boolean>, onTouch: (queue: string) => Promise<boolean>): Promise<void> {
  const { page } = a;
  const until = Date.now() + 6 * UI_TIMEOUT_MS;
  while (!(await done()) && Date.now() < until) {
    const hostKey = page.getByTestId('prompt-host-key');
    const pin = page.getByTestId('prompt-pin');
    const touch = page.getByTestId('prompt-touch');
    if (await hostKey.isVisible()) {
      await hostKey.getByRole('button', { name: 'Trust and remember' }).click();
      await hostKey.waitFor({ state: 'detached' });
    } else if (await pin.isVisible()) {
      await pin.getByLabel('PIN').fill(PIN);
      await pin.getByRole('button', { name: 'Continue' }).click();
      await pin.waitFor({ state: 'detached' });
    } else if (await touch.isVisible() && await touch.getByTestId('fleet-touch').isVisible()) {
      const line = await touch.getByTestId('fleet-touch').innerText().catch(() => '');
      if (await onTouch(line)) await touch.waitFor({ state: 'detached' });
    } else {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  assert.ok(await done(), 'the run ended in time');
}

test('saved set over a reload; Skip and Stop from the touch queue; results per device; no touch after Stop', { timeout: 300_000 }, async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  await page.getByRole('button', { name: 'Fleet run' }).click();
  await page.getByLabel('Role').selectOption('ToR');
  await page.getByRole('button', { name: 'Choose all shown' }).click();
  await page.getByText('4 chosen').waitFor();
  await page.getByLabel('Name for this set').fill('all ToRs');
  await page.getByRole('button', { name: 'Save set' }).click();

  // The set outlives the window: after a reload, choosing it picks the same four devices.
  await page.reload();
  await page.getByRole('button', { name: 'Fleet run' }).click();
  await page.getByText('0 chosen').waitFor();
  await page.getByLabel('Saved set').selectOption('all ToRs');
  await page.getByText('4 chosen').waitFor();
  const checked = await page.getByRole('list', { name: 'Devices to run on' }).getByRole('checkbox', { checked: true }).count();
  assert.equal(checked, 4);

  // The first device's two touches (jump, device) come at once; from the third on, each waits long
  // enough to be answered from the queue (below the simulated key's 10 s touch limit). A Skip or
  // Stop cancels the wait at the key.
  const touch = a.touch;
  Object.defineProperty(touch, 'delayMs', { get: () => (touch.count >= 3 ? 8000 : 400) });
  await page.getByRole('button', { name: 'Run on 4 devices' }).click();
  const results = page.getByTestId('fleet-results');
  const lines: string[] = [];
  let skipped: string | undefined;
  let stoppedAt: string | undefined;
  let touchesAtStop = 0;
  await promptsUntil(a, () => results.isVisible(), async (text) => {
    const m = /touch (\d) of 4 — (\S+) via drill-jump/.exec(text);
    if (!m) return false;
    if (!lines.includes(m[0])) lines.push(m[0]);
    const touch = page.getByTestId('prompt-touch');
    if (m[1] === '2' && !skipped) {
      skipped = m[2];
      await a.screenshot('fleet-touch-01-queue');
      assert.deepEqual(await seriousInBothSchemes(page, 'fleet touch queue'), []);
      await page.emulateMedia({ colorScheme: 'dark' });
      await a.screenshot('fleet-touch-02-queue-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await touch.getByRole('button', { name: `Skip ${m[2]}` }).click();
      return true;
    }
    if (m[1] === '3' && !stoppedAt) {
      stoppedAt = m[2];
      touchesAtStop = a.touch.count;
      await touch.getByRole('button', { name: 'Stop the run' }).click();
      return true;
    }
    return false;
  });
  await results.waitFor();
  t.diagnostic(`touch queue lines: ${lines.join(' | ')}`);
  assert.ok(skipped && stoppedAt, `skipped ${skipped}, stopped at ${stoppedAt}`);
  assert.equal(a.touch.count, touchesAtStop, 'no touch was asked after Stop');
  assert.equal(await page.getByTestId('prompt-touch').count(), 0);

  const rows = page.getByTestId('fleet-summary').locator('tbody tr');
  assert.equal(await rows.count(), 4);
  const statusOf = async (name: string) => (await rows.filter({ hasText: name }).innerText()).match(/\b(ok|failed|skipped|stopped)\b/)?.[1];
  const names = (await rows.allInnerTexts()).map((r) => /nx-tor\d-\d+/.exec(r)?.[0] ?? '');
  const statuses = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await statusOf(n)] as const)));
  t.diagnostic(`statuses: ${JSON.stringify(statuses)}`);
  assert.equal(statuses[skipped], 'skipped');
  assert.equal(statuses[stoppedAt], 'stopped');
  assert.equal(Object.values(statuses).filter((s) => s === 'ok').length, 1, 'the first device answered');
  assert.equal(Object.values(statuses).filter((s) => s === 'stopped').length, 2, 'the device being asked and the one after it');
  await a.screenshot('fleet-touch-03-results');
  assert.deepEqual(await seriousInBothSchemes(page, 'fleet results with skipped and stopped'), []);
});
