// The terminal as operators expect it from Windows Terminal: one paste per gesture, multi-line
// paste confirmed first with the device and the role, copy on Ctrl+C with a selection, the
// right-click menu, font zoom, tab switching and closing from the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answerPin, connectTo, drillDevice, PIN, readyApp, trustHostKey, type App,
} from '../support/e2e-harness';

async function openCe(a: App, name: 'CE1' | 'CE2', first: boolean): Promise<void> {
  const { page } = a;
  await connectTo(a, name);
  if (first) await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  await page.getByRole('tab', { name: new RegExp(drillDevice(a, name).hostname) }).waitFor();
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(new RegExp(`${drillDevice(a, name).hostname}>`));
}

async function clipboard(a: App, text: string): Promise<void> {
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(a.host.url).origin });
  await a.page.evaluate((t) => navigator.clipboard.writeText(t), text);
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

test('safe paste: one Ctrl+Shift+V of three lines shows them with device and role, and sends them once after confirmation', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  await openCe(a, 'CE1', true);
  const host = drillDevice(a, 'CE1').hostname;
  const terminal = page.locator('.terminal-wrap:not([hidden]) .xterm-helper-textarea');

  // One line: no question, sent once.
  await clipboard(a, 'show hostname');
  await terminal.focus();
  await page.keyboard.press('Control+Shift+V');
  await a.waitForOutput(/show hostname/);
  await page.keyboard.press('Enter');
  await a.waitForOutput(/Hostname: /);
  assert.equal(count(a.output(), 'Hostname: '), 1);
  assert.ok(!a.output().includes('show hostnameshow hostname'), 'pasted once, not twice');

  // Three lines: the dialog first, nothing sent until the operator says so.
  await clipboard(a, 'show hostname\nshow hostname\nshow hostname\n');
  const before = a.output().length;
  await terminal.focus();
  await page.keyboard.press('Control+Shift+V');
  const dialog = page.getByTestId('paste-confirm');
  await dialog.waitFor();
  assert.deepEqual(await dialog.getByTestId('paste-lines').locator('li').allInnerTexts(), ['show hostname', 'show hostname', 'show hostname']);
  const text = await dialog.innerText();
  assert.match(text, new RegExp(`Paste 3 lines into ${host}`));
  assert.match(text, /Writer — these commands can change the configuration/);
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Don\'t paste', 'a reflex Enter does not paste');
  await a.screenshot('20-paste-confirm');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(a.output().length, before, 'nothing reached the device before the confirmation');
  await dialog.getByRole('button', { name: 'Paste 3 lines' }).click();
  await dialog.waitFor({ state: 'detached' });
  const until = Date.now() + 15_000;
  while (count(a.output(), 'Hostname: ') < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500)); // a second copy, if any, would arrive now
  assert.equal(count(a.output(), 'Hostname: '), 4, 'three more answers: each line ran exactly once');
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), 'focus back in the terminal');

  // Declined: nothing is sent.
  await terminal.focus();
  await page.keyboard.press('Control+Shift+V');
  await dialog.waitFor();
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(count(a.output(), 'Hostname: '), 4);
  assert.match(a.output(), new RegExp(`${host}>`));
});
