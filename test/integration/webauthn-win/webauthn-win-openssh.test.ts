// The Windows WebAuthn path judged by stock OpenSSH: recorded webauthn.dll results verified by
// `ssh-keygen -Y verify`, and live signatures (webauthn.dll stand-in + software key) logging in to
// a private sshd with verify-required, directly and through a jump host, via the app's agent.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AgentServer } from '../../../electron/core/ssh/agent/server';
import type { SkSigner } from '../../../electron/core/ssh/agent/types';
import { encodeSkPublicKeyBlob, formatPublicKeyLine } from '../../../native/sk/publickey';
import { buildSkSignatureBlob } from '../../../native/sk/signature';
import { signSshsig, sshsigSignedData } from '../../../native/sk/sshsig';
import { expectedSigner, skCredential } from '../../../native/authenticator/ssh-records';
import { CoseAlg } from '../../../native/ctap2/cose';
import { SkFlag, type SkCredential } from '../../../native/sk/types';
import { createWebAuthnWin, type WebAuthnWin } from '../../../native/webauthn-win/webauthn-win';
import { runSsh, writeSshConfig } from '../../support/ssh-client';
import { startSshd, type Sshd } from '../../support/sshd';
import { FakeWebAuthnDll } from '../../support/webauthn-win/fake-webauthn-dll';
import { SoftWindowsAuthenticator } from '../../support/webauthn-win/soft-windows-authenticator';
import { readVectorPair, replayAuthenticator, VECTOR_NAMES } from '../../support/webauthn-win/vectors';

const COMMENT = 'NexusIdentitySSHKey';
const PRINCIPAL = 'operator@nexus';

function verifyWithSshKeygen(dir: string, cred: SkCredential, namespace: string, message: Buffer, armored: string) {
  const allowed = path.join(dir, 'allowed_signers');
  const sig = path.join(dir, 'message.sig');
  writeFileSync(allowed, `${PRINCIPAL} ${formatPublicKeyLine(encodeSkPublicKeyBlob(cred), COMMENT)}`);
  writeFileSync(sig, armored);
  return spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', PRINCIPAL, '-n', namespace, '-s', sig], { input: message, encoding: 'utf8', timeout: 10_000 });
}

describe('recorded webauthn.dll vectors under ssh-keygen -Y verify', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-webauthn-vectors-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const name of VECTOR_NAMES) {
    it(`${name}: the decoded key and signature are accepted by stock ssh-keygen, a tampered message is not`, async () => {
      const v = readVectorPair(name);
      const { request: s } = v.sign;
      const message = Buffer.from(s.message);
      const win = createWebAuthnWin({ load: () => new FakeWebAuthnDll(replayAuthenticator(v, sshsigSignedData(s.namespace, message, s.hash))), hwnd: () => 1n });
      const e = v.enroll.request;
      const cred = skCredential(await win.makeCredential({
        alg: e.alg, rk: e.rk, credProtect: e.credProtect, uv: e.uv, userId: Buffer.from(e.userId, 'hex'), challenge: Buffer.from(e.challenge, 'hex'),
      }));
      const armored = await signSshsig({
        publicKey: cred, namespace: s.namespace, message, hash: s.hash,
        signer: (data) => win.getAssertion({ application: s.application, keyHandle: cred.credentialId, data, uv: s.uv, up: s.up }),
      });
      const good = verifyWithSshKeygen(dir, cred, s.namespace, message, armored);
      assert.equal(good.status, 0, good.stderr);
      assert.match(good.stdout, new RegExp(`Good "${s.namespace}" signature for ${PRINCIPAL} with ${name === 'ed25519-sk' ? 'ED25519-SK' : 'ECDSA-SK'} key`));
      const bad = verifyWithSshKeygen(dir, cred, s.namespace, Buffer.from(`${s.message}!`), armored);
      assert.notEqual(bad.status, 0);
    });
  }
});

/** What the authenticator facade does with the Windows path: the agent's signer over WebAuthnWin. */
class WebAuthnWinSigner implements SkSigner {
  readonly contexts: string[] = [];
  constructor(private readonly win: WebAuthnWin, private readonly keys: { cred: SkCredential; flags: number }[]) {}

  async identities() {
    return this.keys.map((k) => ({ publicKeyBlob: encodeSkPublicKeyBlob(k.cred), comment: COMMENT }));
  }

