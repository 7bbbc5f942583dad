import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CtapHidChannel } from '../../../../native/ctaphid/channel';
import { Ctap2Client } from '../../../../native/ctap2/client';
import { SimulatorStateError, openSimulator } from '../../../../native/simulator/index';

test('state file: a second run sees the PIN, retries and resident key of the first', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nbg-sim-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'key.json');

  const first = await openSimulator({ stateFile: file, profile: 'ctap21' });
  const c1 = new Ctap2Client(await CtapHidChannel.open(first.connection()));
  await c1.setPin('4321abcd');
  const tok = await c1.getPinToken('4321abcd', { permissions: 1, rpId: 'ssh:' });
  const cred = await c1.makeCredential({ clientDataHash: Buffer.alloc(32, 1), rpId: 'ssh:', user: { id: Buffer.alloc(32) }, alg: -8, credProtect: 2, residentKey: true }, tok);
  await c1.getPinToken('wrong-pin').catch(() => undefined);
  await c1.channel.close();
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const saved = JSON.parse(await readFile(file, 'utf8')) as { pinRetries: number; pinHash: string };
  assert.equal(saved.pinRetries, 7);
  assert.ok(!JSON.stringify(saved).includes('4321abcd'), 'the PIN itself is not stored');

  const second = await openSimulator({ stateFile: file });
  assert.equal(second.authenticator.profile.name, 'ctap21');
  const c2 = new Ctap2Client(await CtapHidChannel.open(second.connection()));
  t.after(() => c2.channel.close());
  const info = await c2.getInfo();
  assert.equal(info.options.clientPin, true);
  assert.equal((await c2.getPinRetries()).retries, 7);
  const a = await c2.getAssertion({ rpId: 'ssh:', clientDataHash: Buffer.alloc(32, 2), allowList: [cred.credentialId] }, undefined, { alg: cred.alg, publicKey: cred.publicKey });
  assert.ok(a.counter > 0);
  await assert.rejects(openSimulator({ stateFile: file, profile: 'yubikey5-fw54' }), SimulatorStateError);
});

test('a damaged state file is a SimulatorStateError, not a crash', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nbg-sim-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'key.json');
  for (const content of ['{', '[]', JSON.stringify({ version: 1, profile: 'ctap21', pinRetries: 99, counter: 0, serial: 0, credentials: [] }),
    JSON.stringify({ version: 1, profile: 'ctap21', pinRetries: 8, counter: 0, serial: 0, credentials: [{ id: 1 }] })]) {
    await writeFile(file, content);
    await assert.rejects(openSimulator({ stateFile: file }), (e: unknown) => e instanceof SimulatorStateError && e.code === 'SIMULATOR_STATE_INVALID');
  }
});

test('the simulator answers non-canonical CBOR with INVALID_CBOR and oversize requests with REQUEST_TOO_LARGE', async (t) => {
  const sim = await openSimulator({ profile: 'yubikey5-fw54' });
  const ch = await CtapHidChannel.open(sim.connection());
  t.after(() => ch.close());
  // {2: 1, 1: 1}: keys out of order.
  assert.deepEqual(await ch.cbor(Buffer.from('06a202010101', 'hex')), Buffer.from([0x12]));
  assert.deepEqual(await ch.cbor(Buffer.concat([Buffer.from([0x04]), Buffer.alloc(1300)])), Buffer.from([0x39]));
  assert.deepEqual(await ch.ping(Buffer.from('echo')), Buffer.from('echo'));
  await ch.wink();
});

test('when the state file cannot be written the key answers ERR_OTHER instead of going silent', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nbg-sim-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const sim = await openSimulator({ stateFile: path.join(dir, 'key.json') });
  const client = new Ctap2Client(await CtapHidChannel.open(sim.connection()));
  t.after(() => client.channel.close());
  await rm(dir, { recursive: true, force: true });
  await assert.rejects(client.setPin('1234abcd'), (e: unknown) => (e as { code?: string }).code === 'CTAP2_OTHER');
});
