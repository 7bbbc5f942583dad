// `nbg keys show` and `nbg keys list` on passphrase-protected sk key files read the public half
// without asking, as `ssh-keygen -l` does: the fixture encrypted by stock ssh-keygen, and a file
// encrypted by ssh-keygen -p during the test. No terminal: a passphrase prompt would fail the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { nbg } from '../../support/nbg';
import { tempDir } from '../../support/sessions';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/sk');
/** `ssh-keygen -l` of a file: "256 SHA256:... comment (ED25519-SK)". */
const stockFingerprint = (file: string): string => execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' }).split(' ')[1]!;

test('keys show and keys list read encrypted sk files without a passphrase', async (t) => {
  const dir = tempDir(t, 'nbg-enc-show-');
  const env = { NBG_HOME: path.join(dir, 'home') };
  // The fixture stock ssh-keygen encrypted, without its .pub: the public half comes from the file itself.
  copyFileSync(path.join(FIXTURES, 'sk-ed25519-0x35.pass.key'), path.join(dir, 'id_ed25519_sk'));
  chmodSync(path.join(dir, 'id_ed25519_sk'), 0o600);
  // One encrypted now by stock ssh-keygen -p (it re-encrypts an sk handle without hardware).
  copyFileSync(path.join(FIXTURES, 'sk-ecdsa-0x01.key'), path.join(dir, 'id_ecdsa_sk'));
  chmodSync(path.join(dir, 'id_ecdsa_sk'), 0o600);
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'a passphrase nobody types', '-f', path.join(dir, 'id_ecdsa_sk')]);
  assert.equal(existsSync(path.join(dir, 'id_ed25519_sk.pub')), false);

  for (const [file, type, application] of [['id_ed25519_sk', 'sk-ssh-ed25519@openssh.com', 'ssh:'], ['id_ecdsa_sk', 'sk-ecdsa-sha2-nistp256@openssh.com', 'ssh:']] as const) {
    const r = await nbg(['keys', 'show', file, '--dir', dir, '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    const shown = JSON.parse(r.stdout) as { type: string; fingerprint: string; encrypted: boolean; flags?: number; application?: string; publicKeyLine: string };
    assert.equal(shown.type, type);
    assert.equal(shown.fingerprint, stockFingerprint(path.join(dir, file)), 'the fingerprint stock ssh-keygen -l prints');
    assert.equal(shown.encrypted, true);
    assert.equal(shown.flags, undefined, 'flags are in the encrypted part');
    assert.equal(shown.application, application);
    assert.match(shown.publicKeyLine, new RegExp(`^${type} AAAA`));
    const text = await nbg(['keys', 'show', file, '--dir', dir], { env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /flags: +\(passphrase-protected: read when the key signs\)/);
  }
  const list = await nbg(['keys', 'list', '--dir', dir, '--json'], { env });
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as { fingerprint: string; encrypted: boolean }[]).map((k) => [k.fingerprint, k.encrypted]), [
    [stockFingerprint(path.join(dir, 'id_ecdsa_sk')), true], [stockFingerprint(path.join(dir, 'id_ed25519_sk')), true],
  ]);
  const missing = await nbg(['keys', 'show', 'nothing_here', '--dir', dir], { env });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No security-key SSH key in .*nothing_here/);
});
