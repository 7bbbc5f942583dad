import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ctap2UnsupportedError, PinFormatError } from '../../../native/ctap2/client';
import { CoseAlg } from '../../../native/ctap2/cose';
import { PinPermission, type PinToken } from '../../../native/ctap2/pin-protocol';
import { CtapStatus, Ctap2StatusError } from '../../../native/ctap2/status';
import { sha256 } from '../../../native/ctap2/verify';
import { ResponseVerificationError } from '../../../native/ctap2/verify';
import { PIN, type Rig, cdh, reopen, rig, sshEnroll } from '../../support/ctap2-harness';

const isStatus = (s: number) => (e: unknown) => e instanceof Ctap2StatusError && e.status === s;

/** A token fit for `perm` on this profile: 0x09 with permissions on CTAP 2.1, legacy 0x05 otherwise. */
async function token(r: Rig, perm: number, protocol?: 1 | 2): Promise<PinToken> {
  const opts = protocol ? { protocol } : {};
  if (r.sim.authenticator.profile.tokenPermissions) {
    return r.client.getPinToken(PIN, { ...opts, permissions: perm, ...(perm & (PinPermission.MC | PinPermission.GA) ? { rpId: 'ssh:' } : {}) });
  }
  return r.client.getPinToken(PIN, opts);
}

