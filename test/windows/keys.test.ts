// The win32 `nbg` under Wine and Windows Node: every key command against the simulator, with the
// Windows defaults - key files in %USERPROFILE%\.ssh of a profile whose path has a space and a
// non-ASCII letter (C:\users\Zoë Admin), the audit log under %APPDATA%. Stock ssh-keygen (Linux)
// reads what the Windows process wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { verifyAuditLog } from '../../electron/core/audit/index';
import { APP_DIR_NAME } from '../../electron/core/paths';
import { windowsHost, WINDOWS_USER } from '../support/wine';

const PIN = '135790';
const NEW_PIN = '975310';

test('keys under Windows Node: devices, set and change PIN, enroll both types, list, show, import', async (t) => {
  const win = await windowsHost();
  const sshDir = path.join(win.profile, '.ssh');
  const appData = path.join(win.profile, 'AppData', 'Roaming', APP_DIR_NAME);
  // This file alone uses the profile's defaults; a previous run's files go first.
  await fs.rm(sshDir, { recursive: true, force: true });
  await fs.rm(appData, { recursive: true, force: true });
  const work = await fs.mkdtemp(path.join(win.profile, 'keys-test-'));
  t.after(() => fs.rm(work, { recursive: true, force: true }));
  const env = { NBG_SIMULATOR: win.toWindows(path.join(work, 'sim.json')) };
  const ok = async (args: string[], stdin?: string) => {
    const r = await win.nbg(args, { env, ...(stdin === undefined ? {} : { stdin }) });
    assert.equal(r.code, 0, `nbg ${args.join(' ')}: ${r.stderr}`);
    return r;
  };

  const pinState = async () => (JSON.parse((await ok(['keys', 'devices', '--json'])).stdout) as { keys: { label: string; pin: string }[] }).keys;
  const [device] = await pinState();
  assert.match(device?.label ?? '', /Simulated/);
  assert.equal(device?.pin, 'unset');

  await ok(['keys', 'set-pin', '--pin-stdin'], `${PIN}\n`);
  assert.notEqual((await pinState())[0]?.pin, 'unset');
  await ok(['keys', 'change-pin', '--pin-stdin'], `${PIN}\n${NEW_PIN}\n`);
  const wrongOld = await win.nbg(['keys', 'change-pin', '--pin-stdin'], { env, stdin: `${PIN}\n${NEW_PIN}\n` });
  assert.equal(wrongOld.code, 1, 'the old PIN no longer works');
  assert.match(wrongOld.stderr, /PIN/);

  const ed = JSON.parse((await ok(['keys', 'enroll', '--pin-stdin', '--json'], `${NEW_PIN}\n`)).stdout) as { file: string; publicKeyLine: string };
  assert.equal(ed.file, `C:\\users\\${WINDOWS_USER}\\.ssh\\id_ed25519_sk`, 'the default key folder is %USERPROFILE%\\.ssh');
  const ec = JSON.parse((await ok(['keys', 'enroll', '--type', 'ecdsa-sk', '--user', 'ecdsa-operator', '--pin-stdin', '--json'], `${NEW_PIN}\n`)).stdout) as { file: string };
  assert.equal(ec.file, `C:\\users\\${WINDOWS_USER}\\.ssh\\id_ecdsa_sk`);

  // Stock ssh-keygen reads the files the Windows process wrote, as the types they claim.
  const edPub = await fs.readFile(path.join(sshDir, 'id_ed25519_sk.pub'), 'utf8');
  assert.match(edPub, /^sk-ssh-ed25519@openssh\.com AAAA\S+ NexusIdentitySSHKey\n$/);
  assert.equal(edPub.trim(), ed.publicKeyLine);
  assert.match(execFileSync('ssh-keygen', ['-l', '-f', path.join(sshDir, 'id_ed25519_sk')], { encoding: 'utf8' }), /ED25519-SK/);
  assert.match(execFileSync('ssh-keygen', ['-l', '-f', path.join(sshDir, 'id_ecdsa_sk')], { encoding: 'utf8' }), /ECDSA-SK/);

  const list = JSON.parse((await ok(['keys', 'list', '--json'])).stdout) as { file: string }[];
  assert.deepEqual(list.map((k) => path.win32.basename(k.file)).sort(), ['id_ecdsa_sk', 'id_ed25519_sk']);
  const show = await ok(['keys', 'show']);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', path.join(sshDir, 'id_ed25519_sk.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  assert.ok(show.stdout.includes(fingerprint), show.stdout);

  // Import the resident keys into a drive-letter folder given with Windows separators.
  const importDir = path.join(work, 'imported');
  const imported = await ok(['keys', 'import', '--dir', win.toWindows(importDir), '--pin-stdin', '--json'], `${NEW_PIN}\n`);
  assert.equal((JSON.parse(imported.stdout) as unknown[]).length, 2, imported.stdout);
  const importedFiles = (await fs.readdir(importDir)).sort();
  assert.equal(importedFiles.filter((f) => !f.endsWith('.pub')).length, 2, importedFiles.join(', '));
  for (const f of importedFiles.filter((n) => n.endsWith('.pub'))) {
    assert.match(execFileSync('ssh-keygen', ['-l', '-f', path.join(importDir, f)], { encoding: 'utf8' }), /-SK/);
  }

  // The audit log is under %APPDATA%\Nexus Break-Glass, chained and whole; `nbg audit verify` agrees.
  const audit = await verifyAuditLog(path.join(appData, 'audit', 'audit.jsonl'));
  assert.equal(audit.ok, true);
  assert.ok(audit.entries.filter((e) => e.type === 'enroll').length >= 2, JSON.stringify(audit.entries.map((e) => e.type)));
  const verified = JSON.parse((await ok(['audit', 'verify', '--json'])).stdout) as { ok: boolean; file: string; entries: number };
  assert.deepEqual(verified, { ...verified, ok: true, file: `C:\\users\\${WINDOWS_USER}\\AppData\\Roaming\\${APP_DIR_NAME}\\audit\\audit.jsonl`, entries: audit.entries.length });
});
