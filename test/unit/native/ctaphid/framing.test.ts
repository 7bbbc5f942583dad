import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MESSAGE_LEN } from '../../../../native/ctaphid/constants';
import { CtapHidProtocolError } from '../../../../native/ctaphid/errors';
import { MessageAssembler, fragmentMessage, parsePacket } from '../../../../native/ctaphid/framing';

const CID = Buffer.from('2133e1b9', 'hex');

test('INIT request on the broadcast channel is byte-exact (YubiKey trace, libfido2 #686)', () => {
  const [p, ...rest] = fragmentMessage(Buffer.from('ffffffff', 'hex'), 0x06, Buffer.from('5e88cd781dc86fe4', 'hex'));
  assert.equal(rest.length, 0);
  const expected = Buffer.alloc(64);
  Buffer.from('ffffffff8600085e88cd781dc86fe4', 'hex').copy(expected);
  assert.deepEqual(Buffer.from(p ?? []), expected);
});

test('fragmentation: 57 bytes fit the init packet, 58 need one continuation, 7609 is the maximum', () => {
  assert.equal(fragmentMessage(CID, 0x10, Buffer.alloc(57)).length, 1);
  assert.equal(fragmentMessage(CID, 0x10, Buffer.alloc(58)).length, 2);
  const max = fragmentMessage(CID, 0x10, Buffer.alloc(MAX_MESSAGE_LEN, 1));
  assert.equal(max.length, 129);
  assert.equal(max.at(-1)?.[4], 127, 'last sequence number is 0x7f');
  assert.throws(() => fragmentMessage(CID, 0x10, Buffer.alloc(MAX_MESSAGE_LEN + 1)), CtapHidProtocolError);
});

test('fragment then reassemble round-trips payloads of many sizes', () => {
  for (const len of [0, 1, 56, 57, 58, 116, 117, 1200, 4000, MAX_MESSAGE_LEN]) {
    const payload = Buffer.from(Array.from({ length: len }, (_, i) => (i * 7 + len) & 0xff));
    const packets = fragmentMessage(CID, 0x10, payload);
    const first = parsePacket(packets[0] as Uint8Array);
    assert.equal(first.kind, 'init');
    if (first.kind !== 'init') return;
    assert.equal(first.cmd, 0x10);
    assert.equal(first.bcnt, len);
    const asm = new MessageAssembler(first.cmd, first.bcnt, first.data);
    for (const raw of packets.slice(1)) {
      const p = parsePacket(raw);
      assert.equal(p.kind, 'cont');
      if (p.kind === 'cont') asm.push(p.seq, p.data);
    }
    assert.ok(asm.complete);
    assert.deepEqual(asm.payload, payload, `length ${len}`);
  }
});

test('reassembly rejects out-of-order, surplus and oversized messages', () => {
  const packets = fragmentMessage(CID, 0x10, Buffer.alloc(200, 9)).map((p) => parsePacket(p));
  const first = packets[0];
  assert.ok(first?.kind === 'init');
  const asm = new MessageAssembler(first.cmd, first.bcnt, first.data);
  const third = packets[2];
  assert.ok(third?.kind === 'cont');
  assert.throws(() => asm.push(third.seq, third.data), CtapHidProtocolError);
  assert.throws(() => new MessageAssembler(0x10, MAX_MESSAGE_LEN + 1, Buffer.alloc(57)), CtapHidProtocolError);
  const small = new MessageAssembler(0x10, 3, Buffer.from([1, 2, 3, 4]));
  assert.ok(small.complete);
  assert.deepEqual(small.payload, Buffer.from([1, 2, 3]), 'truncated to BCNT');
  assert.throws(() => small.push(0, Buffer.alloc(59)), CtapHidProtocolError);
  assert.throws(() => parsePacket(new Uint8Array(63)), CtapHidProtocolError);
});
