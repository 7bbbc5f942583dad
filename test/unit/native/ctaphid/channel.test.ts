import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CtapHidChannel } from '../../../../native/ctaphid/channel';
import {
  CtapHidCancelledError, CtapHidCapabilityError, CtapHidError, CtapHidProtocolError, CtapHidTimeoutError,
} from '../../../../native/ctaphid/errors';
import { fragmentMessage } from '../../../../native/ctaphid/framing';
import { DeviceGoneError } from '../../../../native/hid/errors';
import { ScriptedConnection, contPacket, initPacket } from '../../../support/scripted-connection';

const NONCE = Buffer.from('5e88cd781dc86fe4', 'hex');
const CID = '2133e1b9';
const YUBIKEY_INIT_REPLY = 'ffffffff 86 0011 5e88cd781dc86fe4 2133e1b9 02 05 04 03 05';

function initResponder(extra: (p: Buffer, c: ScriptedConnection) => void = () => undefined) {
  return (p: Buffer, c: ScriptedConnection) => {
    if (p.subarray(0, 5).equals(Buffer.from('ffffffff86', 'hex'))) c.enqueue(YUBIKEY_INIT_REPLY);
    else extra(p, c);
  };
}

async function openChannel(extra?: (p: Buffer, c: ScriptedConnection) => void): Promise<{ ch: CtapHidChannel; conn: ScriptedConnection }> {
  const conn = new ScriptedConnection(initResponder(extra));
  const ch = await CtapHidChannel.open(conn, { nonce: NONCE });
  conn.written.length = 0;
  return { ch, conn };
}

test('INIT golden trace: skips other channels and nonces, then takes CID 2133e1b9, v5.4.3, caps 0x05', async () => {
  const conn = new ScriptedConnection((p, c) => {
    if (p[4] !== 0x86) return;
    c.enqueue(
      '01020304 90 0001 00', // another program's CBOR reply
      'ffffffff 86 0011 0000000000000000 99999999 02 05 04 03 05', // someone else's INIT reply
      'ffffffff bb 0001 01', // not INIT on broadcast
      YUBIKEY_INIT_REPLY,
    );
  });
  const ch = await CtapHidChannel.open(conn, { nonce: NONCE });
  assert.equal(ch.cid.toString('hex'), CID);
  assert.deepEqual(ch.version, { protocolVersion: 2, major: 5, minor: 4, build: 3, capabilities: 0x05 });
  assert.equal(ch.supportsWink, true);
  assert.equal(conn.written[0]?.subarray(0, 15).toString('hex'), 'ffffffff8600085e88cd781dc86fe4');
});

test('a key without the CBOR capability is refused; silence times out', async () => {
  const u2f = new ScriptedConnection((_, c) => c.enqueue('ffffffff 86 0011 5e88cd781dc86fe4 2133e1b9 02 04 03 01 01'));
  await assert.rejects(CtapHidChannel.open(u2f, { nonce: NONCE }), CtapHidCapabilityError);
  await assert.rejects(CtapHidChannel.open(new ScriptedConnection(), { nonce: NONCE, timeoutMs: 50 }), CtapHidTimeoutError);
});

test('multi-packet request and reply, keepalives reported, foreign CIDs ignored', async () => {
  const reply = Buffer.from(Array.from({ length: 150 }, (_, i) => i & 0xff));
  const { ch, conn } = await openChannel((p, c) => {
    if (p[4] !== 0x90) return;
    const out = fragmentMessage(Buffer.from(CID, 'hex'), 0x10, reply);
    c.enqueue(initPacket(CID, 0x3b, 1, Buffer.from([1])), initPacket(CID, 0x3b, 1, Buffer.from([2])),
      initPacket('0badcafe', 0x10, 1, Buffer.from([0])), out[0] as Uint8Array,
      contPacket('0badcafe', 0, Buffer.alloc(59)), ...out.slice(1));
  });
  const statuses: number[] = [];
  const request = Buffer.alloc(100, 0xab);
  const got = await ch.cbor(request, { onKeepalive: (s) => statuses.push(s) });
  assert.deepEqual(got, reply);
  assert.deepEqual(statuses, [1, 2]);
  assert.equal(conn.written.length, 2, 'request sent as init + one continuation');
  assert.equal(conn.written[1]?.[4], 0);
});

