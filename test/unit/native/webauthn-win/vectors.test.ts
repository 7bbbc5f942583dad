// Recorded webauthn.dll results through the real decoding path: the credential record matches the
// key that made it, and the assertion becomes an OpenSSH signature that verifies.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skCredential } from '../../../../native/authenticator/ssh-records';
import { encodeSkPublicKeyBlob, formatPublicKeyLine } from '../../../../native/sk/publickey';
import { buildSkSignatureBlob, parseSkSignatureBlob, verifySkSignature } from '../../../../native/sk/signature';
import { signSshsig, sshsigSignedData } from '../../../../native/sk/sshsig';
import { createWebAuthnWin } from '../../../../native/webauthn-win/webauthn-win';
import { FakeWebAuthnDll } from '../../../support/webauthn-win/fake-webauthn-dll';
import { readVectorPair, replayAuthenticator, VECTOR_NAMES } from '../../../support/webauthn-win/vectors';

describe('recorded webauthn.dll vectors', () => {
  for (const name of VECTOR_NAMES) {
    it(`${name}: enroll + sign decode to OpenSSH records that verify`, async () => {
      const v = readVectorPair(name);
      const { request: sreq } = v.sign;
      const signed = sshsigSignedData(sreq.namespace, Buffer.from(sreq.message), sreq.hash);
      const dll = new FakeWebAuthnDll(replayAuthenticator(v, signed));
      const win = createWebAuthnWin({ load: () => dll, hwnd: () => 1n });
      const ereq = v.enroll.request;
      const cred = skCredential(await win.makeCredential({
        alg: ereq.alg, rk: ereq.rk, credProtect: ereq.credProtect, uv: ereq.uv,
        userId: Buffer.from(ereq.userId, 'hex'), challenge: Buffer.from(ereq.challenge, 'hex'), application: ereq.application,
      }));
      assert.equal(formatPublicKeyLine(encodeSkPublicKeyBlob(cred), 'NexusIdentitySSHKey').trimEnd(), v.enroll.expect.publicKeyLine);
      assert.equal(cred.credentialId.toString('hex'), v.enroll.expect.credentialId);
      assert.equal(cred.credProtect, v.enroll.expect.credProtect);
      assert.equal(cred.fmt, v.enroll.expect.fmt);

      const assertion = await win.getAssertion({
        application: sreq.application, keyHandle: Buffer.from(sreq.keyHandle, 'hex'), data: signed, uv: sreq.uv, up: sreq.up,
      });
      assert.equal(assertion.flags, v.sign.expect.flags);
      assert.equal(assertion.counter, v.sign.expect.counter);
      const armored = await signSshsig({ publicKey: cred, namespace: sreq.namespace, message: Buffer.from(sreq.message), hash: sreq.hash, signer: async () => assertion });
      assert.match(armored, /^-----BEGIN SSH SIGNATURE-----\n/);
      const blob = buildSkSignatureBlob(cred.type, assertion);
      assert.deepEqual(verifySkSignature(cred, signed, blob), { flags: 0x05, counter: v.sign.expect.counter });
      assert.equal(parseSkSignatureBlob(blob).type, cred.type);
      assert.equal(dll.outstanding.size, 0);
    });
  }
});
