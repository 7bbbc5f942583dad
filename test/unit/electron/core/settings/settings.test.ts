import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SettingsInvalidError, SettingsStore } from '../../../../../electron/core/settings/store';
import { BackupImportError, parseBackupAddresses } from '../../../../../electron/core/settings/backup-addresses';

function tempHome(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-settings-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('defaults when no file exists; updates are written atomically with mode 0600 and read back', async (t) => {
  const home = path.join(tempHome(t), 'nested', 'home');
  const store = SettingsStore.inHome(home);
  const defaults = await store.get();
  assert.equal(defaults.userNameTemplate, '{upn}');
  assert.deepEqual(defaults.jumpHosts, {});
  assert.equal(defaults.agent.enabled, false);

  const saved = await store.update({ defaultJumpHost: { host: '127.0.0.2', port: 2222, user: 'jumpuser' }, userNameTemplate: '{alias}' });
  assert.equal(saved.userNameTemplate, '{alias}');
  assert.equal(statSync(store.file).mode & 0o777, 0o600);
  const again = await SettingsStore.inHome(home).get();
  assert.deepEqual(again, saved);
  assert.equal(JSON.parse(readFileSync(store.file, 'utf8')).defaultJumpHost.port, 2222);
});

test('concurrent updates do not lose each other', async (t) => {
  const store = SettingsStore.inHome(tempHome(t));
  await Promise.all([
    store.update({ userNameTemplate: '{mail}' }),
    store.update({ knownHostsPath: '/tmp/kh' }),
    store.update({ agent: { enabled: true } }),
  ]);
  const fresh = await new SettingsStore(store.file).get();
  assert.equal(fresh.userNameTemplate, '{mail}');
  assert.equal(fresh.knownHostsPath, '/tmp/kh');
  assert.equal(fresh.agent.enabled, true);
});

test('a corrupt or invalid file is refused with the path named, and an invalid patch is not written', async (t) => {
  const home = tempHome(t);
  const file = path.join(home, 'settings.json');
  writeFileSync(file, '{ not json');
  await assert.rejects(new SettingsStore(file).get(), (e: unknown) => e instanceof SettingsInvalidError && e.message.includes(file));
  writeFileSync(file, JSON.stringify({ version: 1, defaultJumpHost: { host: '', user: 'x' } }));
  await assert.rejects(new SettingsStore(file).get(), (e: unknown) => e instanceof SettingsInvalidError && /defaultJumpHost/.test(e.message));
  rmSync(file);
  const store = new SettingsStore(file);
  await assert.rejects(store.update({ defaultJumpHost: { host: 'h', port: 70000, user: 'u' } }));
  assert.throws(() => statSync(file), /ENOENT/);
});

test('backup addresses import from CSV (header, quotes, prefix lengths) and JSON (map or rows)', () => {
  const csv = 'hostName,address\n"Leaf-01",fd00:1::1/128\nleaf-02;10.0.0.2\n# comment\n\nspine-01\t2001:db8::5\n';
  assert.deepEqual(parseBackupAddresses('csv', csv), { 'leaf-01': 'fd00:1::1', 'leaf-02': '10.0.0.2', 'spine-01': '2001:db8::5' });
  assert.deepEqual(parseBackupAddresses('json', '{"CE-01":"10.1.1.1"}'), { 'ce-01': '10.1.1.1' });
  assert.deepEqual(parseBackupAddresses('json', '[{"hostName":"tor-1","address":"fd00::7"}]'), { 'tor-1': 'fd00::7' });
});

test('backup addresses: bad rows are refused with the line named', () => {
  assert.throws(() => parseBackupAddresses('csv', 'leaf-01,10.0.0.1\nleaf-02,not-an-ip\n'),
    (e: unknown) => e instanceof BackupImportError && /line 2/.test(e.message));
  assert.throws(() => parseBackupAddresses('csv', 'leaf-01\n'), BackupImportError);
  assert.throws(() => parseBackupAddresses('json', '{"a b":"10.0.0.1"}'), BackupImportError);
  assert.throws(() => parseBackupAddresses('json', '[1,2]'), BackupImportError);
  assert.throws(() => parseBackupAddresses('json', 'nope'), BackupImportError);
});

test('a jump host or backup address that is not an address or DNS name is refused, and nothing is written', async (t) => {
  const store = new SettingsStore(path.join(tempHome(t), 'settings.json'));
  await assert.rejects(store.update({ defaultJumpHost: { host: 'jump-01\n@cert-authority *', port: 22, user: 'ops' } }),
    (e: unknown) => /the host contains a control character/.test((e as Error).message) && /defaultJumpHost/.test((e as Error).message) && !(e as Error).message.includes('@cert'));
  await assert.rejects(store.update({ backupAddresses: { 'leaf-01': '10.0.0.1 -oProxyCommand=x' } }), /the host contains a space/);
  assert.throws(() => statSync(store.file), /ENOENT/);
  const saved = await store.update({ defaultJumpHost: { host: 'jump-01.ops.contoso.com', port: 22, user: 'ops' }, backupAddresses: { 'leaf-01': 'fd00::1' } });
  assert.deepEqual(saved.defaultJumpHost, { host: 'jump-01.ops.contoso.com', port: 22, user: 'ops' });
});
