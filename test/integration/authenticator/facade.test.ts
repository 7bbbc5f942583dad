// The authenticator facade against the CTAPHID simulator: every byte goes through the real
// channel, CTAP2 client and response verification, as with a YubiKey.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Authenticator, OPENSSH_USER_ID, type PinCache } from '../../../native/authenticator/authenticator';
import { simulatorKeySource } from '../../../native/authenticator/key-source';
import { openSimulator, type SimulatorProfileName, type PresenceAnswer } from '../../../native/simulator/index';
import { verifySkSignature } from '../../../native/sk/signature';
import { SkFlag, SkKeyType } from '../../../native/sk/types';
import { ScriptedInteraction } from '../../support/scripted-interaction';

const PIN = '482916';

async function setup(profile: SimulatorProfileName = 'yubikey5-fw54', opts: { pin?: boolean; presence?: () => PresenceAnswer; upTimeoutMs?: number } = {}) {
  const sim = await openSimulator({
    profile, keepaliveIntervalMs: 5,
    ...(opts.presence ? { presence: opts.presence } : {}),
    ...(opts.upTimeoutMs !== undefined ? { upTimeoutMs: opts.upTimeoutMs } : {}),
  });
  const ui = new ScriptedInteraction({ defaultPin: PIN });
  const auth = new Authenticator(simulatorKeySource(sim), ui);
  if (opts.pin !== false) await auth.setPin(PIN);
  return { sim, ui, auth };
}

/** What ConnectScope does for a connect: one PIN for every hop, wiped at the end. */
function pinCache(): PinCache & { asked: number } {
  let held: Buffer | undefined;
  return {
    asked: 0,
    async pin(ask) {
      if (held) return held;
      this.asked++;
      const p = await ask();
      if (p === null) return null;
      held = Buffer.from(p);
      return held;
    },
    forgetPin() {
      held?.fill(0);
      held = undefined;
    },
  };
}

for (const profile of ['yubikey5-fw54', 'ctap21'] as const) {
  test(`${profile}: enroll reproduces ssh-keygen -O resident -O verify-required and signs through a jump chain with one PIN`, async () => {
    const { ui, auth } = await setup(profile);
    const { keys } = await auth.listKeys();
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.pin, 'set');
    assert.equal(keys[0]?.pinRetries, 8);

    const r = await auth.enroll();
    assert.equal(r.handle.type, SkKeyType.Ed25519);
    assert.equal(r.handle.application, 'ssh:');
    assert.equal(r.handle.flags, 0x25);
    assert.equal(r.handle.comment, 'NexusIdentitySSHKey');
    assert.equal(r.handle.publicKey.length, 32);
    assert.equal(r.credential.credProtect, 3);
    assert.ok(r.credential.userId.equals(OPENSSH_USER_ID));
    assert.equal(r.replaced, false);
    assert.equal(ui.pins.length, 1);
    assert.equal(ui.pins[0]?.retriesLeft, 8);
    assert.equal(ui.touches.length, 1, 'one touch prompt for makeCredential');
    assert.equal(ui.touchesClosed.length, 1, 'the touch prompt is closed when the key answered');

    ui.pins.length = 0;
    ui.touches.length = 0;
    const cache = pinCache();
    const counters: number[] = [];
    for (const hop of ['jump-01', 'leaf-02']) {
      const data = Buffer.from(`userauth request for ${hop}`);
      const s = await auth.sign(r.handle, data, { context: { purpose: `sign in to ${hop}`, hop }, pinCache: cache });
      assert.equal(s.flags, SkFlag.UserPresenceRequired | SkFlag.UserVerificationRequired);
      const v = verifySkSignature(r.handle, data, s.signature);
      assert.equal(v.flags, 0x05);
      counters.push(v.counter);
    }
    assert.equal(cache.asked, 1, 'one PIN entry for the whole chain');
    assert.equal(ui.pins.length, 1);
    assert.equal(ui.touches.length, 2, 'one touch per signature');
    assert.deepEqual(ui.touches.map((c) => c.hop), ['jump-01', 'leaf-02']);
    assert.ok((counters[1] as number) > (counters[0] as number), 'the signature counter increases');
  });
}

