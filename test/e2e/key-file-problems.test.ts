// A damaged key file is said in the key panel, not read as "no key": the app does not send the
// operator back into the enrollment wizard (which would then refuse to overwrite the file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { seriousViolations } from '../support/axe';
import { enroll, startApp } from '../support/e2e-harness';

test('key panel: a damaged key file is named with what is wrong, and no wizard opens', async (t) => {
  const a = await startApp(t);
  const { page } = a;
  await enroll(a);
  await page.getByRole('button', { name: 'Done' }).click();
  const keyFile = path.join(a.home, 'drill', 'ssh', 'id_ed25519_sk');
  writeFileSync(keyFile, '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA!!\n-----END OPENSSH PRIVATE KEY-----\n');

  await page.reload();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Key' }).click();
  const problems = page.getByTestId('key-file-problems');
  await problems.waitFor();
  assert.match(await problems.innerText(), /Key file not usable: .*id_ed25519_sk is damaged/);
  // The readiness checklist says the same: no key file to sign with.
  await page.getByTestId('readiness').waitFor();
  assert.equal(await page.locator('[data-testid=readiness] li[data-status=fail]').filter({ hasText: 'SSH key file present' }).count(), 1);
  assert.match(await page.getByText(/No usable key on this computer/).innerText(), /No usable key/);
  assert.equal(await page.getByTestId('enroll-wizard').count(), 0, 'no enrollment wizard for a damaged key');
  await a.screenshot('30-key-file-damaged');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'key panel, light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await a.screenshot('30-key-file-damaged-dark');
  assert.deepEqual(await seriousViolations(page, '.panel'), [], 'key panel, dark');
  // The check bites: a button without a name in the same panel is reported.
  await page.evaluate(() => document.querySelector('.panel')?.append(document.createElement('button')));
  assert.ok((await seriousViolations(page, '.panel')).some((v) => v.id === 'button-name'));
});
