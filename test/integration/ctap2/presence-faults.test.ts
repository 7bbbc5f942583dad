import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CtapHidTimeoutError, CtapHidProtocolError } from '../../../native/ctaphid/errors';
import { CoseAlg } from '../../../native/ctap2/cose';
import { CtapStatus, Ctap2StatusError } from '../../../native/ctap2/status';
import { DeviceGoneError } from '../../../native/hid/errors';
import { NbgError } from '../../../native/errors';
import { cdh, reopen, rig, sshEnroll } from '../../support/ctap2-harness';

const isStatus = (s: number) => (e: unknown) => e instanceof Ctap2StatusError && e.status === s;

test('no touch: UPNEEDED keepalives about every 100 ms, then USER_ACTION_TIMEOUT from the key', async (t) => {
  const r = await rig({ presence: () => 'never', upTimeoutMs: 450 });
  t.after(() => r.channel.close());
  const seen: { s: number; at: number }[] = [];
  const start = Date.now();
  await assert.rejects(r.client.makeCredential(sshEnroll(-8), undefined, { onKeepalive: (s) => seen.push({ s, at: Date.now() - start }) }),
    (e: unknown) => isStatus(CtapStatus.USER_ACTION_TIMEOUT)(e) && /not touched in time/.test((e as Error).message));
  const up = seen.filter((x) => x.s === 0x02);
  // ~100 ms apart while the key waits 450 ms: a handful, neither one nor a flood.
  assert.ok(up.length >= 2 && up.length <= 10, `${up.length} UPNEEDED keepalives in 450 ms`);
  assert.equal(r.sim.authenticator.residentCredentials.length, 0);
});

test('touch declined: OPERATION_DENIED; a late approval still works', async (t) => {
  let answer: 'deny' | 'approve' = 'deny';
  const r = await rig({ presence: () => answer });
  t.after(() => r.channel.close());
  await assert.rejects(r.client.makeCredential(sshEnroll(-8)), isStatus(CtapStatus.OPERATION_DENIED));
  answer = 'approve';
  const late = await rig({ presence: () => new Promise((res) => setTimeout(() => res('approve'), 250)) });
  t.after(() => late.channel.close());
  const statuses: number[] = [];
  const cred = await late.client.makeCredential(sshEnroll(-7), undefined, { onKeepalive: (s) => statuses.push(s) });
  assert.equal(cred.alg, CoseAlg.ES256);
  assert.ok(statuses.filter((s) => s === 2).length >= 2);
});

test('cancel while waiting for the touch: CTAPHID_CANCEL → KEEPALIVE_CANCEL, channel stays usable', async (t) => {
  const r = await rig({ presence: () => 'never', upTimeoutMs: 30_000 });
  t.after(() => r.channel.close());
  const ac = new AbortController();
  // The key would wait 30 s and then say USER_ACTION_TIMEOUT; KEEPALIVE_CANCEL proves the cancel reached it.
  await assert.rejects(r.client.makeCredential(sshEnroll(-8), undefined, {
    signal: ac.signal,
    onKeepalive: (s) => {
      if (s === 2) ac.abort();
    },
  }), isStatus(CtapStatus.KEEPALIVE_CANCEL));
  const info = await r.client.getInfo();
  assert.ok(info.versions.length > 0);
});

test('key pulled while waiting for the touch: DeviceGoneError, no hang', async (t) => {
  let pull: () => void = () => undefined;
  const r = await rig({
    presence: () => {
      setTimeout(() => pull(), 50);
      return 'never';
    },
    upTimeoutMs: 30_000,
  });
  pull = () => r.sim.unplug();
  t.after(() => r.channel.close());
  await assert.rejects(r.client.makeCredential(sshEnroll(-8), undefined, { timeoutMs: 60_000 }), (e: unknown) => e instanceof DeviceGoneError && /removed/.test((e as Error).message));
});

test('fault injection: disconnect at reply packet N, dropped frames, corrupted frames, garbage', async (t) => {
  // Disconnect before the 2nd packet of a multi-packet reply (getInfo is > 57 bytes).
  const a = await rig({});
  t.after(() => a.channel.close());
  a.sim.device.injectFault({ kind: 'disconnect', atPacket: a.sim.device.packetsSent + 1 });
  await assert.rejects(a.client.getInfo(), DeviceGoneError);

  // A dropped continuation packet is a sequence gap; a dropped single-packet reply a host timeout.
  const b = await rig({});
  t.after(() => b.channel.close());
  b.sim.device.injectFault({ kind: 'drop', atPacket: b.sim.device.packetsSent + 1 });
  await assert.rejects(b.client.getInfo({ timeoutMs: 300 }), (e: unknown) => e instanceof CtapHidProtocolError && /continuation packet 1 where 0/.test((e as Error).message));
  b.sim.device.injectFault({ kind: 'drop', atPacket: b.sim.device.packetsSent });
  await assert.rejects(b.channel.ping(Buffer.from('x'), { timeoutMs: 150 }), CtapHidTimeoutError);
  assert.deepEqual(await b.channel.ping(Buffer.from('y')), Buffer.from('y'), 'the channel recovers');

  // Corrupted init packet header (command byte) → protocol error; any other corruption → typed error too.
  const c = await rig({});
  t.after(() => c.channel.close());
  const failures: unknown[] = [];
  for (let i = 0; i < 12; i++) {
    c.sim.device.injectFault({ kind: 'corrupt', atPacket: c.sim.device.packetsSent + (i % 3) });
    await c.client.getInfo({ timeoutMs: 200 }).catch((e: unknown) => failures.push(e));
  }
  assert.ok(failures.length > 0, 'corruption was noticed');
  assert.ok(failures.every((e) => e instanceof NbgError), failures.map(String).join('\n'));
  assert.ok(failures.some((e) => e instanceof CtapHidProtocolError || (e as NbgError).code === 'CBOR_INVALID' || e instanceof CtapHidTimeoutError));

  // Random garbage packets in front of the reply are skipped (other CIDs).
  const d = await rig({});
  t.after(() => d.channel.close());
  for (let i = 0; i < 3; i++) d.sim.device.injectFault({ kind: 'garbage', atPacket: d.sim.device.packetsSent + i });
  assert.deepEqual((await d.client.getInfo()).versions, ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']);
});

test('assertion on a key that was replugged keeps credentials and counter', async (t) => {
  const r = await rig({ profile: 'ctap21' });
  const cred = await r.client.makeCredential({ ...sshEnroll(-8), credProtect: 1 });
  r.sim.replug();
  const r2 = await reopen(r);
  t.after(() => r2.channel.close());
  const a = await r2.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [cred.credentialId] }, undefined, { alg: cred.alg, publicKey: cred.publicKey });
  assert.ok(a.counter > cred.authDataParsed.counter);
});
