// Change PIN on Windows without admin rights, in the real renderer: the key behind Windows Security
// has no PIN-change call, so the key panel says so and opens Windows' own security-key settings
// through the opener core was given (main's shell opener in the app).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Authenticator } from '../../native/authenticator/authenticator';
import type { KeySource } from '../../native/authenticator/key-source';
import { createWebAuthnWin } from '../../native/webauthn-win/webauthn-win';
import { CoreEvents, createCore } from '../../electron/app/dispatcher';
import { keysService } from '../../electron/core/keys/keys-service';
import { KeyStore } from '../../electron/core/keys/store';
import { PromptBroker } from '../../electron/core/prompts/broker';
import { SettingsStore } from '../../electron/core/settings/store';
import { seriousInBothSchemes } from '../support/axe';
import { openUi } from '../support/e2e-harness';
import { FakeWebAuthnDll } from '../support/webauthn-win/fake-webauthn-dll';
import { SoftWindowsAuthenticator } from '../support/webauthn-win/soft-windows-authenticator';

const hiddenHid: KeySource = { list: async () => [], open: async () => { throw new Error('nothing to open'); } };

test('key panel on the Windows Security route: Change PIN explains and opens Windows settings', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nbg-e2e-winpin-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const broker = new PromptBroker();
  const opened: string[] = [];
  const keys = keysService({
    auth: new Authenticator(hiddenHid, broker, {
      platform: 'win32',
      webauthn: () => createWebAuthnWin({ load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator()), hwnd: () => 1n, interaction: broker }),
    }),
    store: new KeyStore(path.join(root, 'ssh')), interaction: broker, transport: 'hid',
    readiness: async () => ({ checks: [], checkedAt: 0 }), upload: async () => undefined,
    openKeySettings: async () => { opened.push('ms-settings'); },
  });
  await keys.enroll('windows://webauthn'); // a key file, so the app opens on its screens instead of the first-run wizard
  const core = createCore({ version: 't', drill: false, settings: SettingsStore.inHome(path.join(root, 'home')), broker, events: new CoreEvents(), keys });
  t.after(() => core.dispose());
  const { page, screenshot } = await openUi(t, core);
  await page.getByRole('button', { name: 'Key' }).click();
  await page.getByText('Security key (through Windows Security)').waitFor();
  await page.getByRole('button', { name: 'Change PIN' }).click();
  const section = page.getByTestId('pin-windows-settings');
  await section.waitFor();
  assert.match(await section.innerText(), /WebAuthn\) has no call to change a PIN[\s\S]*Sign-in options → Security Key → Manage/);
  assert.equal(await section.getByLabel('Current PIN').count(), 0, 'no PIN form where the PIN cannot change');
  const open = section.getByRole('button', { name: 'Open Windows security key settings' });
  assert.equal(await open.evaluate((el) => el === document.activeElement), true, 'focus on the way forward');
  assert.deepEqual(await seriousInBothSchemes(page, 'key panel, Windows PIN'), []);
  await screenshot('winpin-01-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await screenshot('winpin-02-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await open.click();
  await page.getByText('Open Windows settings: done').waitFor();
  assert.deepEqual(opened, ['ms-settings']);
});
