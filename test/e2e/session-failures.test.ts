// When a session fails or ends: the failure stays in its tab (never the app-level fatal screen),
// says why and when, takes no input, stops REC, and offers the next actions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answerPin, connectTo, drillDevice, PIN, readyApp, trustHostKey, type App,
} from '../support/e2e-harness';

/** CE1 then CE2 open in two tabs (first connects: host keys trusted, one PIN each). */
async function twoTabs(a: App): Promise<void> {
  const { page } = a;
  await connectTo(a, 'CE1');
  await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(new RegExp(`${drillDevice(a, 'CE1').hostname}>`));
  await connectTo(a, 'CE2');
  await trustHostKey(a);
  await answerPin(a, PIN);
  await page.getByRole('tab', { name: /nx-ce2/ }).waitFor();
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(new RegExp(`${drillDevice(a, 'CE2').hostname}>`));
}

test('reconnect with the fabric down keeps the app and the other tabs; the failure shows in its tab with next actions', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  await twoTabs(a);
  const fabric = a.app.drill.fabric();
  assert.ok(fabric);
  await fabric.stop(); // jump host and devices gone: both sessions end, every new connection is refused

  await page.getByTestId('session-state').getByText(/closed/).waitFor();
  await page.getByRole('button', { name: 'Reconnect' }).click();
  const ended = page.getByTestId('session-ended');
  await ended.getByText('Could not connect').waitFor();
  assert.equal(await page.locator('.fatal').count(), 0, 'no app-level fatal screen');
  assert.equal(await page.getByRole('tab').count(), 2, 'both tabs are still there');
  const text = await ended.innerText();
  assert.match(text, /at \d\d:\d\d:\d\d/);
  assert.match(text, /refused|not reachable|could not|unreachable/i);
  for (const action of ['Retry', 'Try the backup path', 'Use the Method D v1.5 account']) {
    assert.equal(await ended.getByRole('button', { name: action }).count(), 1, action);
  }
  assert.equal(await page.getByTestId('session-state').innerText().then((s) => s.startsWith('failed')), true);
  await a.screenshot('18-reconnect-failed-in-tab');

  // The other tab is there and shows its own (closed) session; the nav still works.
  await page.getByRole('tab', { name: /nx-ce1/ }).click();
  await page.getByTestId('session-ended').getByText('Session closed').waitFor();
  await page.getByRole('button', { name: 'Fabrics' }).click();
  await page.getByTestId('devices-table').waitFor();
});

test('a closed session says so: why and when in the terminal, input off, REC stopped, Reconnect in the tab, scrollback kept', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  const ce1 = drillDevice(a, 'CE1');
  await connectTo(a, 'CE1');
  await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(new RegExp(`${ce1.hostname}>`));
  await page.getByTestId('rec').waitFor();
  const terminal = page.locator('.terminal-wrap:not([hidden])');
  assert.equal(await terminal.getAttribute('data-input'), 'on');
  await page.keyboard.type('show version\r');
  await a.waitForOutput(/Arista|EOS/i);
  await page.keyboard.type('exit\r');

  const ended = page.getByTestId('session-ended');
  await ended.getByText('Session closed').waitFor();
  assert.match(await ended.innerText(), /Session closed at \d\d:\d\d:\d\d/);
  assert.equal(await page.getByTestId('rec').count(), 0, 'REC no longer shown');
  await page.getByTestId('rec-stopped').waitFor();
  assert.equal(await terminal.getAttribute('data-input'), 'off');
  // The terminal itself says why and when (read from xterm's buffer: WebGL draws no DOM text).
  const lines = await terminalText(a);
  assert.match(lines, /session closed at \d\d:\d\d:\d\d/);
  assert.match(lines, /show version/, 'scrollback kept');
  // Keystrokes go nowhere (and are not silently sent): nothing reaches the device.
  const before = a.output().length;
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type('show clock\r');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(a.output().length, before);
  await a.screenshot('19-session-closed');

  await ended.getByRole('button', { name: 'Reconnect' }).click();
  await answerPin(a, PIN);
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(/reconnected \d\d:\d\d:\d\d/);
  assert.equal(await terminal.getAttribute('data-input'), 'on');
  await page.getByTestId('rec').waitFor();
  assert.equal(await page.getByTestId('session-ended').count(), 0);
});

/** The visible terminal's text, through its own right-click menu: Select all, Copy, then the clipboard. */
export async function terminalText(a: App): Promise<string> {
  const { page } = a;
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(a.host.url).origin });
  const term = page.locator('.terminal-wrap:not([hidden]) .term-host');
  await term.click({ button: 'right' });
  await page.getByTestId('terminal-menu').getByRole('menuitem', { name: 'Select all' }).click();
  await term.click({ button: 'right' });
  await page.getByTestId('terminal-menu').getByRole('menuitem', { name: 'Copy' }).click();
  return page.evaluate(() => navigator.clipboard.readText());
}

test('after a core restart the tabs stay: each says its session ended with the core, and Reconnect opens it again in the same tab', async (t) => {
  const a = await readyApp(t);
  const { page } = a;
  await twoTabs(a);
  const ids = await page.locator('.terminal-wrap').evaluateAll((els) => els.map((e) => e.getAttribute('data-session') ?? ''));
  assert.equal(ids.length, 2);
  // What a restart leaves behind: main's ui:core, and a core that knows none of the old sessions.
  a.mainEvent('ui:core', { restartedAt: Date.now() });
  await page.getByTestId('session-ended').getByText(/core stopped and was started again/).waitFor();
  assert.equal(await page.getByRole('tab').count(), 2);
  assert.equal(await page.locator('.fatal').count(), 0);
  await a.screenshot('30-core-restarted');
  for (const id of ids) assert.ok((await a.app.core.invoke('core:sessions.close', { id })).ok);

  await page.getByTestId('session-ended').getByRole('button', { name: 'Reconnect' }).click();
  await answerPin(a, PIN); // a new connect through a new jump login
  await page.getByTestId('session-state').getByText('open').waitFor();
  assert.equal(await page.getByRole('tab').count(), 2, 'still two tabs: the session came back in its own tab');
  const now = await page.locator('.terminal-wrap:not([hidden])').getAttribute('data-session');
  assert.ok(now && !ids.includes(now), 'a new session behind the same tab');
  assert.match(await terminalText(a), new RegExp(`${drillDevice(a, 'CE2').hostname}>[\\s\\S]*session closed at[\\s\\S]*${drillDevice(a, 'CE2').hostname}>`),
    'the old scrollback is above the new session');
});
