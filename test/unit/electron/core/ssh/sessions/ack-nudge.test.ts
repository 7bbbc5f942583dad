import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import ssh2, { type Client } from 'ssh2';
import { MAX_NUDGES_PER_SETUP, duringSetup, trackHopStream } from '../../../../../../electron/core/ssh/sessions/ack-nudge';
import { CoalescingStream } from '../../../../../../electron/core/ssh/sessions/coalescing-stream';
import { generateEd25519OpenSshKey } from '../../../../../../electron/drill/host-keys';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A client stand-in: the events trackHopStream listens to, and a counting ignore(). */
function fakeClient() {
  const emitter = new EventEmitter();
  let ignores = 0;
  Object.assign(emitter, { _protocol: { ignore: () => { ignores++; } } });
  return { client: emitter as unknown as Client, emitter, ignores: () => ignores };
}

/** A CoalescingStream (what a forwarded hop runs over) whose peer we can make speak. */
function hopStream() {
  const feed = new PassThrough();
  const inner = new Duplex({ read() { /* fed below */ }, write(_c, _e, cb) { cb(); } });
  feed.on('data', (d: Buffer) => inner.push(d));
  const stream = new CoalescingStream(inner);
  stream.resume();
  const peerSays = async (): Promise<void> => {
    feed.write('packet');
    await turn();
    await turn();
  };
  return { stream, peerSays };
}

test('nudges only after the key exchange, only when nothing was sent back, only during setup', async () => {
  const { client, emitter, ignores } = fakeClient();
  const { stream, peerSays } = hopStream();
  const endLogin = trackHopStream(client, stream);

  await peerSays();
  assert.equal(ignores(), 0, 'no IGNORE inside the first key exchange (strict KEX)');
  emitter.emit('handshake', {});

  await peerSays();
  assert.equal(ignores(), 1, 'an unanswered packet during login gets an IGNORE');

  stream.once('data', () => stream.write('reply'));
  await peerSays();
  assert.equal(ignores(), 1, 'a packet we answer in the same turn needs no nudge');

  endLogin();
  await peerSays();
  assert.equal(ignores(), 1, 'after login nothing is nudged');

  await duringSetup(client, async () => {
    await peerSays();
    assert.equal(ignores(), 2, 'a later setup on the same connection (a reused jump) nudges again');
  });
  await peerSays();
  assert.equal(ignores(), 2);
});

test('nudges per setup are bounded, and stop when the connection closes', async () => {
  const { client, emitter, ignores } = fakeClient();
  const { stream, peerSays } = hopStream();
  trackHopStream(client, stream);
  emitter.emit('handshake', {});
  for (let i = 0; i < MAX_NUDGES_PER_SETUP + 5; i++) await peerSays();
  assert.equal(ignores(), MAX_NUDGES_PER_SETUP);

  const other = fakeClient();
  const second = hopStream();
  trackHopStream(other.client, second.stream);
  other.emitter.emit('handshake', {});
  other.emitter.emit('close');
  await second.peerSays();
  assert.equal(other.ignores(), 0);
});

test('an unpatched ssh2 is refused loudly rather than silently slow', () => {
  const client = new EventEmitter() as unknown as Client;
  Object.assign(client, { _protocol: {} });
  assert.throws(() => trackHopStream(client, hopStream().stream), /IGNORE patch/);
});

test("the patched ssh2 sends IGNOREs a real SSH server reads, and the login still succeeds", async (t) => {
  // Not ssh2's own ed25519 keygen: it drops a leading zero byte of the key about once in 256 keys.
  const hostKey = generateEd25519OpenSshKey('ack-nudge-test');
  const serverLog: string[] = [];
  const server = new ssh2.Server({ hostKeys: [hostKey.privateKey], debug: (line: string) => serverLog.push(line) }, (conn) => {
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => (ctx.method === 'password' && ctx.password === 'pw' ? ctx.accept() : ctx.reject(['password'])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sock = net.connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const client = new ssh2.Client();
  const ready = new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  client.connect({ sock, username: 'op', password: 'pw', hostVerifier: () => true });
  // A failed assertion must not leave the connection open: the server's close would wait for it.
  t.after(() => {
    client.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const endLogin = trackHopStream(client, sock);
  await ready;
  // The client answers nothing to USERAUTH_SUCCESS: that packet earns one nudge, a delayed-ACK
  // interval later. Setup ends after it (ending setup first would cancel the nudge, as designed).
  const deadline = Date.now() + 5000;
  while (!serverLog.some((l) => /Inbound: Received IGNORE/.test(l)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  endLogin();
  const handshakeAt = serverLog.findIndex((l) => /Handshake completed/.test(l));
  const ignoreAt = serverLog.findIndex((l) => /Inbound: Received IGNORE/.test(l));
  assert.ok(ignoreAt > handshakeAt && handshakeAt >= 0, 'the server read an IGNORE, after the handshake');
  const closed = new Promise<void>((r) => client.once('close', () => r()));
  client.end();
  await closed;
});
