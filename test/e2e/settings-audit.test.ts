// Settings, key readiness, audit log with chain verification and recording replay, drill marking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriousViolations } from '../support/axe';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { completeFirstConnect, enroll, openConnect, startApp } from '../support/e2e-harness';

test('settings: jump host, user name template and backup addresses are saved through core', async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a);
  await page.getByRole('button', { name: 'Done' }).click();
  assert.match(await page.getByTestId('drill-banner').innerText(), /DRILL MODE/);
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('User name template').fill('{alias}');
  await page.getByLabel('User name template').press('Enter');
  await page.getByTestId('settings-status').getByText('User name template saved.').waitFor();
  await page.getByLabel('Backup addresses').fill('hostName,address\nnx-ce1-104,127.0.81.99\nleaf-x,fd00::1/128\n');
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('settings-status').getByText('Imported 2 backup addresses.').waitFor();
  await page.getByLabel('Backup addresses').fill('leaf-y,not-an-address');
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('settings-status').getByText(/line 1.*not an IPv4 or IPv6 address/).waitFor();
  // Recording: on by default, keystrokes off; keystrokes cannot be on while recording is off.
  const recordSessions = page.getByLabel(/Record every session/);
  const recordKeys = page.getByLabel(/Also record keystrokes/);
  assert.equal(await recordSessions.isChecked(), true);
  assert.equal(await recordKeys.isChecked(), false);
  // The boxes show what core saved, so they change once the update returns.
  await recordKeys.click();
  await page.getByTestId('settings-status').getByText('Recording saved.').waitFor();
  assert.equal(await recordKeys.isChecked(), true);
  await a.screenshot('13-settings');
  const saved = JSON.parse(readFileSync(path.join(a.home, 'settings.json'), 'utf8'));
  assert.deepEqual(saved.recording, { sessions: true, input: true });
  await recordSessions.click();
  await page.waitForFunction(() => (document.querySelector('input[type=checkbox]:disabled') !== null));
  assert.equal(await recordSessions.isChecked(), false);
  assert.equal(await recordKeys.isDisabled(), true, 'keystrokes only with recording on');
  assert.equal(saved.userNameTemplate, '{alias}');
  assert.deepEqual(saved.backupAddresses, { 'nx-ce1-104': '127.0.81.99', 'leaf-x': 'fd00::1' });

  // The template now names the device user; the imported backup address is offered for CE1.
  await openConnect(a, 'nx-ce1-104');
  assert.equal(await page.getByLabel('Device user name').inputValue(), 'operator');
  assert.equal(await page.getByLabel(/Backup \(in-band loopback\)/).isEnabled(), true);

  // With recording off, a session opens without the REC mark and writes no recording. (The drill
  // devices know the drill's own user name, not the one the template now makes.)
  await page.getByLabel('Device user name').fill('operator@drill.nexus');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await completeFirstConnect(a);
  await a.waitForOutput(/nx-ce1-104>/);
  assert.equal(await page.getByTitle('This session is recorded').count(), 0);
  assert.equal(existsSync(path.join(a.home, 'recordings')) ? readdirSync(path.join(a.home, 'recordings')).length : 0, 0);
});

test('key panel shows readiness; audit view verifies the chain and replays a recorded session', async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('button', { name: 'Key' }).click();
  await page.getByTestId('readiness').locator('li').nth(4).waitFor();
  assert.equal(await page.getByTestId('readiness').locator('li[data-status="ok"]').count(), 5);
  await a.screenshot('14-key-panel');

  await openConnect(a, 'nx-ce2-097');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await completeFirstConnect(a);
  await a.waitForOutput(/nx-ce2-097>/);
  await page.getByTitle('This session is recorded').waitFor();
  await page.keyboard.type('show version\r');
  await a.waitForOutput(/Arista|EOS/i);
  await page.getByTestId('session-info').getByRole('button', { name: 'Close session' }).click();
  await page.getByTestId('close-confirm').getByRole('button', { name: 'Close session' }).click();
  await page.getByRole('tab').waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Audit' }).click();
  const verify = page.getByTestId('audit-verify');
  await verify.waitFor();
  assert.match(await verify.innerText(), /Chain intact \(\d+ entries\)/);
  // The session end is written when the channel closes; reload until it is there.
  const replay = page.getByRole('button', { name: 'Replay' });
  for (let i = 0; i < 20 && (await replay.count()) === 0; i++) {
    await page.waitForTimeout(250);
    await page.getByRole('button', { name: 'Reload' }).click();
  }
  // Each kind in words, as the event column names it.
  for (const event of ['Key created', 'Host key', 'Connecting', 'Signature', 'Connection', 'Session end']) {
    assert.ok(await page.getByRole('cell', { name: event, exact: true }).count() > 0, event);
  }
  await replay.first().click();
  const player = page.getByRole('region', { name: 'Recording replay' });
  await player.waitFor();
  // Titled by the device and the time, in view, focus on its title; play/pause, speed, seek.
  const title = player.getByRole('heading');
  assert.match(await title.innerText(), /^Session with nx-ce2-097, ended .+/);
  assert.equal(await title.evaluate((el) => el === document.activeElement), true);
  const box = await title.boundingBox();
  assert.ok(box && box.y >= 0 && box.y < (page.viewportSize()?.height ?? 800), 'the replay is in view');
  await player.getByRole('button', { name: 'Pause' }).click();
  await player.getByRole('button', { name: 'Play' }).waitFor();
  await player.getByLabel('Speed').selectOption('8');
  const seek = player.getByRole('slider', { name: 'Position' });
  await seek.fill(await seek.getAttribute('max') ?? '0');
  await player.locator('.xterm-rows').getByText('nx-ce2-097>').first().waitFor();
  const [at, total] = (await page.getByTestId('replay-clock').innerText()).split(' / ');
  assert.equal(at, total);
  assert.notEqual(total, '0:00.0', 'the recording has a length');
  await a.screenshot('15-audit-replay');
  await seek.fill('0');
  assert.match(await page.getByTestId('replay-clock').innerText(), /^0:00\.0 \//);
  assert.equal(await player.locator('.xterm-rows').getByText('nx-ce2-097>').count(), 0, 'seeking back to the start clears the screen');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'audit view, light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await a.screenshot('16-audit-replay-dark');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'audit view, dark');
});
