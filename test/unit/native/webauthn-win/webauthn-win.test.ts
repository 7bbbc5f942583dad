// createWebAuthnWin end to end against the webauthn.dll stand-in: what Windows would receive, what
// we make of its answers, cancellation, serialization, and every refusal path.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { expectedSigner, skCredential } from '../../../../native/authenticator/ssh-records';
import { CoseAlg } from '../../../../native/ctap2/cose';
import type { PromptContext, UserInteraction } from '../../../../native/interaction';
import { buildSkSignatureBlob, verifySkSignature } from '../../../../native/sk/signature';
import { AttestationConveyance, AuthenticatorAttachment, HResult, UserVerificationRequirement } from '../../../../native/webauthn-win/constants';
import { createWebAuthnWin, hwndValue, tryCreateWebAuthnWin, WINDOWS_SECURITY_NOTICE } from '../../../../native/webauthn-win/webauthn-win';
import { webAuthnDllPath } from '../../../../native/webauthn-win/library';
import { FakeWebAuthnDll, type DecodedGetAssertion, type DecodedMakeCredential, type FakeAnswer, type FakeAuthenticator } from '../../../support/webauthn-win/fake-webauthn-dll';
import { SoftWindowsAuthenticator } from '../../../support/webauthn-win/soft-windows-authenticator';
import { assertionResult, makeCredentialResult } from '../../../support/webauthn-win/soft-webauthn-key';
import { assertionImage, credentialAttestationImage } from '../../../support/webauthn-win/webauthn-results';
import { SoftSk } from '../../../support/soft-sk';

const HWND = Buffer.from('7856341200000000', 'hex'); // getNativeWindowHandle() form of HWND 0x12345678

function setup(authenticator: FakeAuthenticator = new SoftWindowsAuthenticator(), apiVersion = 4, missing: string[] = []) {
  const dll = new FakeWebAuthnDll(authenticator, apiVersion, missing);
  const win = createWebAuthnWin({ load: () => dll, hwnd: () => HWND });
  return { dll, win };
}

const enrollOpts = (over: Partial<Parameters<ReturnType<typeof setup>['win']['makeCredential']>[0]> = {}) => ({
  alg: CoseAlg.EdDSA, rk: true, credProtect: 3, userId: randomBytes(32), challenge: randomBytes(32), uv: true, ...over,
});

async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: { code?: string }) => {
    assert.equal(err.code, code);
    return true;
  });
}

