// The facade on non-elevated Windows: raw HID is refused, so enroll and sign go through
// webauthn.dll (here the SDK-layout stand-in with a software key), and the raw-HID-only actions
// say they need elevation. Same records and signatures as the HID path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator } from '../../../native/authenticator/authenticator';
import { HidAccessDeniedError, HidEnumerationError } from '../../../native/hid/errors';
import type { KeySource } from '../../../native/authenticator/key-source';
import { verifySkSignature } from '../../../native/sk/signature';
import { SkKeyType } from '../../../native/sk/types';
import { createWebAuthnWin } from '../../../native/webauthn-win/webauthn-win';
import { FakeWebAuthnDll } from '../../support/webauthn-win/fake-webauthn-dll';
import { SoftWindowsAuthenticator } from '../../support/webauthn-win/soft-windows-authenticator';
import { ScriptedInteraction } from '../../support/scripted-interaction';

/** What a non-elevated process sees: the key enumerates, but opening it is denied. */
const deniedHid: KeySource = {
  list: async () => [{ path: '\\\\?\\hid#vid_1050&pid_0407#fido', vendorId: 0x1050, productId: 0x0407, product: 'YubiKey 5' }],
  open: async () => { throw new HidAccessDeniedError(); },
};

function windowsAuthenticator(platform: NodeJS.Platform = 'win32') {
  const ui = new ScriptedInteraction();
  const auth = new Authenticator(deniedHid, ui, {
    platform,
    webauthn: () => createWebAuthnWin({ load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator()), hwnd: () => 1n, interaction: ui }),
  });
  return { auth, ui };
}

test('non-elevated Windows: enroll and sign go through webauthn.dll with the same records as HID', async () => {
  const { auth, ui } = windowsAuthenticator();
  const r = await auth.enroll();
  assert.equal(r.handle.type, SkKeyType.Ed25519);
  assert.equal(r.handle.flags, 0x25);
  assert.equal(r.handle.comment, 'NexusIdentitySSHKey');
  assert.equal(r.randomUserId, true, 'Windows cannot see existing resident keys, so a random user id keeps them');
  assert.equal(ui.pins.length, 0, 'Windows Security owns the PIN dialog');
  assert.match(ui.touches[0]?.purpose ?? '', /Windows Security will ask for your PIN and touch/);
  const data = Buffer.from('userauth request');
  const s = await auth.sign(r.handle, data, { context: { purpose: 'sign in to leaf-02', hop: 'jump-01' } });
  assert.equal(verifySkSignature(r.handle, data, s.signature).flags, 0x05);
});

test('non-elevated Windows: resident import and PIN management explain that they need elevation', async () => {
  const { auth } = windowsAuthenticator();
  await assert.rejects(auth.importResident(), (err: { code?: string; message?: string }) => err.code === 'NEEDS_ELEVATION' && /Administrator/.test(err.message ?? ''));
  await assert.rejects(auth.setPin('123456'), { code: 'NEEDS_ELEVATION' });
});

test('access denied off Windows is a setup problem, reported as such (no webauthn fallback)', async () => {
  const { auth } = windowsAuthenticator('linux');
  await assert.rejects(auth.enroll(), { code: 'HID_ACCESS_DENIED' });
});

test('non-elevated Windows: the operator is offered to run just that step elevated', async () => {
  const ui = new ScriptedInteraction();
  const relaunched: string[] = [];
  const auth = new Authenticator(deniedHid, ui, {
    platform: 'win32',
    webauthn: () => null,
    relaunchElevated: async (action) => { relaunched.push(action); },
  });
  ui.confirmQueue = [true];
  await assert.rejects(auth.importResident(), { code: 'DONE_ELEVATED' });
  assert.deepEqual(relaunched, ['import-resident']);
  assert.equal(ui.confirms[0]?.kind, 'elevate');
  assert.match(ui.confirms[0]?.message ?? '', /Run just this step as Administrator/);
  ui.confirmQueue = [false];
  await assert.rejects(auth.setPin('123456'), { code: 'NEEDS_ELEVATION' });
  assert.deepEqual(relaunched, ['import-resident'], 'declining runs nothing elevated');
});

/** What a non-elevated process usually sees: Windows hides the FIDO usage page, so nothing enumerates. */
const hiddenHid: KeySource = { list: async () => [], open: async () => { throw new Error('nothing to open'); } };

