import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signSshsig } from '../../../../native/sk/sshsig';
import { SkKeyType } from '../../../../native/sk/types';
import { SoftSk } from '../../../support/soft-sk';
import { FIXTURES, goldenEd25519, SSHSIG_MESSAGE, SSHSIG_NAMESPACE } from '../../../support/sk-golden';

function verify(dir: string, key: SoftSk, sig: string, message: Buffer, namespace: string) {
  writeFileSync(path.join(dir, 'allowed'), `signer ${key.publicKeyLine}`);
  writeFileSync(path.join(dir, 'msg.sig'), sig);
  return spawnSync('ssh-keygen', ['-Y', 'verify', '-f', path.join(dir, 'allowed'), '-I', 'signer', '-n', namespace, '-s', path.join(dir, 'msg.sig')],
    { input: message, encoding: 'utf8' });
}

describe('SSHSIG with sk keys', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-sshsig-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('golden ed25519-sk signature is byte-identical', async () => {
    const key = goldenEd25519();
    const sig = await signSshsig({ publicKey: key.publicKey, namespace: SSHSIG_NAMESPACE, message: SSHSIG_MESSAGE, signer: async (d) => key.assert(d) });
    assert.equal(sig, readFileSync(path.join(FIXTURES, 'sshsig-ed25519.sig'), 'utf8'));
  });

  for (const type of [SkKeyType.Ed25519, SkKeyType.EcdsaP256]) {
    for (const hash of ['sha512', 'sha256'] as const) {
      it(`ssh-keygen -Y verify accepts our ${type} signature (${hash}) and refuses a changed message or namespace`, async () => {
        const key = new SoftSk({ type });
        const message = Buffer.from(`audit export ${type}\n`);
        const sig = await signSshsig({ publicKey: key.publicKey, namespace: 'nbg-audit', message, hash, signer: async (d) => key.assert(d) });
        assert.match(sig, /^-----BEGIN SSH SIGNATURE-----\n([A-Za-z0-9+/=]{70}\n)+[A-Za-z0-9+/=]{1,70}\n-----END SSH SIGNATURE-----\n$/);
        const ok = verify(dir, key, sig, message, 'nbg-audit');
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, new RegExp(`Good "nbg-audit" signature for signer with ${type === SkKeyType.Ed25519 ? 'ED25519-SK' : 'ECDSA-SK'} key`));
        assert.notEqual(verify(dir, key, sig, Buffer.from('tampered'), 'nbg-audit').status, 0);
        assert.notEqual(verify(dir, key, sig, message, 'file').status, 0);
      });
    }
  }
});
