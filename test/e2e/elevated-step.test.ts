// The elevated copy's window (Windows, started through UAC for one key step) in Chromium: the real
// renderer against the step core on the simulated key, at the compact window's size; and the
// operator's window while a step runs there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Authenticator } from '../../native/authenticator/authenticator';
import { HidAccessDeniedError } from '../../native/hid/errors';
import { CoreEvents, createCore } from '../../electron/app/dispatcher';
import { composeElevatedStepCore } from '../../electron/app/elevated-step';
import { keysService } from '../../electron/core/keys/keys-service';
import { authenticatorFromEnv } from '../../electron/core/keys/authenticator-factory';
import { desktopRelaunch } from '../../electron/core/keys/elevate';
import { runElevatedStep } from '../../electron/core/keys/elevated-step';
import { KeyStore } from '../../electron/core/keys/store';
import { PromptBroker } from '../../electron/core/prompts/broker';
import { SettingsStore } from '../../electron/core/settings/store';
import type { ElevatedAction } from '../../electron/shared/keys';
import { nbg } from '../support/nbg';
import { ScriptedInteraction } from '../support/scripted-interaction';
import { openUi, PIN } from '../support/e2e-harness';

const STEP_WINDOW = { width: 560, height: 560 };

async function stepWindow(t: { after(fn: () => Promise<void> | void): void }, action: ElevatedAction, prepare: (env: NodeJS.ProcessEnv, root: string) => Promise<void>) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-step-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const home = path.join(root, 'operator');
  const env = { HOME: home, USERPROFILE: home, NBG_HOME: path.join(home, 'nbg'), NBG_SIMULATOR: path.join(root, 'sim.json') };
  await prepare(env, root);
  const core = await composeElevatedStepCore({ action, env });
  t.after(() => core.dispose());
  const ui = await openUi(t, core);
  await ui.page.setViewportSize(STEP_WINDOW);
  await ui.page.getByTestId('elevated-step').waitFor();
  return { ...ui, home };
}

