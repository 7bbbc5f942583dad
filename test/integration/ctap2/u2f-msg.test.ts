// U2F over CTAPHID_MSG: the simulator's YubiKey profile serves it as real YubiKey 5s do, checked
// with the same assertions against solo1 (an independent U2F implementation); the CTAP 2.1 profile
// lists no U2F_V2 and says NMSG. Messages per "FIDO U2F Raw Message Formats" v1.2.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CtapHidChannel } from '../../../native/ctaphid/channel';
import { Capability, CtapHidCmd } from '../../../native/ctaphid/constants';
import { CtapHidError } from '../../../native/ctaphid/errors';
import type { HidConnection } from '../../../native/hid/connection';
import { openSimulator, type PresenceAnswer } from '../../../native/simulator/index';
import { startSolo1 } from '../../support/solo1';

const SW_OK = 0x9000, SW_CONDITIONS = 0x6985, SW_WRONG_DATA = 0x6a80;
const INS = { REGISTER: 0x01, AUTHENTICATE: 0x02, VERSION: 0x03 } as const;
const CTAPHID_ERR_INVALID_CMD = 0x01;

/** Extended-length APDU (§3.1.3), as libfido2 sends it: CLA INS P1 P2 00 Lc1 Lc2 data Le1 Le2. */
function apdu(ins: number, p1: number, data: Buffer): Buffer {
  const lc = Buffer.alloc(2);
  lc.writeUInt16BE(data.length);
  return Buffer.concat([Buffer.from([0x00, ins, p1, 0x00, 0x00]), lc, data, Buffer.from([0x00, 0x00])]);
}

async function msg(ch: CtapHidChannel, request: Buffer): Promise<{ sw: number; body: Buffer }> {
  const r = await ch.transact(CtapHidCmd.MSG, request);
  return { sw: r.readUInt16BE(r.length - 2), body: r.subarray(0, r.length - 2) };
}

/** The DER element at `off`: its whole length (tag, length bytes, content). */
function derLength(b: Buffer, off: number): number {
  const first = b[off + 1] as number;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  return 2 + n + b.subarray(off + 2, off + 2 + n).readUIntBE(0, n);
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

interface U2fKey {
  connect(): Promise<HidConnection>;
  stop(): Promise<void>;
}

function u2fSuite(name: string, start: () => Promise<U2fKey>): void {
  describe(`${name}: U2F over CTAPHID_MSG`, () => {
    let key: U2fKey;
    before(async () => { key = await start(); });
    after(() => key?.stop());

    it('announces MSG (no NMSG), answers VERSION, registers and authenticates with verifiable signatures', async () => {
      const ch = await CtapHidChannel.open(await key.connect());
      try {
        assert.equal(ch.version.capabilities & Capability.NMSG, 0);
        const version = await msg(ch, apdu(INS.VERSION, 0, Buffer.alloc(0)));
        assert.equal(version.sw, SW_OK);
        assert.equal(version.body.toString(), 'U2F_V2');
        // Short encoding (CLA INS P1 P2 Le) is valid too.
        assert.equal((await msg(ch, Buffer.from([0x00, INS.VERSION, 0x00, 0x00, 0x00]))).body.toString(), 'U2F_V2');

        const app = sha256('https://u2f.example');
        const challenge = randomBytes(32);
        const reg = await msg(ch, apdu(INS.REGISTER, 0, Buffer.concat([challenge, app])));
        assert.equal(reg.sw, SW_OK);
        const b = reg.body;
        assert.equal(b[0], 0x05);
        const point = b.subarray(1, 66);
        assert.equal(point[0], 0x04);
        const handleLen = b[66] as number;
        const handle = b.subarray(67, 67 + handleLen);
        const certLen = derLength(b, 67 + handleLen);
        const cert = new X509Certificate(b.subarray(67 + handleLen, 67 + handleLen + certLen));
        const regSig = b.subarray(67 + handleLen + certLen);
        const signed = Buffer.concat([Buffer.from([0x00]), app, challenge, handle, point]);
        assert.ok(verify('sha256', signed, cert.publicKey, regSig), 'registration signature verifies with the attestation certificate');

        const userKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
        const authData = (p1: number, application = app) => apdu(INS.AUTHENTICATE, p1, Buffer.concat([randomBytes(32), application, Buffer.from([handle.length]), handle]));
        assert.equal((await msg(ch, authData(0x07))).sw, SW_CONDITIONS, 'check-only: a known handle');
        assert.equal((await msg(ch, authData(0x07, sha256('https://other.example')))).sw, SW_WRONG_DATA, 'check-only: not for this application');

        const counters: number[] = [];
        for (let i = 0; i < 2; i++) {
          const c = randomBytes(32);
          const a = await msg(ch, apdu(INS.AUTHENTICATE, 0x03, Buffer.concat([c, app, Buffer.from([handle.length]), handle])));
          assert.equal(a.sw, SW_OK);
          assert.equal(a.body[0], 0x01, 'user presence');
          counters.push(a.body.readUInt32BE(1));
          assert.ok(verify('sha256', Buffer.concat([app, a.body.subarray(0, 5), c]), userKey, a.body.subarray(5)), 'authentication signature');
        }
        assert.ok((counters[1] as number) > (counters[0] as number), 'the counter goes up');
      } finally {
        await ch.close();
      }
    });
  });
}

u2fSuite('simulator yubikey5-fw54', async () => {
  const sim = await openSimulator({ profile: 'yubikey5-fw54' });
  return { connect: async () => sim.connection(), stop: async () => undefined };
});
u2fSuite('solo1', async () => {
  const solo = await startSolo1();
  return { connect: () => solo.source.open(solo.info), stop: () => solo.stop() };
});

describe('simulator: U2F presence and the CTAP 2.1 profile', () => {
  it('yubikey5-fw54: no touch, no registration (6985; the host polls)', async () => {
    let answer: PresenceAnswer = 'deny';
    const sim = await openSimulator({ profile: 'yubikey5-fw54', presence: () => answer });
    const ch = await CtapHidChannel.open(sim.connection());
    const register = apdu(INS.REGISTER, 0, randomBytes(64));
    assert.equal((await msg(ch, register)).sw, SW_CONDITIONS);
    assert.equal(sim.authenticator.state.credentials.length, 0);
    answer = 'approve';
    assert.equal((await msg(ch, register)).sw, SW_OK);
    await ch.close();
  });

  it('ctap21: lists no U2F_V2, says NMSG, and refuses CTAPHID_MSG', async () => {
    const sim = await openSimulator({ profile: 'ctap21' });
    const ch = await CtapHidChannel.open(sim.connection());
    assert.equal(ch.version.capabilities & Capability.NMSG, Capability.NMSG);
    await assert.rejects(msg(ch, apdu(INS.VERSION, 0, Buffer.alloc(0))), (e: unknown) => e instanceof CtapHidError && e.hidCode === CTAPHID_ERR_INVALID_CMD);
    await ch.close();
  });
});
