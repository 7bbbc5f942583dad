// Private files written by the Windows build go through SetNamedSecurityInfoW with an owner-only
// protected DACL (native/util/windows-acl.ts). Wine 8 does not keep file DACLs: it turns the DACL
// into a Unix mode (owner-only becomes 0775 here) and later reads a DACL made up from that mode,
// so the DACL itself cannot be read back under Wine. What Wine does show: the call reaches its
// server for exactly the private files (their Unix mode differs from that of every file Windows
// Node creates, whatever mode Node asked for: Node's chmod on Windows only sets read-only), and
// the write still succeeds through the real advapi32 ABI (token, SID, SDDL, DACL calls via koffi).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { windowsHost } from '../support/wine';

const PIN = '314159';

test('private files get the owner-only DACL call under Windows Node; public files keep their mode', async (t) => {
  const win = await windowsHost();
  const work = await fs.mkdtemp(path.join(win.profile, 'acl-test-'));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const keys = path.join(work, 'keys');
  const env = { NBG_SIMULATOR: win.toWindows(path.join(work, 'sim.json')), NBG_HOME: win.toWindows(path.join(work, 'home')) };
  assert.equal((await win.nbg(['keys', 'set-pin', '--pin-stdin'], { env, stdin: `${PIN}\n` })).code, 0);
  const enrolled = await win.nbg(['keys', 'enroll', '--dir', win.toWindows(keys), '--pin-stdin'], { env, stdin: `${PIN}\n` });
  assert.equal(enrolled.code, 0, enrolled.stderr);
  const mode = async (f: string) => (await fs.stat(f)).mode & 0o777;
  const plain = await mode(path.join(keys, 'id_ed25519_sk.pub'));
  assert.notEqual(await mode(path.join(keys, 'id_ed25519_sk')), plain, 'the private key file went through SetNamedSecurityInfoW, the .pub did not');
  // The same for the app's other private files written whole: the audit head (the log itself is appended to).
  assert.notEqual(await mode(path.join(work, 'home', 'audit', 'audit.jsonl.head')), await mode(path.join(work, 'home', 'audit', 'audit.jsonl')));
});