for (const profile of ['yubikey5-fw54', 'ctap21'] as const) {
  test(`${profile}: PIN, tokens on both protocols, resident credProtect-3 EdDSA and ES256, assert, enumerate, delete`, async (t) => {
    const r = await rig({ profile });
    t.after(() => r.channel.close());
    const info = await r.client.getInfo();
    assert.equal(info.options.clientPin, false);
    await assert.rejects(r.client.getPinToken(PIN), isStatus(CtapStatus.PIN_NOT_SET));
    await r.client.setPin(PIN);
    assert.equal((await r.client.getInfo()).options.clientPin, true);
    assert.equal((await r.client.getPinRetries()).retries, 8);
    await assert.rejects(r.client.setPin('999999'), isStatus(CtapStatus.NOT_ALLOWED));

    for (const protocol of [1, 2] as const) {
      const legacy = await r.client.getPinToken(PIN, { protocol });
      assert.equal(legacy.protocol.version, protocol);
      if (profile === 'ctap21') {
        const scoped = await r.client.getPinToken(PIN, { protocol, permissions: PinPermission.MC | PinPermission.GA, rpId: 'ssh:' });
        assert.equal(scoped.permissions, 3);
      } else {
        await assert.rejects(r.client.getPinToken(PIN, { protocol, permissions: PinPermission.MC, rpId: 'ssh:' }), Ctap2UnsupportedError);
      }
    }

    // Without a PIN token a PIN-protected key refuses to make a resident credential.
    await assert.rejects(r.client.makeCredential(sshEnroll(-8)), isStatus(CtapStatus.PIN_REQUIRED));

    const keepalives: number[] = [];
    const ed = await r.client.makeCredential(sshEnroll(-8), await token(r, PinPermission.MC, 1), { onKeepalive: (s) => keepalives.push(s) });
    assert.ok(keepalives.includes(0x02), 'UPNEEDED seen while the key waited for the touch');
    assert.equal(ed.alg, CoseAlg.EdDSA);
    assert.equal(ed.publicKey.length, 32);
    assert.equal(ed.credProtect, 3);
    assert.equal(ed.fmt, 'packed');
    assert.equal(ed.attestationVerified, true);
    assert.equal(ed.authDataParsed.flags & 0x45, 0x45, 'UP, UV, AT');

    const es = await r.client.makeCredential(sshEnroll(-7, Buffer.alloc(32, 1)), await token(r, PinPermission.MC, 2));
    assert.equal(es.alg, CoseAlg.ES256);
    assert.equal(es.publicKey.length, 65);

    for (const cred of [ed, es]) {
      const hash = cdh();
      const a = await r.client.getAssertion({ rpId: 'ssh:', clientDataHash: hash, allowList: [cred.credentialId] }, await token(r, PinPermission.GA),
        { alg: cred.alg, publicKey: cred.publicKey });
      assert.equal(a.flags, 0x05, 'UP|UV as verify-required needs');
      assert.equal(a.authData.length, 37);
      assert.deepEqual(a.credentialId, cred.credentialId);
      // The wrong stored public key must make verification fail, not pass silently.
      const other = cred === ed ? es : ed;
      await assert.rejects(r.client.getAssertion({ rpId: 'ssh:', clientDataHash: hash, allowList: [cred.credentialId] }, await token(r, PinPermission.GA),
        { alg: cred.alg, publicKey: cred === ed ? Buffer.alloc(32, 9) : other.publicKey }), ResponseVerificationError);
    }

    // credProtect 3: invisible without UV.
    await assert.rejects(r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [ed.credentialId] }), isStatus(CtapStatus.NO_CREDENTIALS));

    // Counters only go up.
    const c1 = (await r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [ed.credentialId] }, await token(r, PinPermission.GA))).counter;
    const c2 = (await r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [ed.credentialId] }, await token(r, PinPermission.GA))).counter;
    assert.ok(c2 > c1);

    // Discoverable: two users under ssh: → numberOfCredentials + getNextAssertion.
    const first = await r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh() }, await token(r, PinPermission.GA));
    assert.equal(first.numberOfCredentials, 2);
    const second = await r.client.getNextAssertion();
    assert.deepEqual(new Set([first.credentialId.toString('hex'), second.credentialId.toString('hex')]),
      new Set([ed.credentialId.toString('hex'), es.credentialId.toString('hex')]));
    await assert.rejects(r.client.getNextAssertion(), isStatus(CtapStatus.NOT_ALLOWED));

    const cm = await r.client.credentialManagement(await token(r, PinPermission.CM));
    assert.equal(cm.command, profile === 'ctap21' ? 0x0a : 0x41);
    assert.deepEqual(await cm.getMetadata(), { existingResidentCredentialsCount: 2, maxPossibleRemainingResidentCredentialsCount: r.sim.authenticator.profile.maxResidentCredentials - 2 });
    const rps = await cm.enumerateRps();
    assert.deepEqual(rps.map((x) => x.rpId), ['ssh:']);
    assert.deepEqual(rps[0]?.rpIdHash, sha256('ssh:'));
    const creds = await cm.enumerateCredentials(sha256('ssh:'));
    assert.deepEqual(creds.map((c) => c.alg).sort((x, y) => x - y), [CoseAlg.EdDSA, CoseAlg.ES256]);
    assert.deepEqual(creds.find((c) => c.alg === -8)?.publicKey, ed.publicKey);
    assert.deepEqual(creds.find((c) => c.alg === -7)?.publicKey, es.publicKey);
    assert.ok(creds.every((c) => c.credProtect === 3 && c.userName === 'openssh'));
    await cm.deleteCredential(ed.credentialId);
    assert.deepEqual((await cm.enumerateCredentials(sha256('ssh:'))).map((c) => c.alg), [-7]);
    await cm.deleteCredential(es.credentialId);
    assert.deepEqual(await cm.enumerateRps(), []);
    assert.deepEqual(await cm.enumerateCredentials(sha256('ssh:')), []);
    await assert.rejects(cm.deleteCredential(es.credentialId), isStatus(CtapStatus.NO_CREDENTIALS));
  });

  test(`${profile}: same rp + user id overwrites (OpenSSH zero user id)`, async (t) => {
    const r = await rig({ profile });
    t.after(() => r.channel.close());
    await r.client.setPin(PIN);
    const a = await r.client.makeCredential(sshEnroll(-8), await token(r, PinPermission.MC));
    const b = await r.client.makeCredential(sshEnroll(-8), await token(r, PinPermission.MC));
    assert.notDeepEqual(a.credentialId, b.credentialId);
    assert.equal(r.sim.authenticator.residentCredentials.length, 1);
    await assert.rejects(r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [a.credentialId] }, await token(r, PinPermission.GA)),
      isStatus(CtapStatus.NO_CREDENTIALS));
    const got = await r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh() }, await token(r, PinPermission.GA), { alg: b.alg, publicKey: b.publicKey });
    assert.deepEqual(got.credentialId, b.credentialId);
    assert.deepEqual(got.userId, Buffer.alloc(32));
  });

  test(`${profile}: wrong PIN counts down, three in a row block until replug, zero blocks for good`, async (t) => {
    let r = await rig({ profile });
    t.after(() => r.channel.close());
    await r.client.setPin(PIN);
    await assert.rejects(r.client.getPinToken('000000'), (e: unknown) => isStatus(CtapStatus.PIN_INVALID)(e) && (e as Ctap2StatusError).retriesLeft === 7
      && /7 tries left/.test((e as Error).message));
    await r.client.getPinToken(PIN); // the right PIN restores the counter
    assert.equal((await r.client.getPinRetries()).retries, 8);
    await assert.rejects(r.client.getPinToken('000000'), isStatus(CtapStatus.PIN_INVALID));
    await assert.rejects(r.client.getPinToken('000000'), isStatus(CtapStatus.PIN_INVALID));
    await assert.rejects(r.client.getPinToken('000000'), isStatus(CtapStatus.PIN_AUTH_BLOCKED));
    await assert.rejects(r.client.getPinToken(PIN), isStatus(CtapStatus.PIN_AUTH_BLOCKED), 'even the right PIN until power cycle');
    assert.equal((await r.client.getPinRetries()).retries, 5);
    r.sim.replug();
    await assert.rejects(r.client.getInfo(), (e: unknown) => (e as { code?: string }).code === 'DEVICE_GONE', 'old handle is dead');
    r = await reopen(r);
    await r.client.getPinToken(PIN);
    assert.equal((await r.client.getPinRetries()).retries, 8);
    // 8 wrong PINs, replugging whenever the key asks for it: the last one blocks the PIN.
    const expected = ['INVALID', 'INVALID', 'AUTH_BLOCKED', 'INVALID', 'INVALID', 'AUTH_BLOCKED', 'INVALID', 'BLOCKED'];
    for (const [i, want] of expected.entries()) {
      const status = { INVALID: CtapStatus.PIN_INVALID, AUTH_BLOCKED: CtapStatus.PIN_AUTH_BLOCKED, BLOCKED: CtapStatus.PIN_BLOCKED }[want] as number;
      await assert.rejects(r.client.getPinToken('000000'), isStatus(status), `attempt ${i + 1}`);
      assert.equal((await r.client.getPinRetries()).retries, 7 - i);
      if (want === 'AUTH_BLOCKED') {
        r.sim.replug();
        r = await reopen(r);
      }
    }
    assert.equal((await r.client.getPinRetries()).retries, 0);
    await assert.rejects(r.client.getPinToken(PIN), isStatus(CtapStatus.PIN_BLOCKED));
    r.sim.replug();
    r = await reopen(r);
    await assert.rejects(r.client.getPinToken(PIN), isStatus(CtapStatus.PIN_BLOCKED), 'a replug does not help');
  });
}

