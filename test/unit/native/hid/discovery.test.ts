import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterFidoDevices, hidLister, listFidoDevices, type RawHidDevice } from '../../../../native/hid/discovery';
import { HidEnumerationError } from '../../../../native/hid/errors';
import { FidoDeviceWatcher, type DeviceChange } from '../../../../native/hid/watch';

// Shapes as node-hid 3.4 devicesAsync() reports them for a YubiKey 5 NFC (OTP+FIDO+CCID) on Linux,
// a keyboard, and a second FIDO key.
const RECORDED: RawHidDevice[] = [
  { vendorId: 0x1050, productId: 0x0407, path: '/dev/hidraw2', serialNumber: '', manufacturer: 'Yubico', product: 'YubiKey OTP+FIDO+CCID', usagePage: 0x0001, usage: 0x06 },
  { vendorId: 0x1050, productId: 0x0407, path: '/dev/hidraw3', serialNumber: '', manufacturer: 'Yubico', product: 'YubiKey OTP+FIDO+CCID', usagePage: 0xf1d0, usage: 0x01 },
  { vendorId: 0x046d, productId: 0xc52b, path: '/dev/hidraw0', manufacturer: 'Logitech', product: 'USB Receiver', usagePage: 0xff00, usage: 0x01 },
  { vendorId: 0x20a0, productId: 0x42b1, path: '/dev/hidraw5', serialNumber: 'A1B2', manufacturer: 'Nitrokey', product: 'Nitrokey 3', usagePage: 0xf1d0, usage: 0x01 },
  // Same interface listed twice (seen on macOS) and one without a path: neither may show up twice / at all.
  { vendorId: 0x20a0, productId: 0x42b1, path: '/dev/hidraw5', usagePage: 0xf1d0, usage: 0x01 },
  { vendorId: 0x1050, productId: 0x0120, usagePage: 0xf1d0, usage: 0x01 },
  // FIDO usage page but another usage (not CTAPHID).
  { vendorId: 0x1111, productId: 0x2222, path: '/dev/hidraw9', usagePage: 0xf1d0, usage: 0x02 },
];

test('filterFidoDevices keeps only CTAPHID interfaces with a path, once each, mapped', () => {
  const out = filterFidoDevices(RECORDED);
  assert.deepEqual(out, [
    { path: '/dev/hidraw3', vendorId: 0x1050, productId: 0x0407, manufacturer: 'Yubico', product: 'YubiKey OTP+FIDO+CCID' },
    { path: '/dev/hidraw5', vendorId: 0x20a0, productId: 0x42b1, serialNumber: 'A1B2', manufacturer: 'Nitrokey', product: 'Nitrokey 3' },
  ]);
});

test('listFidoDevices uses the injected lister', async () => {
  const out = await listFidoDevices(async () => RECORDED.slice(0, 2));
  assert.equal(out.length, 1);
  assert.equal(out[0]?.path, '/dev/hidraw3');
});

test('watcher reports plug and unplug, backs off while nothing changes, and stops', async (t) => {
  const lists: RawHidDevice[][] = [[RECORDED[1] as RawHidDevice], [RECORDED[1] as RawHidDevice], [RECORDED[1] as RawHidDevice, RECORDED[3] as RawHidDevice], []];
  let calls = 0;
  const changes: DeviceChange[] = [];
  const watcher = new FidoDeviceWatcher({
    list: () => listFidoDevices(async () => lists[Math.min(calls++, lists.length - 1)] ?? []),
    onChange: (c) => changes.push(c),
    onError: (e) => assert.fail(e instanceof Error ? e : String(e)),
    minIntervalMs: 5,
    maxIntervalMs: 40,
  });
  t.after(() => watcher.stop());
  await watcher.poke();
  assert.equal(changes.length, 1);
  assert.deepEqual(changes[0]?.added.map((d) => d.path), ['/dev/hidraw3']);
  await watcher.poke();
  assert.equal(changes.length, 1, 'no change, no event');
  assert.equal(watcher.currentInterval, 10, 'interval doubled after a quiet poll');
  await watcher.poke();
  assert.deepEqual(changes[1]?.added.map((d) => d.path), ['/dev/hidraw5']);
  assert.equal(watcher.currentInterval, 5, 'a change resets the back-off');
  await watcher.poke();
  assert.deepEqual(changes[2]?.removed.map((d) => d.path), ['/dev/hidraw3', '/dev/hidraw5']);
  watcher.stop();
  const before = calls;
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(calls, before, 'no polling after stop');
});

test('watcher keeps polling on its own timer and reports lister errors', async (t) => {
  let calls = 0;
  const errors: unknown[] = [];
  const watcher = new FidoDeviceWatcher({
    list: () => listFidoDevices(async () => {
      calls++;
      if (calls === 2) throw new Error('enumeration failed');
      return [];
    }),
    onChange: () => undefined,
    onError: (e) => errors.push(e),
    minIntervalMs: 5,
    maxIntervalMs: 10,
  }).start();
  t.after(() => watcher.stop());
  const deadline = Date.now() + 2000;
  while (calls < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.ok(calls >= 4, `polled ${calls} times`);
  assert.equal(errors.length, 1);
});

test('a failing node-hid enumeration is HID_UNAVAILABLE with its cause, not an empty list', async () => {
  const missing = new Error('libusb-1.0.so.0: cannot open shared object file');
  const notLoaded = await hidLister(async () => { throw missing; })().catch((e: unknown) => e);
  assert.ok(notLoaded instanceof HidEnumerationError);
  assert.equal(notLoaded.code, 'HID_UNAVAILABLE');
  assert.equal(notLoaded.cause, missing);
  assert.match(notLoaded.message, /libusb-1\.0\.so\.0/);
  await assert.rejects(hidLister(async () => ({ devicesAsync: async () => { throw new Error('udev enumerate failed'); } }))(),
    (e: unknown) => e instanceof HidEnumerationError && /udev enumerate failed/.test(e.message));
});

test('the HID_UNAVAILABLE hint names what to check on this OS', () => {
  const cause = new Error('cannot initialize hidapi (hid_init failed)');
  assert.match(new HidEnumerationError({ cause, platform: 'linux' }).message, /hid_init failed\)\)\. Check that libusb-1\.0-0 is installed/);
  const windows = new HidEnumerationError({ cause, platform: 'win32' }).message;
  assert.match(windows, /Windows could not start its HID device services/);
  assert.doesNotMatch(windows, /libusb/);
  assert.match(new HidEnumerationError({ cause, platform: 'darwin' }).message, /Reinstall Nexus Break-Glass/);
});
