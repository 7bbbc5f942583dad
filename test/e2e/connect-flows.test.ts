// Connect flows through the browser: search, wrong PIN, host-key mismatch (backup path, v1.5 and
// reconnect: connect-paths.test.ts; touch timeout and cancel: connect-touch.test.ts). Each test
// enrolls a fresh simulated key in a fresh home. Split so each file stays inside the per-file limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {
  answerPin, connectTo, drillDevice, PIN, readyApp, trustHostKey,
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