test('ERROR frames become CtapHidError; CHANNEL_BUSY is retried (bounded)', async () => {
  let busy = 2;
  const { ch, conn } = await openChannel((p, c) => {
    if (p[4] === 0x81) c.enqueue(initPacket(CID, 0x3f, 1, Buffer.from([0x01])));
    if (p[4] === 0x90) c.enqueue(busy-- > 0 ? initPacket(CID, 0x3f, 1, Buffer.from([0x06])) : initPacket(CID, 0x10, 1, Buffer.from([0])));
  });
  await assert.rejects(ch.ping(Buffer.from('hi')), (e: unknown) => e instanceof CtapHidError && e.hidCode === 1 && e.code === 'CTAPHID_ERROR');
  assert.deepEqual(await ch.cbor(Buffer.from([4])), Buffer.from([0]));
  assert.equal(conn.written.filter((p) => p[4] === 0x90).length, 3, 'two busy answers, then success');

  const { ch: always } = await openChannel((p, c) => {
    if (p[4] === 0x90) c.enqueue(initPacket(CID, 0x3f, 1, Buffer.from([0x06])));
  });
  await assert.rejects(always.cbor(Buffer.from([4]), { timeoutMs: 400 }), (e: unknown) => e instanceof CtapHidError && e.hidCode === 6);
});

test('host timeout on a silent key, also mid-message', async () => {
  const { ch } = await openChannel();
  await assert.rejects(ch.cbor(Buffer.from([4]), { timeoutMs: 60 }), CtapHidTimeoutError);
  const { ch: half } = await openChannel((p, c) => {
    if (p[4] === 0x90) c.enqueue(initPacket(CID, 0x10, 100, Buffer.alloc(57)));
  });
  await assert.rejects(half.cbor(Buffer.from([4]), { timeoutMs: 60 }), CtapHidTimeoutError);
});

test('abort sends CANCEL on our channel and returns the KEEPALIVE_CANCEL reply', async () => {
  const ac = new AbortController();
  const { ch, conn } = await openChannel((p, c) => {
    if (p[4] === 0x90) c.enqueue(initPacket(CID, 0x3b, 1, Buffer.from([2])));
    if (p[4] === 0x91) c.enqueue(initPacket(CID, 0x10, 1, Buffer.from([0x2d])));
  });
  const got = await ch.cbor(Buffer.from([2]), { signal: ac.signal, onKeepalive: () => ac.abort() });
  assert.deepEqual(got, Buffer.from([0x2d]));
  const cancel = conn.written.find((p) => p[4] === 0x91);
  assert.ok(cancel, 'CANCEL was sent');
  assert.equal(cancel.subarray(0, 7).toString('hex'), `${CID}910000`);
});

test('abort with a key that never answers ends with CtapHidCancelledError; pre-aborted sends nothing', async () => {
  const ac = new AbortController();
  const { ch, conn } = await openChannel();
  setTimeout(() => ac.abort(), 30);
  await assert.rejects(ch.cbor(Buffer.from([2]), { signal: ac.signal, timeoutMs: 60_000 }), CtapHidCancelledError);
  const n = conn.written.length;
  await assert.rejects(ch.cbor(Buffer.from([2]), { signal: ac.signal }), CtapHidCancelledError);
  assert.equal(conn.written.length, n);
});

test('protocol violations are typed: wrong command, new message mid-reply, key gone', async () => {
  const { ch } = await openChannel((p, c) => {
    if (p[4] === 0x90) c.enqueue(initPacket(CID, 0x01, 1, Buffer.from([0])));
    if (p[4] === 0x81) c.enqueue(initPacket(CID, 0x01, 100, Buffer.alloc(57)), initPacket(CID, 0x01, 1, Buffer.from([0])));
  });
  await assert.rejects(ch.cbor(Buffer.from([4])), CtapHidProtocolError);
  await assert.rejects(ch.ping(Buffer.from([1])), CtapHidProtocolError);
  const gone = new ScriptedConnection(initResponder(), true);
  const g = await CtapHidChannel.open(gone, { nonce: NONCE });
  await assert.rejects(g.cbor(Buffer.from([4])), DeviceGoneError);
});

test('requests are serialized on one channel', async () => {
  const { ch, conn } = await openChannel((p, c) => {
    if (p[4] === 0x81) setTimeout(() => c.enqueue(initPacket(CID, 0x01, 1, Buffer.from([p[7] ?? 0]))), 30);
  });
  const [a, b] = await Promise.all([ch.ping(Buffer.from([1])), ch.ping(Buffer.from([2]))]);
  assert.deepEqual([a[0], b[0]], [1, 2]);
  assert.deepEqual(conn.written.map((p) => p[7]), [1, 2]);
});
