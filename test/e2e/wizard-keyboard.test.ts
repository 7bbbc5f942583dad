// The first-run wizard from the keyboard: focus starts on each step's primary control, the
// navigation is inert, the touch prompt holds the focus itself (a reflex Enter never cancels a
// touch), and axe finds no critical or serious violation on any step, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriousInBothSchemes as axeBoth } from '../support/axe';
import { focusedLabel as focused, PIN, startApp } from '../support/e2e-harness';

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
