// Keyboard first and accessible: focus lands on the primary control of every step and returns
// after a dialog; the touch prompt does not focus Cancel; the navigation is inert during the
// wizard; dialogs have their own title ids; the terminal theme follows the OS live; host names stay
// whole at 1024×640; axe-core finds no critical or serious violation on any screen, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { seriousViolations } from '../support/axe';
import {
  answerPin, connectTo, drillDevice, openConnect, PIN, readyApp, startApp, trustHostKey, type App,
} from '../support/e2e-harness';

const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'body';
  return `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[${el.getAttribute('role')}]` : ''}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`;
});

/** axe in light then dark; returns "screen/scheme: rule (targets)" for each critical or serious violation. */
async function axeBoth(page: Page, screen: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const v of await seriousViolations(page)) found.push(`${screen}/${colorScheme}: ${v.id} (${v.targets.slice(0, 3).join(', ')})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

test('wizard: focus on each step\'s primary control, navigation inert, touch prompt focus not on Cancel (Enter does not cancel)', async (t) => {
  const a = await startApp(t);
  const { page } = a;
  a.touch.delayMs = 2500;
  const problems: string[] = [];
  await page.getByTestId('enroll-wizard').waitFor();
  await page.getByRole('button', { name: 'Continue' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Continue');
  assert.equal(await focused(page), 'button:Continue', 'at launch focus is on the first step, not the page body');
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Fabrics' }).isDisabled(), true);
  assert.equal(await page.locator('header[inert]').count(), 1, 'the header is inert during the wizard');
  problems.push(...await axeBoth(page, 'wizard-detect'));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'New PIN');
  problems.push(...await axeBoth(page, 'wizard-pin'));
  await page.keyboard.type(PIN);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.textContent === 'Create key');
  await page.keyboard.press('Enter');
  const pin = page.getByTestId('prompt-pin');
  await pin.waitFor();
  assert.equal(await focused(page), 'input:PIN');
  problems.push(...await axeBoth(page, 'prompt-pin'));
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  const touch = page.getByTestId('prompt-touch');
  await touch.waitFor();
  assert.match(await focused(page), /^div\[dialog\]/, 'the touch dialog itself has the focus, not Cancel');
  problems.push(...await axeBoth(page, 'prompt-touch'));
  await page.keyboard.press('Enter'); // a reflex Enter
  await touch.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Upload' }).waitFor();
  assert.equal(await page.getByTestId('wizard-error').count(), 0, 'Enter did not cancel the touch: the key was created');
  await page.waitForFunction(() => document.activeElement?.textContent === 'Upload');
  await page.keyboard.press('Enter');
  await page.getByTestId('readiness').waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === 'Done');
  problems.push(...await axeBoth(page, 'wizard-ready'));
  await page.keyboard.press('Enter');
  await page.getByTestId('devices-table').waitFor();
  assert.notEqual(await focused(page), 'body', 'after the wizard, focus is on the Fabrics screen');
  assert.deepEqual(problems, []);
});

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