test('ecdsa-sk enrollment yields a P-256 point whose signatures verify', async () => {
  const { auth } = await setup('ctap21');
  const r = await auth.enroll({ type: 'ecdsa-sk' });
  assert.equal(r.handle.type, SkKeyType.EcdsaP256);
  assert.equal(r.handle.publicKey.length, 65);
  const data = Buffer.from('ecdsa data');
  const s = await auth.sign(r.handle, data, { context: { purpose: 'test' } });
  assert.equal(verifySkSignature(r.handle, data, s.signature).flags, 0x05);
});

test('a second resident enrollment asks before replacing, and can keep both with a random user id', async () => {
  const { ui, auth } = await setup();
  const first = await auth.enroll();
  ui.confirmQueue = [false, true];
  const second = await auth.enroll();
  assert.deepEqual(ui.confirms.map((c) => c.kind), ['overwrite-key', 'keep-both']);
  assert.equal(second.randomUserId, true);
  assert.ok(!second.credential.userId.equals(OPENSSH_USER_ID));
  const resident = await auth.importResident();
  assert.equal(resident.length, 2, 'both keys stay on the device');
  assert.ok(resident.some((k) => k.handle.publicKey.equals(first.handle.publicKey)));

  ui.confirms.length = 0;
  ui.confirmQueue = [true];
  const third = await auth.enroll();
  assert.equal(third.replaced, true);
  const after = await auth.importResident();
  assert.equal(after.length, 2, 'the zero-user-id key was replaced, not added');
  assert.ok(!after.some((k) => k.handle.publicKey.equals(first.handle.publicKey)));

  ui.confirmQueue = [false, false];
  await assert.rejects(auth.enroll(), { code: 'RESIDENT_KEY_EXISTS' });
});

test('importResident mirrors ssh-keygen -K: flags 0x21 plus 0x04 for credProtect 3 without built-in UV, comment = application', async () => {
  const { auth } = await setup();
  const enrolled = await auth.enroll();
  const [k] = await auth.importResident();
  assert.ok(k);
  assert.equal(k.handle.flags, 0x25);
  assert.equal(k.handle.comment, 'ssh:');
  assert.ok(k.handle.keyHandle.equals(enrolled.handle.keyHandle));
  assert.ok(k.handle.publicKey.equals(enrolled.handle.publicKey));
  const noUv = await auth.enroll({ verifyRequired: false, userId: Buffer.alloc(32, 7), type: 'ecdsa-sk' });
  const all = await auth.importResident();
  const imported = all.find((x) => x.handle.publicKey.equals(noUv.handle.publicKey));
  assert.equal(imported?.handle.flags, 0x21, 'credProtect 2 keys need no PIN flag');
});

test('verify-required is refused without a PIN set, with a clear typed error', async () => {
  const { auth } = await setup('yubikey5-fw54', { pin: false });
  const { keys } = await auth.listKeys();
  assert.equal(keys[0]?.pin, 'unset');
  await assert.rejects(auth.enroll(), { code: 'PIN_NOT_SET' });
});

test('a wrong PIN is asked again by the person with the retries the key reports; never re-sent by the app', async () => {
  const { ui, auth } = await setup();
  const r = await auth.enroll();
  ui.pins.length = 0;
  ui.pinQueue = ['000000', PIN];
  const data = Buffer.from('x');
  const s = await auth.sign(r.handle, data, { context: { purpose: 'test' } });
  assert.equal(verifySkSignature(r.handle, data, s.signature).flags, 0x05);
  assert.deepEqual(ui.pins.map((p) => [p.retriesLeft, p.previousWrong]), [[8, false], [7, true]]);
  const { keys } = await auth.listKeys();
  assert.equal(keys[0]?.pinRetries, 8, 'a correct PIN resets the retry counter');
});

