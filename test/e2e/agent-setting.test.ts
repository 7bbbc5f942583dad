// Settings → SSH agent: switching it on in the UI starts the app's agent; stock ssh-add (the
// oracle) then lists the enrolled key; switching it off stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { enroll, startApp } from '../support/e2e-harness';

/** Asynchronous on purpose: the agent answers from this very process. */
function sshAddList(socket: string): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    execFile('ssh-add', ['-L'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SSH_AUTH_SOCK: socket }, encoding: 'utf8', timeout: 10_000 },
      (err, stdout) => resolve({ status: err ? (typeof err.code === 'number' ? err.code : -1) : 0, out: stdout }));
  });
}

test('the agent follows the setting: on → ssh-add lists the key, off → the socket is gone', async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a);
  await page.getByRole('button', { name: 'Done' }).click();
  const socket = path.join(a.home, 'agent.sock');
  assert.ok((await a.app.core.invoke('core:settings.update', { agent: { enabled: false, path: socket } })).ok);

  await page.getByRole('button', { name: 'Settings' }).click();
  const toggle = page.getByRole('checkbox', { name: /Offer the security key to other SSH tools/ });
  await toggle.click();
  await page.getByTestId('settings-status').getByText('Agent saved.').waitFor();
  assert.equal(await toggle.isChecked(), true);
  let listed = await sshAddList(socket);
  for (let i = 0; i < 40 && listed.status !== 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    listed = await sshAddList(socket);
  }
  assert.equal(listed.status, 0, 'ssh-add reached the agent');
  const key = (await a.app.keyStore.list())[0];
  assert.ok(key);
  assert.equal(listed.out.trim().split(/\s+/).slice(0, 2).join(' '), key.publicKeyLine.split(/\s+/).slice(0, 2).join(' '));

  await toggle.click();
  await page.getByTestId('settings-status').getByText('Agent saved.').waitFor();
  for (let i = 0; i < 40 && existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(existsSync(socket), false, 'the socket is removed when the agent stops');
  assert.notEqual((await sshAddList(socket)).status, 0);
});
