import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeviceGoneError, HidAccessDeniedError, HidIoError, HidOpenError } from '../../../../native/hid/errors';
import { NodeHidConnection, classifyOpenError, diagnoseOpenError, type HidAsyncDevice } from '../../../../native/hid/node-hid-connection';

const INFO = { path: '/dev/hidraw3', vendorId: 0x1050, productId: 0x0407 };

/** Same shape as node-hid's HIDAsync: write(array|Buffer) → bytes written, read(timeout) → Buffer|undefined. */
class FakeHidAsync implements HidAsyncDevice {
  writes: Buffer[] = [];
  reads: (Buffer | undefined | Error)[] = [];
  readTimeouts: (number | undefined)[] = [];
  closed = 0;
  async write(values: number[] | Buffer): Promise<number> {
    const b = Buffer.from(values);
    this.writes.push(b);
    return b.length;
  }
  async read(timeOut?: number): Promise<Buffer | undefined> {
    this.readTimeouts.push(timeOut);
    const next = this.reads.shift();
    if (next instanceof Error) throw next;
    return next;
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

async function openFake(dev: FakeHidAsync): Promise<NodeHidConnection> {
  return NodeHidConnection.open(INFO, {
    opener: async (path) => {
      assert.equal(path, INFO.path);
      return dev;
    },
  });
}

test('writes 65-byte reports with the report id and hands back 64-byte packets', async () => {
  const dev = new FakeHidAsync();
  const conn = await openFake(dev);
  const report = new Uint8Array(65);
  report[1] = 0xff;
  report[5] = 0x86;
  await conn.write(report);
  assert.equal(dev.writes[0]?.length, 65);
  assert.equal(dev.writes[0]?.[0], 0);
  assert.equal(dev.writes[0]?.[5], 0x86);

  const packet = Buffer.alloc(64, 7);
  dev.reads.push(packet, undefined, Buffer.alloc(0), Buffer.concat([Buffer.from([0]), packet]));
  assert.deepEqual(Buffer.from((await conn.read(250)) ?? []), packet);
  assert.equal(dev.readTimeouts[0], 250);
  assert.equal(await conn.read(10), null, 'undefined means timeout');
  assert.equal(await conn.read(10), null, 'empty buffer means timeout');
  assert.deepEqual(Buffer.from((await conn.read(10)) ?? []), packet, 'a leading zero report id is stripped');
});

test('rejects malformed reports and odd read lengths with typed errors', async () => {
  const dev = new FakeHidAsync();
  const conn = await openFake(dev);
  await assert.rejects(conn.write(new Uint8Array(64)), HidIoError);
  const bad = new Uint8Array(65);
  bad[0] = 1;
  await assert.rejects(conn.write(bad), HidIoError);
  dev.reads.push(Buffer.alloc(30));
  await assert.rejects(conn.read(10), HidIoError);
});

test('unplug during read or write becomes DeviceGoneError; closed handles too', async () => {
  const dev = new FakeHidAsync();
  const conn = await openFake(dev);
  dev.reads.push(new Error('could not read from HID device'));
  await assert.rejects(conn.read(10), DeviceGoneError);
  dev.write = async () => {
    throw new Error('Cannot write to hid device');
  };
  await assert.rejects(conn.write(new Uint8Array(65)), (e: unknown) => e instanceof DeviceGoneError && e.code === 'DEVICE_GONE');
  await conn.close();
  await conn.close();
  assert.equal(dev.closed, 1);
  await assert.rejects(conn.read(10), DeviceGoneError);
});

test('open failures are classified: access denied gets HID_ACCESS_DENIED', async () => {
  const denied = await NodeHidConnection.open(INFO, {
    opener: async () => {
      throw new Error('cannot open device with path \\\\?\\hid#vid_1050: Access is denied.');
    },
  }).catch((e: unknown) => e);
  assert.ok(denied instanceof HidAccessDeniedError);
  assert.equal(denied.code, 'HID_ACCESS_DENIED');
  assert.equal(classifyOpenError(new Error('cannot open device with path \\\\?\\hid#x'), 'win32').constructor, HidAccessDeniedError);
  assert.equal(classifyOpenError(new Error('cannot open device with path /dev/hidraw3'), 'linux').constructor, HidOpenError);
  assert.equal(classifyOpenError(new Error('open /dev/hidraw3: Permission denied'), 'linux').constructor, HidAccessDeniedError);
});

test('the real node-hid addon loads: enumeration answers (empty here, no hardware) and a bad path fails typed', async () => {
  const { listFidoDevices } = await import('../../../../native/hid/discovery');
  const devices = await listFidoDevices();
  assert.ok(Array.isArray(devices));
  await assert.rejects(NodeHidConnection.open({ path: '/nonexistent/hidraw-nbg', vendorId: 0, productId: 0 }),
    (e: unknown) => e instanceof HidOpenError || e instanceof HidAccessDeniedError);
});

test('Linux: an open refused without a reason is diagnosed from the hidraw node (missing udev rule), once and only for hidraw', async () => {
  const generic = new Error('cannot open device with path /dev/hidraw3');
  const errno = (code: string) => async () => { throw Object.assign(new Error(code), { code }); };
  const denied = await diagnoseOpenError(generic, '/dev/hidraw3', 'linux', errno('EACCES'));
  assert.ok(denied instanceof HidAccessDeniedError);
  assert.equal(denied.cause, generic);
  assert.match(denied.message, /udev rule/);
  assert.match(denied.message, /Requirements per OS/);
  assert.ok(await diagnoseOpenError(generic, '/dev/hidraw3', 'linux', async () => undefined) instanceof HidOpenError, 'accessible node: the open failure stands');
  assert.ok(await diagnoseOpenError(generic, '/dev/hidraw3', 'linux', errno('ENOENT')) instanceof HidOpenError, 'node gone: no access verdict');
  let probed = 0;
  const probe = async () => { probed++; };
  assert.ok(await diagnoseOpenError(generic, 'sim:key', 'linux', probe) instanceof HidOpenError);
  assert.ok(await diagnoseOpenError(generic, '/dev/hidraw3', 'darwin', probe) instanceof HidOpenError);
  assert.equal(probed, 0, 'no probe off Linux or for non-hidraw paths');

  const opened = await NodeHidConnection.open(INFO, { opener: async () => { throw generic; }, platform: 'linux', accessCheck: errno('EPERM') })
    .catch((e: unknown) => e);
  assert.ok(opened instanceof HidAccessDeniedError);
});

test('the access-denied message tells each OS its own remedy', () => {
  assert.match(new HidAccessDeniedError({ platform: 'linux' }).message, /udev rule.*README, "Requirements per OS"/);
  assert.match(new HidAccessDeniedError({ platform: 'win32' }).message, /Administrator/);
  assert.doesNotMatch(new HidAccessDeniedError({ platform: 'darwin' }).message, /udev|Administrator/);
});
