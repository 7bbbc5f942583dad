// A key that is plugged in but cannot be used says why. Listing reports it beside the working
// keys with a typed code and the operator's remedy; an operation on it fails with that error,
// never with "no security key"; a HID layer that cannot enumerate at all is an error, not zero keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Authenticator } from '../../../native/authenticator/authenticator';
import { hidKeySource, simulatorKeySource, type KeySource } from '../../../native/authenticator/key-source';
import { FIDO_USAGE_CTAPHID, FIDO_USAGE_PAGE, hidLister } from '../../../native/hid/discovery';
import { HidAccessDeniedError } from '../../../native/hid/errors';
import { openSimulator } from '../../../native/simulator/index';
import { ScriptedInteraction } from '../../support/scripted-interaction';

const HIDRAW_PATH = '/dev/hidraw7';
/** What node-hid 3.4 (hidapi 0.14) says when this user may not open the hidraw node. */
const NODE_HID_EACCES = `cannot open device with path ${HIDRAW_PATH}: Failed to open a device with path '${HIDRAW_PATH}': Permission denied`;

/** A YubiKey that enumerates over USB but whose hidraw node this user may not open (no udev rule). */
const refusedYubiKey = hidKeySource(
  async () => [{ vendorId: 0x1050, productId: 0x0407, path: HIDRAW_PATH, product: 'YubiKey OTP+FIDO+CCID', usagePage: FIDO_USAGE_PAGE, usage: FIDO_USAGE_CTAPHID }],
  async () => { throw new Error(NODE_HID_EACCES); },
);

/** Several sources behind one, each key opened by the source that listed it. */
function combined(...sources: KeySource[]): KeySource {
  const owner = new Map<string, KeySource>();
  return {
    list: async () => {
      const all = [];
      for (const s of sources) {
        for (const info of await s.list()) {
          owner.set(info.path, s);
          all.push(info);
        }
      }
      return all;
    },
    open: (info) => (owner.get(info.path) ?? assert.fail(`unlisted ${info.path}`)).open(info),
  };
}

test('listing: a refused hidraw node, a getInfo that fails and an unexplained failure are problems beside the working key', async () => {
  const good = await openSimulator({ path: 'sim:good' });
  const broken = await openSimulator({ path: 'sim:broken', profile: 'ctap21' });
  broken.device.injectFault({ kind: 'disconnect', atPacket: 1 }); // INIT answers, getInfo's reply never comes
  const odd: KeySource = {
    list: async () => [{ path: 'odd', vendorId: 0x20a0, productId: 0x42b1, product: 'Odd key' }],
    open: async () => { throw new Error('hid_open returned NULL'); },
  };
  const auth = new Authenticator(combined(simulatorKeySource(good, broken), refusedYubiKey, odd), new ScriptedInteraction());

  const { keys, problems } = await auth.listKeys();
  assert.deepEqual(keys.map((k) => k.id), ['sim:good']);
  assert.deepEqual(problems.map((p) => [p.id, p.error.code]), [
    ['sim:broken', 'DEVICE_GONE'],
    [HIDRAW_PATH, 'HID_ACCESS_DENIED'],
    ['odd', 'KEY_ERROR'],
  ]);
  assert.equal(problems[1]?.label, 'YubiKey OTP+FIDO+CCID');
  assert.equal(problems[1]?.error.message, new HidAccessDeniedError().message, 'the OS remedy (on Linux: the udev rule) reaches the operator');
  assert.match(problems[2]?.error.message ?? '', /connected but cannot be used \(hid_open returned NULL\)/);
});

test('an operation on a key the OS refuses fails with the access error, not "no security key"', async () => {
  const auth = new Authenticator(refusedYubiKey, new ScriptedInteraction());
  await assert.rejects(auth.enroll(), (err: { code?: string; message?: string }) =>
    err.code === 'HID_ACCESS_DENIED' && err.message === new HidAccessDeniedError().message);
  await assert.rejects(auth.importResident({ keyId: HIDRAW_PATH }), { code: 'HID_ACCESS_DENIED' });
});

test('a HID layer that cannot enumerate is HID_UNAVAILABLE for listing and for every operation', async () => {
  const unavailable = hidKeySource(hidLister(async () => { throw new Error('libusb-1.0.so.0: cannot open shared object file'); }));
  const auth = new Authenticator(unavailable, new ScriptedInteraction());
  await assert.rejects(auth.listKeys(), { code: 'HID_UNAVAILABLE' });
  await assert.rejects(auth.enroll(), { code: 'HID_UNAVAILABLE' });
});
