import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import ssh2 from 'ssh2';
import { generateEd25519OpenSshKey, loadOrCreateHostKey } from '../../../../electron/drill/host-keys';

const ED25519_BLOB_PUB_OFFSET = 4 + 'ssh-ed25519'.length + 4;

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-hostkeys-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

test('generated keys read back in ssh2 and stock ssh-keygen, including a public key with a leading zero byte', async (t) => {
  const dir = await tempDir(t);
  let zeroLed: ReturnType<typeof generateEd25519OpenSshKey> | undefined;
  for (let i = 0; i < 20_000 && !zeroLed; i++) {
    const k = generateEd25519OpenSshKey('x');
    if (k.publicKeyBlob[ED25519_BLOB_PUB_OFFSET] === 0) zeroLed = k;
  }
  assert.ok(zeroLed, 'a key whose public key starts with 0x00 (1 in 256)');
  for (const [name, k] of [['zero', zeroLed], ['any', generateEd25519OpenSshKey('nbg-drill-any')]] as const) {
    const parsed = ssh2.utils.parseKey(k.privateKey);
    assert.ok(!(parsed instanceof Error), `${name}: ${String(parsed)}`);
    assert.deepEqual((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH(), k.publicKeyBlob);
    const file = path.join(dir, name);
    await fs.writeFile(file, k.privateKey, { mode: 0o600 });
    const line = execFileSync('/usr/bin/ssh-keygen', ['-y', '-P', '', '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    assert.equal(line.split(' ')[1], k.publicKeyBlob.toString('base64'), name);
  }
});

test('host keys persist per server with mode 0600, and match ssh-keygen -l', async (t) => {
  const dir = await tempDir(t);
  const first = await loadOrCreateHostKey(dir, 'CE1');
  const again = await loadOrCreateHostKey(dir, 'CE1');
  const other = await loadOrCreateHostKey(dir, 'CE2');
  assert.equal(again.fingerprint, first.fingerprint);
  assert.notEqual(other.fingerprint, first.fingerprint);
  const file = path.join(dir, 'CE1_ed25519');
  assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
  const listed = execFileSync('/usr/bin/ssh-keygen', ['-l', '-f', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
  assert.equal(listed, `256 ${first.fingerprint} nbg-drill-CE1 (ED25519)\n`);
  assert.match(first.publicKeyLine, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\S+ nbg-drill-CE1$/);
  await fs.writeFile(path.join(dir, 'bad_ed25519'), 'not a key');
  await assert.rejects(loadOrCreateHostKey(dir, 'bad'), { code: 'DRILL_HOST_KEY_INVALID' });
});
