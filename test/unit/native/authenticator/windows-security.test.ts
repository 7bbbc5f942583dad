// Which keys are offered on Windows: the Windows Security key stands in when raw HID lists none,
// and also when the USB HID stack cannot start at all (policy-locked machine, Wine) - then the
// reason is kept for the listing; without webauthn.dll the HID failure stays the error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HidEnumerationError, HidIoError } from '../../../../native/hid/errors';
import type { KeySource } from '../../../../native/authenticator/key-source';
import { WINDOWS_SECURITY_KEY, listWithWindowsSecurity } from '../../../../native/authenticator/windows-security';

const YUBIKEY = { path: '\\\\?\\hid#vid_1050&pid_0407#fido', vendorId: 0x1050, productId: 0x0407 };

function source(list: KeySource['list']): KeySource {
  return { list, open: async () => { throw new Error('not opened in these tests'); } };
}

const broken = source(async () => { throw new HidEnumerationError({ cause: new Error('hid_init failed'), platform: 'win32' }); });

describe('listWithWindowsSecurity', () => {
  it('offers Windows Security when the HID stack cannot start, and says why USB keys are missing', async () => {
    const listing = await listWithWindowsSecurity(broken, () => true);
    assert.deepEqual(listing.devices, [WINDOWS_SECURITY_KEY]);
    assert.equal(listing.usbUnavailable?.code, 'HID_UNAVAILABLE');
    assert.match(listing.usbUnavailable?.message ?? '', /hid_init failed/);
  });

  it('keeps the HID failure as the error when webauthn.dll is not usable either', async () => {
    await assert.rejects(listWithWindowsSecurity(broken, () => false), { code: 'HID_UNAVAILABLE' });
  });

  it('does not hide other failures behind Windows Security', async () => {
    const failing = source(async () => { throw new HidIoError('read'); });
    await assert.rejects(listWithWindowsSecurity(failing, () => true), { code: 'HID_IO' });
  });

  it('offers Windows Security when HID lists nothing, and only then', async () => {
    assert.deepEqual(await listWithWindowsSecurity(source(async () => []), () => true), { devices: [WINDOWS_SECURITY_KEY] });
    assert.deepEqual(await listWithWindowsSecurity(source(async () => []), () => false), { devices: [] });
    assert.deepEqual(await listWithWindowsSecurity(source(async () => [YUBIKEY]), () => true), { devices: [YUBIKEY] });
  });

  it('asks whether webauthn.dll is usable only when it matters', async () => {
    let asked = 0;
    await listWithWindowsSecurity(source(async () => [YUBIKEY]), () => { asked++; return true; });
    assert.equal(asked, 0, 'a listed USB key needs no webauthn.dll probe');
  });
});