describe('createWebAuthnWin: enroll', () => {
  it('sends ssh-keygen -O resident -O verify-required as webauthn.dll structures', async () => {
    const { dll, win } = setup();
    const opts = enrollOpts();
    await win.makeCredential(opts);
    const req = dll.makeCredentialRequests[0] as DecodedMakeCredential;
    assert.equal(req.hwnd, 0x12345678n);
    assert.deepEqual(req.rp, { version: 1, id: 'ssh:', name: null, icon: null });
    assert.deepEqual(req.user, { version: 1, id: opts.userId, name: 'openssh', icon: null, displayName: 'openssh' });
    assert.deepEqual(req.params, [{ version: 1, type: 'public-key', alg: -8 }]);
    // Raw challenge with SHA-256: Windows' clientDataHash = SHA-256(challenge), as OpenSSH sends.
    assert.deepEqual(req.clientData, { version: 1, data: opts.challenge, hashAlgId: 'SHA-256' });
    assert.equal(req.options.version, 2);
    assert.equal(req.options.timeoutMs, 120_000);
    assert.deepEqual(req.options.exclude, []);
    assert.deepEqual(req.options.extensions, [{ id: 'credProtect', size: 8, credProtect: { level: 3, require: 1 } }]);
    assert.equal(req.options.attachment, AuthenticatorAttachment.CrossPlatform);
    assert.equal(req.options.requireResidentKey, 1);
    assert.equal(req.options.uv, UserVerificationRequirement.Required);
    assert.equal(req.options.attestation, AttestationConveyance.Direct);
    assert.equal(req.options.flags, 0);
    assert.equal(req.options.cancellationId, dll.cancellationIds[0]);
  });

  it('maps the attestation to the same credential record as the HID path and frees it', async () => {
    const authenticator = new SoftWindowsAuthenticator();
    const { dll, win } = setup(authenticator);
    const opts = enrollOpts();
    const cred = await win.makeCredential(opts);
    const soft = authenticator.keys[0]!;
    assert.equal(cred.alg, CoseAlg.EdDSA);
    assert.deepEqual(cred.publicKey, soft.publicKey.publicKey);
    assert.equal(cred.rpId, 'ssh:');
    assert.deepEqual(cred.credentialId, soft.handle.keyHandle);
    assert.equal(cred.fmt, 'none');
    assert.deepEqual(cred.userId, opts.userId);
    assert.equal(cred.credProtect, 3);
    assert.equal(cred.authData[32], 0x01 | 0x04 | 0x40 | 0x80);
    assert.equal(dll.outstanding.size, 0);
    assert.equal(dll.freed.length, 1);
  });

  it('ecdsa-sk without resident/verify-required: ES256, no extension, UV discouraged', async () => {
    const { dll, win } = setup();
    const cred = await win.makeCredential(enrollOpts({ alg: CoseAlg.ES256, rk: false, credProtect: 0, uv: false }));
    const req = dll.makeCredentialRequests[0]!;
    assert.deepEqual(req.params, [{ version: 1, type: 'public-key', alg: -7 }]);
    assert.deepEqual(req.options.extensions, []);
    assert.equal(req.options.requireResidentKey, 0);
    assert.equal(req.options.uv, UserVerificationRequirement.Discouraged);
    assert.equal(cred.alg, CoseAlg.ES256);
    assert.equal(cred.publicKey.length, 65);
    assert.equal(cred.credProtect, 0);
  });

  it('refuses credProtect on a webauthn.dll older than API version 2 without calling it', async () => {
    const { dll, win } = setup(new SoftWindowsAuthenticator(), 1);
    await rejectsWithCode(win.makeCredential(enrollOpts()), 'WEBAUTHN_API_TOO_OLD');
    assert.equal(dll.makeCredentialRequests.length, 0);
  });

  it('refuses a credential weaker than the credProtect level asked for', async () => {
    const soft = new SoftSk();
    const weak: FakeAuthenticator = {
      makeCredential: () => ({ hr: 0, image: credentialAttestationImage(makeCredentialResult(soft, { credProtect: 2, uv: true })) }),
      getAssertion: () => ({ hr: HResult.NTE_NOT_FOUND }),
    };
    const { dll, win } = setup(weak);
    await rejectsWithCode(win.makeCredential(enrollOpts()), 'WEBAUTHN_BAD_RESPONSE');
    assert.equal(dll.outstanding.size, 0, 'the result is freed on the error path too');
  });

  it('accepts credProtect confirmed only by Windows\' extension output', async () => {
    const soft = new SoftSk();
    const result = makeCredentialResult(soft, { credProtect: 0, uv: true });
    const echoOnly: FakeAuthenticator = {
      makeCredential: () => ({ hr: 0, image: credentialAttestationImage({ ...result, credProtect: 3 }) }),
      getAssertion: () => ({ hr: HResult.NTE_NOT_FOUND }),
    };
    const { win } = setup(echoOnly);
    assert.equal((await win.makeCredential(enrollOpts())).credProtect, 3);
  });

  it('rejects an attestation structure older than version 3 and a credential for another rp', async () => {
    const soft = new SoftSk();
    const old: FakeAuthenticator = {
      makeCredential: () => ({ hr: 0, image: credentialAttestationImage({ ...makeCredentialResult(soft, { credProtect: 3, uv: true }), version: 2 }) }),
      getAssertion: () => ({ hr: HResult.NTE_NOT_FOUND }),
    };
    await rejectsWithCode(setup(old).win.makeCredential(enrollOpts()), 'WEBAUTHN_BAD_RESPONSE');
    const other = new SoftSk({ application: 'ssh:other' });
    const wrongRp: FakeAuthenticator = {
      makeCredential: () => ({ hr: 0, image: credentialAttestationImage(makeCredentialResult(other, { credProtect: 3, uv: true })) }),
      getAssertion: () => ({ hr: HResult.NTE_NOT_FOUND }),
    };
    // The HID path's own makeCredential checks judge the reply.
    await rejectsWithCode(setup(wrongRp).win.makeCredential(enrollOpts()), 'CTAP2_RESPONSE_INVALID');
  });
  it('reads the attestation object as strictly as a CTAP reply: trailing bytes or a repeated key are refused', async () => {
    const soft = new SoftSk();
    const good = makeCredentialResult(soft, { credProtect: 3, uv: true });
    const fmtNone = Buffer.from([0x63, ...Buffer.from('fmt'), 0x64, ...Buffer.from('none')]);
    // Map header 0xa3 → 0xa4 with a second "fmt": "none" pair after the first.
    const repeated = Buffer.concat([Buffer.from([0xa4]), fmtNone, good.attestationObject.subarray(1)]);
    for (const attestationObject of [Buffer.concat([good.attestationObject, Buffer.from([0x00])]), repeated]) {
      const bad: FakeAuthenticator = {
        makeCredential: () => ({ hr: 0, image: credentialAttestationImage({ ...good, attestationObject }) }),
        getAssertion: () => ({ hr: HResult.NTE_NOT_FOUND }),
      };
      await rejectsWithCode(setup(bad).win.makeCredential(enrollOpts()), 'WEBAUTHN_BAD_RESPONSE');
    }
  });
});