test('ctap21: mc/ga tokens are single-use; rpId and permissions are enforced', async (t) => {
  const r = await rig({ profile: 'ctap21' });
  t.after(() => r.channel.close());
  await r.client.setPin(PIN);
  const tok = await r.client.getPinToken(PIN, { permissions: PinPermission.MC | PinPermission.GA, rpId: 'ssh:' });
  const cred = await r.client.makeCredential(sshEnroll(-8), tok);
  await assert.rejects(r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [cred.credentialId] }, tok),
    isStatus(CtapStatus.UNAUTHORIZED_PERMISSION), 'token used up by the makeCredential');
  const other = await r.client.getPinToken(PIN, { permissions: PinPermission.GA, rpId: 'ssh:other' });
  await assert.rejects(r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [cred.credentialId] }, other),
    isStatus(CtapStatus.UNAUTHORIZED_PERMISSION));
  const gaOnly = await r.client.getPinToken(PIN, { permissions: PinPermission.GA, rpId: 'ssh:' });
  await assert.rejects(r.client.credentialManagement(gaOnly).then((cm) => cm.getMetadata()), isStatus(CtapStatus.UNAUTHORIZED_PERMISSION));
  // PINs outside 4..63 bytes never reach the key (no retry is spent).
  await assert.rejects(r.client.getPinToken('123'), PinFormatError);
  await assert.rejects(r.client.changePin(PIN, 'x'.repeat(64)), PinFormatError);
  assert.equal((await r.client.getPinRetries()).retries, 8);
  await r.client.changePin(PIN, '135790');
  await assert.rejects(r.client.getPinToken(PIN), isStatus(CtapStatus.PIN_INVALID));
  await r.client.getPinToken('135790');
  await r.client.selection();
});

test('yubikey5-fw54: 0x0A and selection are INVALID_COMMAND; legacy token works for the preview credMgmt', async (t) => {
  const r = await rig({ profile: 'yubikey5-fw54' });
  t.after(() => r.channel.close());
  await assert.rejects(r.client.call(0x0a, new Map([[1, 1]])), isStatus(CtapStatus.INVALID_COMMAND));
  await assert.rejects(r.client.selection(), isStatus(CtapStatus.INVALID_COMMAND));
  const info = await r.client.getInfo();
  assert.equal(info.maxMsgSize, 1200);
  assert.deepEqual(info.pinUvAuthProtocols, [2, 1]);
  assert.equal(info.options.pinUvAuthToken, undefined);
  assert.equal(r.channel.version.major * 100 + r.channel.version.minor * 10 + r.channel.version.build, 543);
});

test('credProtect 2 is found through the allowList without UV, but not discoverably', async (t) => {
  const r = await rig({ profile: 'yubikey5-fw54' });
  t.after(() => r.channel.close());
  const cred = await r.client.makeCredential({ ...sshEnroll(-8), credProtect: 2 });
  assert.equal(cred.credProtect, 2);
  assert.equal(cred.authDataParsed.flags & 0x04, 0, 'no UV without a PIN');
  const a = await r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [cred.credentialId] }, undefined, { alg: cred.alg, publicKey: cred.publicKey });
  assert.equal(a.flags, 0x01);
  await assert.rejects(r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh() }), isStatus(CtapStatus.NO_CREDENTIALS));
  const noTouch = await r.client.getAssertion({ rpId: 'ssh:', clientDataHash: cdh(), allowList: [cred.credentialId], userPresence: false });
  assert.equal(noTouch.flags, 0x00);
});
