// The terminal as operators expect it from Windows Terminal: one paste per gesture, multi-line
// paste confirmed first with the device and the role, copy on Ctrl+C with a selection, the
// right-click menu, font zoom, tab switching and closing from the keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriousViolations } from '../support/axe';
import {
  answerPin, connectTo, drillDevice, PIN, readyApp, trustHostKey, type App,
} from '../support/e2e-harness';

async function openCe(a: App, name: 'CE1' | 'CE2', first: boolean): Promise<void> {
  const { page } = a;
  await connectTo(a, name);
  // A first connect trusts the jump, then PIN, then the device; later ones reuse the jump login.
  await trustHostKey(a);
  await answerPin(a, PIN);
  if (first) await trustHostKey(a);
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
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme });
    assert.deepEqual(await seriousViolations(page), [], `paste confirmation, ${colorScheme}`);
  }
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(a.output().length, before, 'nothing reached the device before the confirmation');
  const sentBefore = a.writes().length;
  await dialog.getByRole('button', { name: 'Paste 3 lines' }).click();
  await dialog.waitFor({ state: 'detached' });
  await a.waitForOutput(/Hostname: [\s\S]*Hostname: /);
  assert.equal(a.writes().slice(sentBefore).join(''), 'show hostname\rshow hostname\rshow hostname\r', 'the three lines, once');
  const until = Date.now() + 15_000;
  while (count(a.output(), 'Hostname: ') < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500)); // a second copy, if any, would arrive now
  assert.equal(count(a.output(), 'Hostname: '), 4, 'three more answers: each line ran exactly once');
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), 'focus back in the terminal');

  // Declined: nothing is sent.
  await terminal.focus();
  await page.keyboard.press('Control+Shift+V');
  await dialog.waitFor();
  // Enter on the focused "Don't paste" declines (the dialog focuses it once it is drawn).
  await page.waitForFunction(() => document.activeElement?.textContent === 'Don\'t paste');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(count(a.output(), 'Hostname: '), 4);
  assert.match(a.output(), new RegExp(`${host}>`));

  // A device that asks for bracketed paste (DECSET 2004) gets the paste wrapped, still once.
  const id = await page.locator('.terminal-wrap:not([hidden])').getAttribute('data-session');
  assert.ok(id);
  a.mainEvent('ui:session.output', { id, data: '\x1b[?2004h' });
  await clipboard(a, 'show hostname');
  await terminal.focus();
  const bracketedFrom = a.writes().length;
  await page.keyboard.press('Control+Shift+V');
  const until2 = Date.now() + 15_000;
  while (a.writes().length === bracketedFrom && Date.now() < until2) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(a.writes().slice(bracketedFrom), ['\x1b[200~show hostname\x1b[201~']);
});

test('keyboard: Ctrl+Tab / Ctrl+Shift+Tab / Ctrl+1…9 switch tabs, Ctrl+Shift+W asks before closing a live session; Ctrl+C copies a selection; menu and zoom', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  await openCe(a, 'CE1', true);
  await openCe(a, 'CE2', false);
  const selected = () => page.getByRole('tab', { selected: true }).innerText();
  assert.match(await selected(), /nx-ce2/);
  await page.keyboard.press('Control+Tab');
  assert.match(await selected(), /nx-ce1/);
  await page.keyboard.press('Control+Shift+Tab');
  assert.match(await selected(), /nx-ce2/);
  await page.keyboard.press('Control+1');
  assert.match(await selected(), /nx-ce1/);
  await page.keyboard.press('Control+9'); // the last tab, as in browsers and Windows Terminal
  assert.match(await selected(), /nx-ce2/);
  // From another screen, Ctrl+1 comes back to the sessions.
  await page.getByRole('button', { name: 'Fabrics' }).click();
  await page.keyboard.press('Control+1');
  assert.match(await selected(), /nx-ce1/);
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), 'focus in the terminal');

  // Ctrl+C with a selection copies (and sends no ^C); without one it is ^C for the device.
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(a.host.url).origin });
  await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
  const term = page.locator('.terminal-wrap:not([hidden]) .term-host');
  await term.click({ button: 'right' });
  const menu = page.getByTestId('terminal-menu');
  assert.deepEqual(await menu.getByRole('menuitem').allInnerTexts(), ['Copy', 'Paste', 'Select all', 'Find']);
  await a.screenshot('21-terminal-menu');
  await menu.getByRole('menuitem', { name: 'Select all' }).click();
  const sent = a.output().length;
  await page.keyboard.press('Control+C');
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /nx-ce1-104>/);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(a.output().length, sent, 'no ^C went to the device');
  await page.keyboard.press('Control+C');
  await a.waitForOutput(/\^C/);

  // Find from the menu; zoom changes the font size and Ctrl+0 resets it.
  await term.click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Find' }).click();
  await page.getByLabel('Search terminal').waitFor();
  await page.keyboard.press('Escape');
  // The size xterm draws with (term.options.fontSize), as the view reports it.
  const wrap = page.locator('.terminal-wrap:not([hidden])');
  await page.locator('.terminal-wrap:not([hidden]) .xterm-helper-textarea').focus();
  assert.equal(await wrap.getAttribute('data-font-size'), '13');
  await page.keyboard.press('Control+=');
  await page.keyboard.press('Control+=');
  assert.equal(await wrap.getAttribute('data-font-size'), '15');
  await page.keyboard.press('Control+-');
  assert.equal(await wrap.getAttribute('data-font-size'), '14');
  await page.keyboard.press('Control+0');
  assert.equal(await wrap.getAttribute('data-font-size'), '13');

  // Ctrl+Shift+W on a live session asks first; "Keep open" has the focus.
  await page.keyboard.press('Control+Shift+W');
  const confirm = page.getByTestId('close-confirm');
  await confirm.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Keep open');
  await a.screenshot('22-close-confirm');
  await page.keyboard.press('Enter');
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('tab').count(), 2);
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')), 'focus back in the terminal');
  await page.keyboard.press('Control+Shift+W');
  await confirm.getByRole('button', { name: 'Close session' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('tab').count(), 1);
  assert.match(await selected(), /nx-ce2/);
});