describe('createWebAuthnWin: sign', () => {
  async function enrolled(uv = true) {
    const authenticator = new SoftWindowsAuthenticator();
    const s = setup(authenticator);
    const cred = await s.win.makeCredential(enrollOpts({ uv, credProtect: uv ? 3 : 2 }));
    return { ...s, cred, authenticator };
  }

  it('sends the raw data as client data with an allow list of the key handle', async () => {
    const { dll, win, cred } = await enrolled();
    const data = randomBytes(100);
    await win.getAssertion({ application: 'ssh:', keyHandle: cred.credentialId, data, uv: true, up: true });
    const req = dll.getAssertionRequests[0] as DecodedGetAssertion;
    assert.equal(req.hwnd, 0x12345678n);
    assert.equal(req.rpId, 'ssh:');
    assert.deepEqual(req.clientData, { version: 1, data, hashAlgId: 'SHA-256' });
    assert.equal(req.options.version, 3);
    assert.deepEqual(req.options.allow, [{ version: 1, id: cred.credentialId, type: 'public-key' }]);
    assert.deepEqual(req.options.extensions, []);
    assert.equal(req.options.attachment, AuthenticatorAttachment.CrossPlatform);
    assert.equal(req.options.uv, UserVerificationRequirement.Required);
    assert.equal(req.options.u2fAppId, null);
    assert.equal(req.options.cancellationId, dll.cancellationIds[1]);
  });

  it('returns an assertion whose OpenSSH signature verifies (UV 0x05 for verify-required keys)', async () => {
    const { dll, win, cred } = await enrolled();
    const data = randomBytes(64);
    const a = await win.getAssertion({ application: 'ssh:', keyHandle: cred.credentialId, data, uv: true, up: true, signer: cred });
    assert.equal(a.flags, 0x05);
    assert.deepEqual(a.credentialId, cred.credentialId);
    assert.equal(a.authData.length, 37);
    const ssh = skCredential(cred);
    const blob = buildSkSignatureBlob(ssh.type, a);
    assert.deepEqual(verifySkSignature(ssh, data, blob), { flags: 0x05, counter: a.counter });
    assert.throws(() => verifySkSignature(ssh, randomBytes(64), blob));
    assert.equal(dll.outstanding.size, 0);
  });

  it('asks Windows for no PIN when the key does not need it (UV discouraged, flags 0x01)', async () => {
    const { dll, win, cred } = await enrolled(false);
    const a = await win.getAssertion({ application: 'ssh:', keyHandle: cred.credentialId, data: Buffer.from('x'), uv: false, up: true });
    assert.equal(dll.getAssertionRequests[0]!.options.uv, UserVerificationRequirement.Discouraged);
    assert.equal(a.flags, 0x01);
  });

  it('refuses no-touch-required keys before calling Windows', async () => {
    const { dll, win, cred } = await enrolled();
    await rejectsWithCode(win.getAssertion({ application: 'ssh:', keyHandle: cred.credentialId, data: Buffer.from('x'), uv: true, up: false }),
      'WEBAUTHN_NO_TOUCH_UNSUPPORTED');
    assert.equal(dll.getAssertionRequests.length, 0);
  });

  it('rejects assertions sshd would refuse, that answer another credential, or that do not verify', async () => {
    const soft = new SoftSk();
    const data = Buffer.from('d');
    const cases: [string, string, () => FakeAnswer][] = [
      ['no UV although required', 'SK_FLAGS_MISMATCH', () => ({ hr: 0, image: assertionImage(assertionResult(soft, data, false)) })],
      ['other credential', 'CTAP2_RESPONSE_INVALID', () => ({ hr: 0, image: assertionImage({ ...assertionResult(soft, data, true), credentialId: randomBytes(64) }) })],
      ['extension bytes', 'WEBAUTHN_BAD_RESPONSE', () => {
        const r = assertionResult(soft, data, true);
        return { hr: 0, image: assertionImage({ ...r, authenticatorData: Buffer.concat([r.authenticatorData, Buffer.from([0xa0])]) }) };
      }],
      ['wrong rp', 'CTAP2_RESPONSE_INVALID', () => ({ hr: 0, image: assertionImage(assertionResult(new SoftSk({ application: 'ssh:x' }), data, true)) })],
      ['signature over other data', 'CTAP2_RESPONSE_INVALID', () => ({ hr: 0, image: assertionImage(assertionResult(soft, Buffer.from('other'), true)) })],
    ];
    for (const [what, code, answer] of cases) {
      const { dll, win } = setup({ makeCredential: () => ({ hr: HResult.NTE_NOT_SUPPORTED }), getAssertion: answer });
      const p = win.getAssertion({ application: 'ssh:', keyHandle: soft.handle.keyHandle, data, uv: true, up: true, signer: expectedSigner(soft.publicKey) });
      await assert.rejects(p, (err: { code?: string }) => err.code === code, what);
      assert.equal(dll.outstanding.size, 0, what);
    }
  });
});