test('three wrong PINs in a row block PIN auth until the key is replugged', async () => {
  const { ui, auth, sim } = await setup();
  const r = await auth.enroll();
  ui.pinQueue = ['111111', '222222', '333333'];
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'CTAP2_PIN_AUTH_BLOCKED' });
  sim.replug();
  ui.pinQueue = [PIN];
  const s = await auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } });
  assert.ok(s.signature.length > 0);
});

test('cancelling the PIN prompt cancels the operation', async () => {
  const { ui, auth } = await setup();
  const r = await auth.enroll();
  ui.pinQueue = [null];
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'CANCELLED' });
});

test('touch denied, touch timeout and cancel from the touch prompt end with typed errors', async () => {
  let answer: PresenceAnswer = 'approve';
  const { ui, auth } = await setup('yubikey5-fw54', { presence: () => answer, upTimeoutMs: 200 });
  const r = await auth.enroll();
  answer = 'deny';
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'CTAP2_OPERATION_DENIED' });
  answer = 'never';
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'CTAP2_USER_ACTION_TIMEOUT' });
  ui.touchBehaviour = 'cancel';
  ui.touches.length = 0;
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), (err: { code?: string }) => {
    return err.code === 'CTAP2_KEEPALIVE_CANCEL' || err.code === 'CTAPHID_CANCELLED';
  });
  assert.equal(ui.touches.length, 1);
});

test('a key pulled out while waiting for the touch ends the signature with a clear error, not a hang', async () => {
  const { auth, sim } = await setup('yubikey5-fw54', { upTimeoutMs: 5_000 });
  const r = await auth.enroll();
  sim.authenticator.presence = () => {
    setTimeout(() => sim.unplug(), 20);
    return 'never';
  };
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'DEVICE_GONE' });
  assert.deepEqual((await auth.listKeys()).keys, [], 'an unplugged key is no longer listed');
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'NO_SECURITY_KEY' });
});

test('with two keys plugged in the person chooses, and a key without the credential says so', async () => {
  const a = await openSimulator({ path: 'sim:a', keepaliveIntervalMs: 5 });
  const b = await openSimulator({ path: 'sim:b', profile: 'ctap21', keepaliveIntervalMs: 5 });
  const ui = new ScriptedInteraction({ defaultPin: PIN });
  const auth = new Authenticator(simulatorKeySource(a, b), ui);
  await auth.setPin(PIN, { keyId: 'sim:a' });
  await auth.setPin(PIN, { keyId: 'sim:b' });
  ui.selectAnswer = () => 'sim:a';
  const r = await auth.enroll();
  assert.equal(ui.selections.length, 1);
  assert.deepEqual(ui.selections[0]?.map((c) => c.id), ['sim:a', 'sim:b']);
  ui.selectAnswer = () => 'sim:b';
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'KEY_NOT_ON_DEVICE' });
  ui.selectAnswer = () => null;
  await assert.rejects(auth.sign(r.handle, Buffer.from('x'), { context: { purpose: 'test' } }), { code: 'CANCELLED' });
});

test('the signed message is exactly what OpenSSH verifies: SHA256(app) || flags || counter || SHA256(data)', async () => {
  const { auth } = await setup('ctap21');
  const r = await auth.enroll();
  const data = Buffer.from('session-id + userauth');
  const s = await auth.sign(r.handle, data, { context: { purpose: 'test' } });
  const { flags, counter } = verifySkSignature(r.handle, data, s.signature);
  const tampered = Buffer.from(data);
  tampered.writeUInt8((tampered[0] as number) ^ 1, 0);
  assert.throws(() => verifySkSignature(r.handle, tampered, s.signature));
  assert.equal(flags, 5);
  assert.ok(counter > 0);
  assert.equal(createHash('sha256').update('ssh:').digest('hex'), 'e30610e8a162115960fe1ec223e6529c9f4b6e80200dcb5e5c321c8af1e2b1bf');
});
