// The key folder as the app reads it: sk key files are listed, ordinary keys and other files are
// ignored, and a damaged sk key file is reported instead of read as "no key".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeyStore } from '../../../../../electron/core/keys/store';
import { captureIo } from '../../../../support/nbg';
import { runCli } from '../../../../../electron/cli/main';
import { SoftSk } from '../../../../support/soft-sk';

test('scan lists sk keys, ignores ordinary keys and other files, and reports a damaged sk key file', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id_ed25519')]);
  writeFileSync(path.join(dir, 'config'), 'Host x\n');
  symlinkSync('/nonexistent-nbg-target', path.join(dir, 'dangling'));
  const store = new KeyStore(dir);
  await store.save('id_ed25519_sk', new SoftSk().handle);
  writeFileSync(path.join(dir, 'id_damaged_sk'), '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA!!\n-----END OPENSSH PRIVATE KEY-----\n');

  const { keys, problems } = await store.scan();
  assert.deepEqual(keys.map((k) => path.basename(k.file)), ['id_ed25519_sk']);
  assert.deepEqual(problems.map((p) => path.basename(p.file)), ['id_damaged_sk']);
  assert.match(problems[0]!.message, /damaged/);
  assert.deepEqual((await store.list()).map((k) => k.file), keys.map((k) => k.file));

  const c = captureIo({ ...process.env, NBG_HOME: dir });
  assert.equal(await runCli(['keys', 'list', '--dir', dir], c.io), 1, 'a damaged key file fails the listing');
  assert.match(c.err(), /key file not usable: .*id_damaged_sk is damaged/);
  assert.match(c.out(), /id_ed25519_sk/);
});