test('elevated window: an import step asks for the PIN, saves the keys and ends on the done screen', async (t) => {
  const { page, screenshot, home } = await stepWindow(t, 'import-resident', async (env, root) => {
    // A key with a PIN and one resident SSH key (its files written elsewhere).
    assert.equal((await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
    assert.equal((await nbg(['keys', 'enroll', '--dir', path.join(root, 'elsewhere'), '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  });
  assert.equal(await page.getByRole('note').innerText(), 'Running one step as Administrator: Importing the SSH keys stored on the security key');
  const pin = page.getByTestId('prompt-pin');
  await pin.waitFor();
  await pin.getByLabel('PIN').fill(PIN);
  await screenshot('18-elevated-import-pin');
  await pin.getByRole('button', { name: 'Continue' }).click();
  const outcome = page.getByTestId('step-outcome');
  await outcome.waitFor();
  assert.equal(await outcome.getAttribute('data-outcome'), 'done');
  const file = path.join(home, '.ssh', 'id_ed25519_sk_rk');
  assert.match(await outcome.innerText(), new RegExp(`Done[\\s\\S]*Saved 1 of 1 SSH key into ${path.join(home, '.ssh')}\\.[\\s\\S]*Saved ${file} \\(SHA256:`));
  assert.ok(await outcome.getByRole('button', { name: 'Close' }).isEnabled());
  await screenshot('19-elevated-import-done');
  assert.ok(existsSync(file) && existsSync(`${file}.pub`));
});

test('elevated window: PIN management asks for the new PIN twice, and a cancelled step says it did not succeed', async (t) => {
  const { page, screenshot } = await stepWindow(t, 'pin-management', async () => undefined);
  const dialog = page.getByTestId('prompt-new-pin');
  await dialog.waitFor();
  await dialog.getByLabel('New PIN').fill(PIN);
  await dialog.getByLabel('Repeat PIN').fill('000000');
  assert.equal(await dialog.getByRole('button', { name: 'Set PIN' }).isDisabled(), true, 'different PINs cannot be sent');
  await dialog.getByLabel('Repeat PIN').fill(PIN);
  await screenshot('20-elevated-new-pin');
  await dialog.getByRole('button', { name: 'Set PIN' }).click();
  const outcome = page.getByTestId('step-outcome');
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /PIN set on Simulated YubiKey/);

  const again = await stepWindow(t, 'pin-management', async () => undefined);
  await again.page.getByTestId('prompt-new-pin').getByRole('button', { name: 'Cancel' }).click();
  const failed = again.page.getByTestId('step-outcome');
  await failed.waitFor();
  assert.equal(await failed.getAttribute('data-outcome'), 'failed');
  assert.match(await failed.innerText(), /This step did not succeed[\s\S]*cancelled/);
});

test('operator\'s window: the Key panel offers the Administrator step, says where to finish it, then that it is done', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-operator-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const keyDir = path.join(root, 'operator', '.ssh');
  const env = { NBG_SIMULATOR: path.join(root, 'sim.json'), NBG_HOME: path.join(root, 'setup') };
  assert.equal((await nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  // The operator already has a key file (so the app opens normally); the security key holds a resident one.
  assert.equal((await nbg(['keys', 'enroll', '--dir', keyDir, '--no-resident', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  assert.equal((await nbg(['keys', 'enroll', '--dir', path.join(root, 'elsewhere'), '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);

  let finishStep = (): void => undefined;
  // Stands in for main and the elevated window: waits until the test lets the step run, then runs it on the simulator.
  const elevatedCopy = {
    relaunchElevated: async (action: ElevatedAction) => {
      await new Promise<void>((resolve) => { finishStep = resolve; });
      const ui = Object.assign(new ScriptedInteraction({ defaultPin: PIN }), { newPin: async () => null });
      const { authenticator } = await authenticatorFromEnv(env, ui);
      await runElevatedStep(action, { authenticator, store: new KeyStore(keyDir), interaction: ui });
    },
  };
  const broker = new PromptBroker();
  const events = new CoreEvents();
  const denied = {
    list: async () => [{ path: 'hid-1', vendorId: 0x1050, productId: 0x0407, product: 'YubiKey 5' }],
    open: async () => { throw new HidAccessDeniedError(); },
  };
  const store = new KeyStore(keyDir);
  const keys = keysService({
    auth: new Authenticator(denied, broker, { platform: 'win32', webauthn: () => null, relaunchElevated: desktopRelaunch(elevatedCopy, (p) => events.emit('ui:progress', p)) }),
    store, interaction: broker, transport: 'hid',
    readiness: async () => ({ checks: [], checkedAt: 0 }), upload: async () => undefined,
  });
  const core = createCore({ version: 't', drill: false, settings: SettingsStore.inHome(path.join(root, 'home')), broker, events, keys });
  t.after(() => core.dispose());
  const { page, screenshot } = await openUi(t, core);
  await page.getByRole('button', { name: 'Key' }).click();
  await page.getByRole('button', { name: 'Import resident key' }).click();
  const offer = page.getByTestId('prompt-confirm');
  await offer.waitFor();
  assert.match(await offer.innerText(), /needs direct access to the key[\s\S]*Run just this step as Administrator\? Windows will ask for permission\./);
  await offer.getByRole('button', { name: 'Yes' }).click();
  const line = page.getByTestId('progress-line');
  await line.getByText('Finish this step in the Administrator window. Windows asks for permission first.').waitFor();
  await screenshot('21-operator-waits-for-elevated-step');
  finishStep();
  await line.getByText('Done in the Administrator window.').waitFor();
  await page.getByText('Import resident key: done').waitFor();
  assert.ok(existsSync(path.join(keyDir, 'id_ed25519_sk_rk')), 'the step wrote into the operator\'s key folder');
});