test('non-elevated Windows with the key hidden from HID: one Windows Security key is listed, and it enrolls, signs and offers elevation', async () => {
  const ui = new ScriptedInteraction();
  const relaunched: string[] = [];
  const auth = new Authenticator(hiddenHid, ui, {
    platform: 'win32',
    webauthn: () => createWebAuthnWin({ load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator()), hwnd: () => 1n, interaction: ui }),
    relaunchElevated: async (action) => { relaunched.push(action); },
  });
  const { keys, problems } = await auth.listKeys();
  assert.deepEqual(problems, []);
  assert.equal(keys.length, 1);
  const [key] = keys;
  assert.equal(key?.windowsSecurity, true);
  assert.equal(key?.pin, 'windows', 'Windows asks for (or sets up) the PIN; we cannot see its state');
  assert.equal(key?.label, 'Security key (through Windows Security)');

  const r = await auth.enroll({ keyId: key?.id });
  assert.equal(r.transport, 'webauthn-win');
  assert.equal(r.handle.flags, 0x25);
  const data = Buffer.from('userauth request');
  const s = await auth.sign(r.handle, data, { context: { purpose: 'sign in to leaf-02' } });
  assert.equal(verifySkSignature(r.handle, data, s.signature).flags, 0x05);

  ui.confirmQueue = [true];
  await assert.rejects(auth.importResident(), { code: 'DONE_ELEVATED' });
  assert.deepEqual(relaunched, ['import-resident']);
});

test('a key that enumerates but is refused is listed as reached through Windows Security, not as a problem', async () => {
  const { auth } = windowsAuthenticator();
  const { keys, problems } = await auth.listKeys();
  assert.deepEqual(problems, []);
  assert.deepEqual(keys.map((k) => [k.label, k.windowsSecurity, k.pin]), [['YubiKey 5 through Windows Security', true, 'windows']]);
});

test('no Windows Security key without webauthn.dll, off Windows, or with no Windows route', async () => {
  const ui = new ScriptedInteraction();
  const noDll = new Authenticator(hiddenHid, ui, { platform: 'win32', webauthn: () => null });
  assert.deepEqual((await noDll.listKeys()).keys, []);
  await assert.rejects(noDll.enroll(), { code: 'NO_SECURITY_KEY' });
  const dll = () => createWebAuthnWin({ load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator()), hwnd: () => 1n });
  assert.deepEqual((await new Authenticator(hiddenHid, ui, { platform: 'linux', webauthn: dll }).listKeys()).keys, []);
  assert.deepEqual((await new Authenticator(hiddenHid, ui).listKeys()).keys, []);
  const denied = await new Authenticator(deniedHid, ui, { platform: 'win32', webauthn: () => null }).listKeys();
  assert.deepEqual(denied.problems.map((p) => p.error.code), ['HID_ACCESS_DENIED'], 'without webauthn.dll the refusal is reported');
});

test('Windows whose USB HID stack cannot start: USB keys are reported unavailable and Windows Security is still offered', async () => {
  const ui = new ScriptedInteraction();
  const brokenHid: KeySource = {
    list: async () => { throw new HidEnumerationError({ cause: new Error('cannot initialize hidapi (hid_init failed)'), platform: 'win32' }); },
    open: async () => { throw new Error('nothing to open'); },
  };
  const dll = () => createWebAuthnWin({ load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator()), hwnd: () => 1n, interaction: ui });
  const auth = new Authenticator(brokenHid, ui, { platform: 'win32', webauthn: dll });
  const { keys, problems } = await auth.listKeys();
  assert.deepEqual(keys.map((k) => [k.label, k.windowsSecurity]), [['Security key (through Windows Security)', true]]);
  assert.deepEqual(problems.map((p) => [p.id, p.label, p.error.code]), [['usb://hid', 'USB keys unavailable', 'HID_UNAVAILABLE']]);
  assert.match(problems[0]?.error.message ?? '', /hid_init failed/);
  const r = await auth.enroll();
  assert.equal(r.transport, 'webauthn-win');
  const data = Buffer.from('userauth request');
  assert.equal(verifySkSignature(r.handle, data, (await auth.sign(r.handle, data, { context: { purpose: 'sign in' } })).signature).flags, 0x05);

  // Without webauthn.dll, or off Windows, the broken HID stack is the error it always was.
  await assert.rejects(new Authenticator(brokenHid, ui, { platform: 'win32', webauthn: () => null }).listKeys(), { code: 'HID_UNAVAILABLE' });
  await assert.rejects(new Authenticator(brokenHid, ui, { platform: 'linux', webauthn: dll }).enroll(), { code: 'HID_UNAVAILABLE' });
});
