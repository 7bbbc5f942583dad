// Connect flows through the browser over other paths: the backup path, Method D v1.5, and a
// reconnect in the same tab. Each test enrolls a fresh simulated key in a fresh home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerPin, completeFirstConnect, connectTo as connect, drillDevice as device, PIN, readyApp as ready, trustHostKey } from '../support/e2e-harness';

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
