// Windows path forms under Wine, each through the win32 `nbg`: a UNC share, a long path (past
// MAX_PATH's 260 characters), the `\\?\` and `\\.\` prefixes, a lower-case drive letter with
// forward slashes. Key files land where the path says, and stock ssh-keygen reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { verifyAuditLog } from '../../electron/core/audit/index';
import { windowsHost } from '../support/wine';

const PIN = '592817';
const MAX_PATH = 260;

test('key folders on a UNC share, past MAX_PATH, with \\\\?\\ and \\\\.\\ prefixes, and as z:/ forward slashes', async (t) => {
  const win = await windowsHost();
  const work = await fs.mkdtemp(path.join(win.profile, 'paths-test-'));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const env = { NBG_SIMULATOR: win.toWindows(path.join(work, 'sim.json')), NBG_HOME: win.toWindows(path.join(work, 'home')) };
  const ok = async (args: string[], stdin?: string, extraEnv: Record<string, string> = {}) => {
    const r = await win.nbg(args, { env: { ...env, ...extraEnv }, ...(stdin === undefined ? {} : { stdin }) });
    assert.equal(r.code, 0, `nbg ${args.join(' ')}: ${r.stderr}`);
    return r;
  };
  await ok(['keys', 'set-pin', '--pin-stdin'], `${PIN}\n`);
  const expectKeyFile = (linuxDir: string, name: string) =>
    assert.match(execFileSync('ssh-keygen', ['-l', '-f', path.join(linuxDir, name)], { encoding: 'utf8' }), /ED25519-SK/);

  // A UNC share: enroll writes there (temp file, rename), list and show read it back.
  const shared = path.join(work, 'shared');
  await fs.mkdir(shared);
  const share = await win.share(`keys-${randomBytes(4).toString('hex')}`, shared);
  t.after(() => share.remove());
  const uncDir = `${share.unc}\\operator keys`;
  const enrolled = JSON.parse((await ok(['keys', 'enroll', '--dir', uncDir, '--pin-stdin', '--json'], `${PIN}\n`)).stdout) as { file: string };
  assert.equal(enrolled.file, `${uncDir}\\id_ed25519_sk`);
  expectKeyFile(path.join(shared, 'operator keys'), 'id_ed25519_sk');
  const listed = JSON.parse((await ok(['keys', 'list', '--dir', uncDir, '--json'])).stdout) as { file: string }[];
  assert.deepEqual(listed.map((k) => k.file), [`${uncDir}\\id_ed25519_sk`]);
  assert.match((await ok(['keys', 'show', `${uncDir}\\id_ed25519_sk`])).stdout, /SHA256:/);

  // Past MAX_PATH: nested folders whose full Windows path is over 260 characters, for keys and app data.
  let deep = path.join(work, 'deep');
  while (win.toWindows(deep).length <= MAX_PATH + 20) deep = path.join(deep, `folder-${'x'.repeat(40)}`);
  const deepWin = win.toWindows(deep);
  assert.ok(deepWin.length > MAX_PATH, deepWin);
  const longHome = `${deepWin}\\app home`;
  await ok(['keys', 'import', '--dir', deepWin, '--pin-stdin', '--json'], `${PIN}\n`, { NBG_HOME: longHome });
  expectKeyFile(deep, 'id_ed25519_sk_rk');
  const audit = await verifyAuditLog(path.join(win.fromWindows(longHome), 'audit', 'audit.jsonl'));
  assert.equal(audit.ok, true);
  // The imported resident key, then the import as a key-management action.
  assert.deepEqual(audit.entries.map((e) => (e.type === 'key-management' ? `${e.action}:${e.outcome}` : e.type)), ['enroll', 'import:ok'], 'the import is on record');

  // The same folders named through the \\?\ and \\.\ prefixes, and as z:/ with forward slashes.
  const plain = path.join(work, 'plain');
  await ok(['keys', 'enroll', '--dir', win.toWindows(plain), '--user', 'second', '--pin-stdin'], `${PIN}\n`);
  for (const form of [`\\\\?\\${win.toWindows(plain)}`, `\\\\.\\${win.toWindows(plain)}`, win.toWindows(plain).replace(/^Z:/, 'z:').replaceAll('\\', '/')]) {
    const keys = JSON.parse((await ok(['keys', 'list', '--dir', form, '--json'])).stdout) as { file: string; fingerprint: string }[];
    assert.equal(keys.length, 1, `${form}: ${JSON.stringify(keys)}`);
    assert.equal(path.win32.basename(keys[0]!.file), 'id_ed25519_sk', form);
  }
  expectKeyFile(plain, 'id_ed25519_sk');
});
