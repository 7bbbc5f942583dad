// bindWebAuthn over real C function pointers (koffi.register): the declared prototypes, bigint
// pointer arguments, the HRESULT return, the `_Out_ void **` result slot written on koffi's async
// worker thread, and the UTF-16 error name all cross koffi's FFI as they would into webauthn.dll.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { skCredential } from '../../../../native/authenticator/ssh-records';
import { buildSkSignatureBlob, verifySkSignature } from '../../../../native/sk/signature';
import { CoseAlg } from '../../../../native/ctap2/cose';
import { HResult } from '../../../../native/webauthn-win/constants';
import { createWebAuthnWin } from '../../../../native/webauthn-win/webauthn-win';
import { FakeWebAuthnDll } from '../../../support/webauthn-win/fake-webauthn-dll';
import { SoftWindowsAuthenticator } from '../../../support/webauthn-win/soft-windows-authenticator';

describe('webauthn.dll calls across koffi\'s FFI', () => {
  it('enrolls and signs through C function pointers', async (t) => {
    const dll = new FakeWebAuthnDll(new SoftWindowsAuthenticator(), 4);
    const native = dll.nativeLibrary();
    t.after(() => native.dispose());
    const win = createWebAuthnWin({ load: () => native, hwnd: () => Buffer.from('efbeadde00000000', 'hex') });
    assert.equal(win.apiVersion, 4);
    const cred = await win.makeCredential({ alg: CoseAlg.ES256, rk: true, credProtect: 3, uv: true, userId: randomBytes(32), challenge: randomBytes(32) });
    assert.equal(dll.makeCredentialRequests[0]!.hwnd, 0xdeadbeefn);
    assert.equal(dll.makeCredentialRequests[0]!.rp.id, 'ssh:');
    const data = randomBytes(48);
    const a = await win.getAssertion({ application: 'ssh:', keyHandle: cred.credentialId, data, uv: true, up: true, signer: cred });
    assert.deepEqual(dll.getAssertionRequests[0]!.clientData.data, data);
    const ssh = skCredential(cred);
    assert.deepEqual(verifySkSignature(ssh, data, buildSkSignatureBlob(ssh.type, a)), { flags: 0x05, counter: a.counter });
    assert.equal(dll.outstanding.size, 0);
    assert.equal(dll.freed.length, 2);
  });

  it('a failure HRESULT comes back unsigned with its name read from UTF-16 memory', async (t) => {
    const dll = new FakeWebAuthnDll({ makeCredential: () => ({ hr: HResult.NTE_USER_CANCELLED }), getAssertion: () => ({ hr: HResult.NTE_EXISTS }) });
    const native = dll.nativeLibrary();
    t.after(() => native.dispose());
    const win = createWebAuthnWin({ load: () => native, hwnd: () => 1n });
    await assert.rejects(win.makeCredential({ alg: CoseAlg.EdDSA, rk: false, credProtect: 0, uv: false, userId: randomBytes(32), challenge: randomBytes(32) }),
      (err: { code?: string; hresult?: number; errorName?: string }) =>
        err.code === 'WEBAUTHN_CANCELLED' && err.hresult === HResult.NTE_USER_CANCELLED && err.errorName === 'NotAllowedError');
    await assert.rejects(win.getAssertion({ application: 'ssh:', keyHandle: randomBytes(16), data: Buffer.from('d'), uv: false, up: true }),
      (err: { code?: string; errorName?: string }) => err.code === 'WEBAUTHN_CREDENTIAL_EXCLUDED' && err.errorName === 'InvalidStateError');
  });
});