describe('createWebAuthnWin: Windows errors, cancel, one dialog at a time', () => {
  const failures: [number, string][] = [
    [HResult.NTE_USER_CANCELLED, 'WEBAUTHN_CANCELLED'],
    [HResult.E_CANCELLED, 'WEBAUTHN_CANCELLED'],
    [HResult.E_TIMEOUT, 'WEBAUTHN_TIMEOUT'],
    [HResult.NTE_NOT_FOUND, 'WEBAUTHN_NOT_ALLOWED'],
    [HResult.NTE_DEVICE_NOT_FOUND, 'WEBAUTHN_NOT_ALLOWED'],
    [HResult.NTE_EXISTS, 'WEBAUTHN_CREDENTIAL_EXCLUDED'],
    [HResult.NTE_TOKEN_KEYSET_STORAGE_FULL, 'WEBAUTHN_KEY_STORAGE_FULL'],
    [HResult.NTE_NOT_SUPPORTED, 'WEBAUTHN_CONSTRAINT'],
    [HResult.E_WIN32_NOT_SUPPORTED, 'WEBAUTHN_CONSTRAINT'],
    [HResult.NTE_INVALID_PARAMETER, 'WEBAUTHN_NOT_SUPPORTED'],
    [0x80004005, 'WEBAUTHN_FAILED'],
  ];
  for (const [hr, code] of failures) {
    it(`HRESULT 0x${hr.toString(16)} → ${code}`, async () => {
      const { win } = setup({ makeCredential: () => ({ hr }), getAssertion: () => ({ hr }) });
      await assert.rejects(win.makeCredential(enrollOpts()), (err: { code?: string; message: string; hresult?: number }) => {
        assert.equal(err.code, code);
        assert.equal(err.hresult, hr);
        assert.match(err.message, new RegExp(`0x${hr.toString(16)}`));
        return true;
      });
      await rejectsWithCode(win.getAssertion({ application: 'ssh:', keyHandle: randomBytes(16), data: Buffer.from('d'), uv: true, up: true }), code);
    });
  }

  it('closing the app prompt cancels Windows\' dialog with the operation\'s cancellation id', async () => {
    const held: FakeAuthenticator = { makeCredential: () => new Promise<never>(() => undefined), getAssertion: () => new Promise<never>(() => undefined) };
    const dll = new FakeWebAuthnDll(held);
    const shown: { context: PromptContext; cancel: () => void; closed: boolean }[] = [];
    const interaction: UserInteraction = {
      selectKey: async () => null, pin: async () => null, confirm: async () => false,
      touch(context, cancel) {
        const entry = { context, cancel, closed: false };
        shown.push(entry);
        return () => { entry.closed = true; };
      },
    };
    const win = createWebAuthnWin({ load: () => dll, hwnd: () => 42n, interaction });
    const p = win.getAssertion({ application: 'ssh:', keyHandle: randomBytes(16), data: Buffer.from('d'), uv: true, up: true,
      context: { purpose: 'Sign in to leaf-02', hop: 'jump-01' } });
    await new Promise((r) => setImmediate(r));
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.context.purpose, `Sign in to leaf-02. ${WINDOWS_SECURITY_NOTICE}`);
    assert.equal(shown[0]!.context.hop, 'jump-01');
    shown[0]!.cancel();
    await rejectsWithCode(p, 'WEBAUTHN_CANCELLED');
    assert.deepEqual(dll.cancelled, [dll.getAssertionRequests[0]!.options.cancellationId]);
    assert.equal(shown[0]!.closed, true);
    assert.equal(dll.getAssertionRequests[0]!.hwnd, 42n);
  });

  it('an AbortSignal cancels the Windows dialog; an aborted signal never opens one', async () => {
    const held: FakeAuthenticator = { makeCredential: () => new Promise<never>(() => undefined), getAssertion: () => new Promise<never>(() => undefined) };
    const { dll, win } = setup(held);
    const ac = new AbortController();
    const p = win.makeCredential({ ...enrollOpts(), signal: ac.signal });
    await new Promise((r) => setImmediate(r));
    ac.abort();
    await rejectsWithCode(p, 'WEBAUTHN_CANCELLED');
    assert.deepEqual(dll.cancelled, [dll.makeCredentialRequests[0]!.options.cancellationId]);
    await rejectsWithCode(win.makeCredential({ ...enrollOpts(), signal: ac.signal }), 'CANCELLED');
    assert.equal(dll.makeCredentialRequests.length, 1);
  });

  it('runs one Windows operation at a time', async () => {
    let release: (() => void) | undefined;
    const inner = new SoftWindowsAuthenticator();
    const gated: FakeAuthenticator = {
      makeCredential: (req) => inner.makeCredential(req),
      getAssertion: (req) => new Promise((resolve) => { release = () => resolve(inner.getAssertion(req)); }),
    };
    const { dll, win } = setup(gated);
    const cred = await win.makeCredential(enrollOpts());
    const sign = () => win.getAssertion({ application: 'ssh:', keyHandle: cred.credentialId, data: randomBytes(8), uv: true, up: true });
    const first = sign();
    const second = sign();
    await new Promise((r) => setImmediate(r));
    assert.equal(dll.getAssertionRequests.length, 1);
    release!();
    await first;
    await new Promise((r) => setImmediate(r));
    assert.equal(dll.getAssertionRequests.length, 2);
    release!();
    await second;
    assert.equal(dll.outstanding.size, 0);
  });

  it('reports a missing webauthn.dll or entry point as unavailable', () => {
    assert.throws(() => createWebAuthnWin({ hwnd: () => 1n }), { code: 'WEBAUTHN_UNAVAILABLE' }); // not Windows here
    assert.throws(() => setup(new SoftWindowsAuthenticator(), 4, ['WebAuthNCancelCurrentOperation']), (err: { code?: string; message: string }) =>
      err.code === 'WEBAUTHN_UNAVAILABLE' && err.message.includes('WebAuthNCancelCurrentOperation'));
    assert.equal(tryCreateWebAuthnWin({ hwnd: () => 1n }), null);
    assert.equal(tryCreateWebAuthnWin({ hwnd: () => 1n, load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator(), 4, ['WebAuthNGetErrorName']) }), null);
    assert.equal(tryCreateWebAuthnWin({ hwnd: () => 1n, load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator(), 0) }), null);
    assert.equal(tryCreateWebAuthnWin({ hwnd: () => 1n, load: () => new FakeWebAuthnDll(new SoftWindowsAuthenticator(), 3) })?.apiVersion, 3);
  });

  it('without a window of its own (CLI) the dialog is parented to the foreground window', async () => {
    const dll = new FakeWebAuthnDll(new SoftWindowsAuthenticator());
    const cli = createWebAuthnWin({ load: () => dll, fallbackWindow: () => 99n });
    await cli.makeCredential(enrollOpts());
    assert.equal(dll.makeCredentialRequests[0]!.hwnd, 99n);
    const none = createWebAuthnWin({ load: () => dll, hwnd: () => null, fallbackWindow: () => null });
    await rejectsWithCode(none.makeCredential(enrollOpts()), 'WEBAUTHN_UNAVAILABLE');
    const linux = createWebAuthnWin({ load: () => dll }); // the default finder has no windows off Windows
    await rejectsWithCode(linux.makeCredential(enrollOpts()), 'WEBAUTHN_UNAVAILABLE');
    assert.equal(dll.makeCredentialRequests.length, 1);
  });

  it('loads webauthn.dll by its System32 path, never by bare name', () => {
    assert.equal(webAuthnDllPath({ SystemRoot: 'D:\\WINDOWS' }), 'D:\\WINDOWS\\System32\\webauthn.dll');
    assert.equal(webAuthnDllPath({}), 'C:\\Windows\\System32\\webauthn.dll');
  });

  it('reads Electron\'s window handle buffer as HWND', () => {
    assert.equal(hwndValue(HWND), 0x12345678n);
    assert.equal(hwndValue(Buffer.from([1, 0, 0, 0])), 1n);
    assert.equal(hwndValue(new Uint8Array(HWND)), 0x12345678n); // what structured clone over IPC delivers
    assert.equal(hwndValue(7n), 7n);
    assert.throws(() => hwndValue(Buffer.alloc(3)), { code: 'WEBAUTHN_UNAVAILABLE' });
  });
});
