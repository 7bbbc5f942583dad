// The desktop app's key state on Windows without admin rights, where raw HID shows no key: the
// Windows Security key appears as a webauthn device (no PIN state to show), and an enrollment
// through it is written to the key folder and put on record as a webauthn.dll enrollment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Authenticator } from '../../../native/authenticator/authenticator';
import type { KeySource } from '../../../native/authenticator/key-source';
import { createWebAuthnWin } from '../../../native/webauthn-win/webauthn-win';
import type { AuditEventInput } from '../../../electron/core/audit/events';
import { keysService } from '../../../electron/core/keys/keys-service';
import { KeyStore } from '../../../electron/core/keys/store';
import { FakeWebAuthnDll } from '../../support/webauthn-win/fake-webauthn-dll';
import { SoftWindowsAuthenticator } from '../../support/webauthn-win/soft-windows-authenticator';
import { ScriptedInteraction } from '../../support/scripted-interaction';

const hiddenHid: KeySource = { list: async () => [], open: async () => { throw new Error('nothing to open'); } };

test('key state and enrollment through the Windows Security key', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-winsec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ui = new ScriptedInteraction();
  const audit: AuditEventInput[] = [];
  const port = keysService({
    auth: new Authenticator(hiddenHid, ui, {
      platform: 'win32',
      webauthn: () => createWebAuthnWin({ load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator()), hwnd: () => 1n, interaction: ui }),
    }),
    store: new KeyStore(dir), interaction: ui, transport: 'hid',
    audit: { append: async (e) => { audit.push(e); return e as never; } },
    readiness: async () => ({ checks: [], checkedAt: 0 }), upload: async () => undefined,
  });

  const before = await port.state();
  assert.deepEqual(before.devices, [{ id: 'windows://webauthn', label: 'Security key (through Windows Security)', transport: 'webauthn' }],
    'no PIN state, firmware or AAGUID: Windows does not tell');
  assert.equal(before.key, null);

  const key = await port.enroll('windows://webauthn');
  assert.equal(key.path, path.join(dir, 'id_ed25519_sk'));
  assert.equal(key.resident, true);
  assert.equal(key.verifyRequired, true);
  assert.equal(ui.pins.length, 0, 'Windows Security asked for the PIN, not the app');
  assert.deepEqual(audit.map((e) => [e.type, (e as { transport?: string }).transport]), [['enroll', 'webauthn-win']]);
  assert.equal((await port.state()).key?.fingerprint, key.fingerprint);
});

test('Change PIN through the Windows Security key: refused with the way to Windows settings, which opens through the injected opener', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-winsec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ui = new ScriptedInteraction();
  const dll = new FakeWebAuthnDll(new SoftWindowsAuthenticator());
  const opened: string[] = [];
  const deps = {
    auth: new Authenticator(hiddenHid, ui, { platform: 'win32', webauthn: () => createWebAuthnWin({ load: () => dll, hwnd: () => 1n, interaction: ui }) }),
    store: new KeyStore(dir), interaction: ui, transport: 'hid' as const,
    readiness: async () => ({ checks: [], checkedAt: 0 }), upload: async () => undefined,
  };
  const port = keysService({ ...deps, openKeySettings: async () => { opened.push('settings'); } });
  await assert.rejects(port.changePin('windows://webauthn', '123456', '654321'),
    { code: 'PIN_CHANGE_IN_WINDOWS_SETTINGS', message: /WebAuthn\) has no call to change a PIN[\s\S]*Sign-in options → Security Key/ });
  assert.equal(ui.confirms.length, 0, 'no elevation offered for a step that cannot run there');
  await port.openPinSettings();
  assert.deepEqual(opened, ['settings']);
  // Where nothing can open the page (the CLI's core, a drill), the operator is told so.
  await assert.rejects(keysService(deps).openPinSettings(), { code: 'OS_SERVICE_UNAVAILABLE' });
});