  async sign(publicKeyBlob: Buffer, data: Buffer, context: { purpose: string; hop?: string }) {
    const key = this.keys.find((k) => encodeSkPublicKeyBlob(k.cred).equals(publicKeyBlob));
    if (!key) throw new Error('unknown key');
    this.contexts.push(context.purpose);
    const assertion = await this.win.getAssertion({
      application: key.cred.application, keyHandle: key.cred.credentialId, data,
      uv: (key.flags & SkFlag.UserVerificationRequired) !== 0, up: (key.flags & SkFlag.UserPresenceRequired) !== 0,
      signer: expectedSigner(key.cred),
    });
    return buildSkSignatureBlob(key.cred.type, assertion);
  }
}

describe('live Windows WebAuthn signatures with stock ssh and a private sshd', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-webauthn-sshd-'));
  const dll = new FakeWebAuthnDll(new SoftWindowsAuthenticator());
  const win = createWebAuthnWin({ load: () => dll, hwnd: () => 1n });
  let verifyKey: SkCredential;
  let touchOnlyKey: SkCredential;
  let agent: AgentServer;
  let target: Sshd;
  let jump: Sshd;
  let config: string;

  before(async () => {
    // ssh-keygen -t ed25519-sk -O resident -O verify-required, and an ecdsa-sk key with touch only.
    verifyKey = skCredential(await win.makeCredential({ alg: CoseAlg.EdDSA, rk: true, credProtect: 3, uv: true, userId: randomBytes(32), challenge: randomBytes(32) }));
    touchOnlyKey = skCredential(await win.makeCredential({ alg: CoseAlg.ES256, rk: false, credProtect: 0, uv: false, userId: randomBytes(32), challenge: randomBytes(32) }));
    const signer = new WebAuthnWinSigner(win, [
      { cred: verifyKey, flags: SkFlag.UserPresenceRequired | SkFlag.UserVerificationRequired | SkFlag.Resident },
      { cred: touchOnlyKey, flags: SkFlag.UserPresenceRequired },
    ]);
    agent = await AgentServer.start({ signer });
    const line = (c: SkCredential) => formatPublicKeyLine(encodeSkPublicKeyBlob(c), COMMENT).trim();
    [target, jump] = await Promise.all([
      startSshd({ authorizedKeys: [`verify-required ${line(verifyKey)}`, `verify-required ${line(touchOnlyKey)}`], listen: '127.0.0.3' }),
      startSshd({ authorizedKeys: [`verify-required ${line(verifyKey)}`], listen: '127.0.0.2' }),
    ]);
    config = await writeSshConfig(dir, agent.path);
  });
  after(async () => {
    await Promise.all([target?.stop(), jump?.stop(), agent?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in through a jump host with one Windows signature per hop, UV flag set', async () => {
    const before = dll.getAssertionRequests.length;
    const r = await runSsh(config, ['-J', `${jump.user}@${jump.host}:${jump.port}`, '-p', String(target.port), `${target.user}@${target.host}`, 'echo webauthn-ok']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'webauthn-ok');
    assert.equal(dll.getAssertionRequests.length - before, 2);
    await target.waitForLog(/sk_flags = 0x05/);
    await jump.waitForLog(/sk_flags = 0x05/);
    assert.equal(dll.outstanding.size, 0);
  });

  it('a touch-only key is refused by a verify-required sshd (Windows was told not to ask for the PIN)', async () => {
    const touchDir = mkdtempSync(path.join(dir, 'touch-only-'));
    const only = path.join(touchDir, 'touch-only.pub');
    writeFileSync(only, formatPublicKeyLine(encodeSkPublicKeyBlob(touchOnlyKey), COMMENT));
    const touchConfig = await writeSshConfig(touchDir, agent.path, ['IdentitiesOnly yes', `IdentityFile ${only}`]);
    const r = await runSsh(touchConfig, ['-p', String(target.port), `${target.user}@${target.host}`, 'true']);
    assert.notEqual(r.code, 0);
    await target.waitForLog(/user verification requirement not met/);
    assert.equal(execFileSync('ssh-keygen', ['-l', '-f', only], { encoding: 'utf8' }).includes('ECDSA-SK'), true);
  });
});
