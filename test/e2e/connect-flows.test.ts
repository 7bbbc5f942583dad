// Connect flows through the browser: search, wrong PIN, host-key mismatch, backup path, v1.5
// password, reconnect (touch timeout and cancel: connect-touch.test.ts). Each test enrolls a
// fresh simulated key in a fresh home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  answerPin, completeFirstConnect, connectTo, drillDevice, PIN, readyApp, trustHostKey,
} from '../support/e2e-harness';

const ready = readyApp;
const device = drillDevice;
const connect = connectTo;

test('fabric browse and search: role filter and free-text search narrow the device table', async (t) => {
  const a = await ready(t);
  const { page } = a;
  const rows = page.getByTestId('devices-table').locator('tbody tr');
  await rows.nth(5).waitFor();
  await page.getByLabel('Filter by role').selectOption('CE');
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().innerText(), /CE1/);
  await page.getByLabel('Filter by role').selectOption('');
  await page.getByLabel('Search devices').fill('tor1');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /ToR1\s+ToR\s+nx-tor1/);
  await page.getByLabel('Search devices').fill('127.0.80.16');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /MGMT1/);
  await page.getByLabel('Search devices').fill('no-such-device');
  await page.getByText('No device matches.').waitFor();
});

test('wrong PIN: the retry count drops and the prompt says so; the right PIN then connects', async (t) => {
  const a = await ready(t);
  const { page } = a;
  await connect(a, 'CE2');
  await trustHostKey(a);
  await answerPin(a, '000000');
  const pin = page.getByTestId('prompt-pin');
  await pin.getByText('Wrong PIN.').waitFor();
  assert.match(await pin.getByTestId('pin-retries').innerText(), /^7 tries left/);
  await a.screenshot('07-wrong-pin');
  await answerPin(a, PIN);
  await trustHostKey(a);
  await page.getByTestId('session-state').getByText('open').waitFor();
});

test('host-key mismatch is a hard stop: no login is attempted and the operator is told why', async (t) => {
  const a = await ready(t);
  const { page } = a;
  const fabric = a.app.drill.fabric();
  assert.ok(fabric);
  const ce1 = device(a, 'CE1');
  const ce2 = device(a, 'CE2');
  // The jump is known; CE1's address is on record with another device's key.
  writeFileSync(a.app.knownHostsFile, [
    `[${fabric.jump.host}]:${fabric.jump.port} ${fabric.jump.hostKeyLine}`,
    `[${ce1.primary.host}]:${ce1.primary.port} ${ce2.hostKeyLine}`,
  ].join('\n') + '\n');
  const touchesBefore = a.touch.count;
  await connect(a, 'CE1');
  await answerPin(a, PIN);
  const stop = page.getByTestId('prompt-host-key-mismatch');
  await stop.waitFor();
  assert.match(await stop.innerText(), new RegExp(ce1.hostKeyFingerprint.replace(/[+/]/g, '\\$&')));
  assert.match(await stop.innerText(), new RegExp(ce2.hostKeyFingerprint.replace(/[+/]/g, '\\$&')));
  await a.screenshot('10-host-key-mismatch');
  await page.keyboard.press('Escape');
  assert.equal(await stop.count(), 1, 'Escape does not dismiss a mismatch');
  await stop.getByRole('button', { name: 'Stop' }).click();
  const error = page.getByTestId('connect-error');
  await error.waitFor();
  assert.match(await error.innerText(), /HOST KEY CHANGED|changed/i);
  assert.equal(a.touch.count - touchesBefore, 1, 'only the jump host was signed in to; the device never got a signature');
});

test('backup path: a dead management address falls back to the in-band loopback; backup can be chosen directly', async (t) => {
  const a = await ready(t);
  const { page } = a;
  const tor = device(a, 'ToR1');
  assert.equal(tor.primaryDead, true);
  await connect(a, 'ToR1');
  await completeFirstConnect(a);
  assert.match(await page.getByTestId('session-info').innerText(), /backup path/);
  await a.waitForOutput(new RegExp(`${tor.hostname}>`));

  const touches = a.touch.count;
  await connect(a, 'CE2', { backup: true });
  // The jump connection is reused: the device's host key first, then this connect's own PIN.
  await trustHostKey(a);
  await answerPin(a, PIN);
  await page.getByRole('tab', { name: /nx-ce2/ }).waitFor();
  await page.getByTestId('session-state').getByText('open').waitFor();
  assert.match(await page.getByTestId('session-info').innerText(), /backup path/);
  assert.equal(a.touch.count - touches, 1, 'one signature: the jump host login was reused');
  await a.screenshot('11-backup-path');
});

test('Method D v1.5: the device asks for the shared password (key still signs for the jump host)', async (t) => {
  const a = await ready(t);
  const { page } = a;
  const account = a.app.drill.fabric()?.v15Accounts.find((x) => x.user === 'TelcoRO');
  assert.ok(account);
  await connect(a, 'NPB1', { v15: true, user: account.user });
  await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  const prompt = page.getByTestId('prompt-password');
  await prompt.waitFor();
  assert.match(await prompt.innerText(), /TelcoRO@/);
  await prompt.getByLabel('Password').fill(account.password);
  await a.screenshot('12-v15-password');
  await prompt.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('session-state').getByText('open').waitFor();
  assert.match(await page.getByTestId('session-info').innerText(), /v1\.5 password/);
  assert.ok(!a.output().includes(account.password), 'the password never reaches the terminal stream');
});

test('reconnect: a session the device closed comes back in the same tab, scrollback kept above a divider', async (t) => {
  const a = await ready(t);
  const { page } = a;
  const ce1 = device(a, 'CE1');
  await connect(a, 'CE1');
  await trustHostKey(a);
  await answerPin(a, PIN);
  await trustHostKey(a);
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(new RegExp(`${ce1.hostname}>`));
  await page.keyboard.type('show version\r');
  await a.waitForOutput(/Arista|EOS/i);
  await page.keyboard.type('exit\r');
  await page.getByTestId('session-state').getByText('closed').waitFor();
  await page.getByRole('button', { name: 'Reconnect' }).click();
  await answerPin(a, PIN); // a new connect: its own PIN; host keys are now on record
  await page.getByTestId('session-state').getByText('open').waitFor();
  await a.waitForOutput(/reconnected \d\d:\d\d:\d\d[\s\S]*nx-ce1-104>/);
  assert.equal(await page.getByRole('tab').count(), 1, 'the same tab');
  await a.screenshot('17-reconnected');
});
