import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { CoalescingStream } from '../../../../../../electron/core/ssh/sessions/coalescing-stream';

/** An inner stream that records each write it receives, and can feed data to its reader. */
function recordingInner() {
  const writes: Buffer[] = [];
  const readable = new PassThrough();
  const inner = new Duplex({
    read() { /* fed through readable */ },
    write(chunk: Buffer, _e, cb) { writes.push(chunk); cb(); },
    final(cb) { cb(); },
  });
  readable.on('data', (d: Buffer) => inner.push(d));
  readable.on('end', () => inner.push(null));
  return { inner, writes, feed: readable };
}

test('writes made in one event-loop turn reach the channel as one write, in order', async () => {
  const { inner, writes } = recordingInner();
  const s = new CoalescingStream(inner);
  const done: number[] = [];
  s.write(Buffer.from('SSH-2.0-x\r\n'), () => done.push(1));
  s.write(Buffer.from('KEXINIT'), () => done.push(2));
  s.write(Buffer.from('!'), () => done.push(3));
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(writes.length, 1);
  assert.equal(writes[0]?.toString(), 'SSH-2.0-x\r\nKEXINIT!');
  assert.deepEqual(done, [1, 2, 3], 'every write is acknowledged');
  s.write(Buffer.from('later'));
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(writes.length, 2);
});

test('reads, end and destroy pass through', async () => {
  const { inner, feed } = recordingInner();
  const s = new CoalescingStream(inner);
  const got: string[] = [];
  s.on('data', (d: Buffer) => got.push(d.toString()));
  const ended = new Promise((r) => s.once('end', r));
  feed.write('banner');
  feed.end('!');
  await ended;
  assert.equal(got.join(''), 'banner!');
  const closed = new Promise((r) => inner.once('close', r));
  s.destroy();
  await closed;
  assert.equal(inner.destroyed, true);
});

test("the channel's backpressure holds writers back until it drains", async () => {
  const writes: Buffer[] = [];
  let release: (() => void) | undefined;
  const inner = new Duplex({
    read() { /* nothing to read */ },
    highWaterMark: 4,
    write(chunk: Buffer, _e, cb) { writes.push(chunk); release = cb; },
  });
  const s = new CoalescingStream(inner);
  s.write(Buffer.from('0123456789'));
  await new Promise((r) => setImmediate(r));
  assert.equal(writes.length, 1, 'the first batch went out and filled the channel');
  let acknowledged = false;
  s.write(Buffer.from('more'), () => { acknowledged = true; });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(acknowledged, false, 'not acknowledged while the channel is full');
  release?.();
  await new Promise((r) => setImmediate(r));
  release?.();
  await new Promise((r) => setImmediate(r));
  assert.equal(acknowledged, true);
  assert.equal(Buffer.concat(writes).toString(), '0123456789more');
});
