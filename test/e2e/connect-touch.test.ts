// Connect flows that wait on the security key's touch: the key gives up, or the operator cancels.
// (Apart from connect-flows.test.ts so each file stays well inside the per-file time limit.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerPin, connectTo, PIN, readyApp, startApp, trustHostKey, type App } from '../support/e2e-harness';

/** Connects to CE1 with a key that is never touched, up to the touch prompt (PIN answered). */
async function untilTouchPrompt(t: Parameters<typeof startApp>[0], upTimeoutMs: number): Promise<App> {
  const a = await readyApp(t, { upTimeoutMs });
  a.touch.answer = 'never';
  await connectTo(a, 'CE1');
  await trustHostKey(a);
  await answerPin(a, PIN);
  await a.page.getByTestId('prompt-touch').waitFor();
  return a;
}

test('touch timeout: the key gives up waiting, the connect fails with a reason, nothing opens', async (t) => {
  const a = await untilTouchPrompt(t, 1500);
  const { page } = a;
  assert.match(await page.getByTestId('prompt-touch').getByTestId('prompt-where').innerText(), /drill-jump/);
  const error = page.getByTestId('connect-error');
  await error.waitFor();
  assert.match(await error.innerText(), /touch|timed out|time/i);
  assert.equal(await page.getByTestId('prompt-touch').count(), 0, 'the touch prompt closes with the operation');
  await a.screenshot('08-touch-timeout');
});

test('touch cancel: closing the touch prompt cancels down to the key and the connect', async (t) => {
  const a = await untilTouchPrompt(t, 20_000);
  const { page } = a;
  const touch = page.getByTestId('prompt-touch');
  await a.screenshot('09-touch-prompt');
  const started = Date.now();
  await touch.getByRole('button', { name: 'Cancel' }).click();
  const error = page.getByTestId('connect-error');
  await error.waitFor();
  assert.match(await error.innerText(), /cancel/i);
  assert.ok(Date.now() - started < 10_000, 'the key stopped waiting instead of running into its 20 s timeout');
});
