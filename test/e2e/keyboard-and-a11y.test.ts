// Keyboard first and accessible: focus returns after a dialog; dialogs have their own title ids; the terminal theme follows the OS live; host names stay
// whole at 1024×640; axe-core finds no critical or serious violation on any screen, light and dark
// (the first-run wizard and its prompts: wizard-keyboard.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriousInBothSchemes as axeBoth } from '../support/axe';
import {
  answerPin, connectTo, drillDevice, focusedLabel as focused, openConnect, PIN, readyApp, trustHostKey, type App,
} from '../support/e2e-harness';

test('every screen and dialog passes axe in light and dark; dialogs have their own title ids; focus returns after a dialog; theme follows the OS live', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  const problems: string[] = [];
  await page.getByTestId('devices-table').locator('tbody tr').first().waitFor();
  problems.push(...await axeBoth(page, 'fabrics'));
  for (const screen of ['Key', 'Audit', 'Settings']) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: screen }).click();
    await page.waitForFunction(() => document.querySelector('.main h2, .main h1') !== null);
    await new Promise((r) => setTimeout(r, 500)); // let the screen's data arrive
    assert.notEqual(await focused(page), 'body', `${screen}: focus moved to the screen`);
    problems.push(...await axeBoth(page, screen.toLowerCase()));
  }
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sessions' }).click();
  problems.push(...await axeBoth(page, 'sessions-empty'));

  // The connect dialog: Escape returns focus to the button that opened it.
  const ce1 = drillDevice(a, 'CE1');
  await openConnect(a, ce1.hostname);
  // Once the defaults are in, the primary control is Connect (the user name is filled in already).
  await page.waitForFunction(() => document.activeElement?.textContent === 'Connect');
  problems.push(...await axeBoth(page, 'connect-dialog'));
  await page.keyboard.press('Escape');
  await page.getByTestId('connect-dialog').waitFor({ state: 'detached' });
  assert.equal(await focused(page), `button:Connect to ${ce1.hostname}`);

  // A prompt over the connect dialog: two dialogs, each named by its own title.
  await connectTo(a, 'CE1');
  await page.getByTestId('prompt-host-key').waitFor();
  const ids = await page.locator('[role="dialog"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-labelledby')));
  assert.equal(ids.length, 2);
  assert.notEqual(ids[0], ids[1]);
  for (const id of ids) assert.equal(await page.locator(`[id="${id}"]`).count(), 1);
  problems.push(...await axeBoth(page, 'prompt-host-key'));
  await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(new RegExp(`${ce1.hostname}>`));
  problems.push(...await axeBoth(page, 'session-open'));

  // The terminal theme follows a change of the OS colour scheme while it is open.
  await page.waitForFunction(() => document.querySelector('.terminal-wrap:not([hidden])')?.getAttribute('data-theme') === 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.querySelector('.terminal-wrap:not([hidden])')?.getAttribute('data-theme') === 'dark');
  await a.screenshot('23-terminal-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.waitForFunction(() => document.querySelector('.terminal-wrap:not([hidden])')?.getAttribute('data-theme') === 'light');

  await page.locator('.terminal-wrap:not([hidden]) .term-host').click({ button: 'right' });
  await page.getByTestId('terminal-menu').waitFor();
  problems.push(...await axeBoth(page, 'terminal-menu'));
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+W');
  await page.getByTestId('close-confirm').waitFor();
  problems.push(...await axeBoth(page, 'close-confirm'));
  await page.keyboard.press('Escape');
  await page.keyboard.type('exit\r');
  await page.getByTestId('session-ended').waitFor();
  problems.push(...await axeBoth(page, 'session-ended'));
  await page.emulateMedia({ colorScheme: 'dark' });
  await a.screenshot('24-session-ended-dark');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Fabrics' }).click();
  await a.screenshot('25-fabrics-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(problems, []);
});

test('at 1024×640 host names stay whole (no break inside a name)', async (t) => {
  const a: App = await readyApp(t);
  const { page } = a;
  await page.setViewportSize({ width: 1024, height: 640 });
  const cells = page.getByTestId('devices-table').locator('tbody tr td:nth-child(3)');
  await cells.first().waitFor();
  const lines = await cells.evaluateAll((tds) => tds.map((td) => {
    const range = document.createRange();
    range.selectNodeContents(td);
    return { name: td.textContent ?? '', lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
  }));
  assert.ok(lines.length >= 6);
  for (const l of lines) assert.equal(l.lines, 1, `${l.name} is on one line`);
  await a.screenshot('26-fabrics-1024x640');
});
