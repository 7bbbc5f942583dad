// The glue between ssh_config and the app: which aliases are offered (concrete Host names only,
// Includes too), the default files per OS, a device alias planned as `ssh alias` resolves it
// (chain, user, HostKeyAlias, algorithms, StrictHostKeyChecking, UserKnownHostsFile,
// ConnectTimeout), a fabric's jump host named by alias (with its own ProxyJump), an alias that
// does not resolve refused with words, and what the config asks for that a connect will not do
// (IdentityFile that is not one of our sk key files, CertificateFile) named once. The chains are
// held to stock `ssh -G -F` on the same file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { errorCode } from '../../../../../native/errors';
import { configAliases } from '../../../../../electron/core/ssh/ssh-config-hosts';
import { defaultConfigFiles } from '../../../../../electron/core/ssh/ssh-config';
import { configWarnings } from '../../../../../electron/core/ssh/ssh-config-connect';
import { resolveConfigRoute } from '../../../../../electron/core/ssh/ssh-config-route';
import { SshConfigSource } from '../../../../../electron/core/ssh/ssh-config-source';
import { SSH_CONFIG_FABRIC_ID, withSshConfigHosts } from '../../../../../electron/core/ssh/ssh-config-inventory';
import { ConnectPlanner } from '../../../../../electron/core/ssh/sessions/connect-plan';
import { configSessionOptions, routeOf } from '../../../../../electron/core/ssh/sessions/sessions-service';
import type { NetworkDevice } from '../../../../../electron/shared/inventory';
import { Settings, type JumpHost } from '../../../../../electron/shared/settings';
import type { InventoryService } from '../../../../../electron/core/azure/inventory-service';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-sshcfg-app-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures');
const LOCAL_USER = 'operator';

function file(name: string, lines: string[]): string {
  const f = path.join(dir, name);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, `${lines.join('\n')}\n`);
  return f;
}

const CONFIG = file('config', [
  'Host jump-a',
  '  HostName 127.0.0.21',
  '  Port 2201',
  '  User hopper',
  'Host jump-b',
  '  HostName 127.0.0.22',
  '  User bee',
  '  ProxyJump jump-a',
  'Host leaf-1 leaf-1.* !leaf-x',
  '  HostName 127.0.0.31',
  '  Port 2231',
  '  User netops',
  '  ProxyJump jump-b',
  '  HostKeyAlias leaf-1-key',
  '  StrictHostKeyChecking yes',
  `  UserKnownHostsFile ${dir}/kh1 ${dir}/kh2`,
  '  ConnectTimeout 7',
  '  KexAlgorithms curve25519-sha256',
  '  HostKeyAlgorithms ecdsa-sha2-nistp256',
  'Host direct',
  '  HostName 127.0.0.41',
  `Include ${dir}/more/*.conf`,
  'Host *',
  '  ServerAliveInterval 30',
]);
file('more/a.conf', ['Host spine-9 "odd name"', '  HostName 127.0.0.51']);

/** ssh -G's answer for one key. */
function stock(dest: string, key: string): string {
  const out = execFileSync('ssh', ['-G', '-F', CONFIG, dest], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').find((l) => l.startsWith(`${key} `))?.slice(key.length + 1) ?? '';
}

const source = (configFile: string | undefined = CONFIG) => new SshConfigSource({ configFile: async () => configFile, home: dir, localUser: LOCAL_USER });

test('the aliases offered are the concrete Host names, Includes too, each once; patterns, negations and odd names are not', () => {
  const { aliases, files } = configAliases([{ file: CONFIG, includeBase: dir }], dir);
  assert.deepEqual(aliases, ['jump-a', 'jump-b', 'leaf-1', 'direct', 'spine-9']);
  assert.deepEqual(files, [CONFIG, path.join(dir, 'more/a.conf')]);
});

test('default files: ~/.ssh/config and /etc/ssh/ssh_config; on Windows %USERPROFILE%\\.ssh\\config and %ProgramData%\\ssh\\ssh_config', () => {
  assert.deepEqual(defaultConfigFiles('/home/op', 'linux', {}).map((f) => [f.file, f.includeBase, f.system === true]), [
    ['/home/op/.ssh/config', '/home/op/.ssh', false], ['/etc/ssh/ssh_config', '/etc/ssh', true]]);
  assert.deepEqual(defaultConfigFiles('/Users/op', 'darwin', {}).map((f) => f.file), ['/Users/op/.ssh/config', '/etc/ssh/ssh_config']);
  assert.deepEqual(defaultConfigFiles('C:\\Users\\op', 'win32', { ProgramData: 'D:\\PD' }).map((f) => [f.file, f.includeBase]), [
    ['C:\\Users\\op\\.ssh\\config', 'C:\\Users\\op\\.ssh'], ['D:\\PD\\ssh\\ssh_config', 'D:\\PD\\ssh']]);
});

function planner(settings: Partial<Settings>, keyDir = dir) {
  const device: NetworkDevice = { id: 'dev-1', name: 'leaf-01', fabricId: 'F1', role: 'TOR', hostName: 'leaf-01', managementIpv4: '10.0.0.9' };
  return new ConnectPlanner({
    settings: async () => Settings.parse(settings),
    devices: async (fabricId) => (fabricId === 'F1' ? [device] : []),
    identity: async () => null,
    drill: false,
    sshConfig: { source: source(), keyDir, env: { MY_AGENT: '/run/agent.sock' } },
  });
}

test('a device alias is planned as `ssh alias` resolves it: the chain, user, port, HostKeyAlias, algorithms, host-key rules, timeout', async () => {
  const plan = await planner({}).plan({ fabricId: SSH_CONFIG_FABRIC_ID, deviceId: 'leaf-1', path: 'primary', method: 'v2.0' });
  // ssh -J jump-a jump-b leaf-1 is what stock ssh builds: jump-a, then jump-b (whose ProxyJump is jump-a), then leaf-1.
  assert.equal(stock('leaf-1', 'proxyjump'), 'jump-b');
  assert.equal(stock('jump-b', 'proxyjump'), 'jump-a');
  assert.deepEqual(plan.jumps.map((h) => [h.label, h.user, h.host, h.port]), [
    ['jump-a', stock('jump-a', 'user'), stock('jump-a', 'hostname'), Number(stock('jump-a', 'port'))],
    ['jump-b', stock('jump-b', 'user'), stock('jump-b', 'hostname'), Number(stock('jump-b', 'port'))],
  ]);
  assert.deepEqual([plan.target.user, plan.target.host, plan.target.port], [stock('leaf-1', 'user'), stock('leaf-1', 'hostname'), Number(stock('leaf-1', 'port'))]);
  assert.equal(plan.target.hostKeyAlias, 'leaf-1-key');
  assert.deepEqual(plan.target.algorithms, { kex: ['curve25519-sha256'], serverHostKey: ['ecdsa-sha2-nistp256'] });
  assert.deepEqual(plan.config, { policy: 'strict', knownHostsFiles: [`${dir}/kh1`, `${dir}/kh2`], connectTimeoutS: 7 });
  assert.equal(plan.title, 'leaf-1');

  // What the session layer is given: the hops in order, the config's store and timeout for this connect.
  const route = routeOf(plan);
  assert.deepEqual(route.chain.map((h) => h.name), ['jump-a', 'jump-b']);
  assert.equal(route.target.hostKeyAlias, 'leaf-1-key');
  const options = configSessionOptions(plan);
  assert.equal(options.hostKeys?.policy, 'strict');
  assert.equal(options.phaseMs, 7000);
  assert.ok(options.hostKeys?.store);

  // The user typed in the dialog wins over User, as user@alias does for ssh.
  const other = await planner({}).plan({ fabricId: SSH_CONFIG_FABRIC_ID, deviceId: 'leaf-1', path: 'primary', method: 'v2.0', user: 'alice@contoso.com' });
  assert.equal(other.target.user, 'alice@contoso.com');
  assert.equal(other.jumps[0]?.user, 'hopper');
  await assert.rejects(planner({}).plan({ fabricId: SSH_CONFIG_FABRIC_ID, deviceId: 'leaf-1', path: 'backup', method: 'v2.0' }), /no backup/);
});

test('an alias without ProxyJump connects directly; the dialog shows its route and nothing to warn about', async () => {
  const p = planner({});
  const plan = await p.plan({ fabricId: SSH_CONFIG_FABRIC_ID, deviceId: 'direct', path: 'primary', method: 'v2.0' });
  assert.deepEqual(plan.jumps, []);
  assert.deepEqual([plan.target.user, plan.target.host, plan.target.port], [LOCAL_USER, '127.0.0.41', 22]);
  assert.deepEqual(plan.config, { policy: 'ask' });
  const d = await p.defaults(SSH_CONFIG_FABRIC_ID, 'leaf-1');
  assert.equal(d.user, 'netops');
  assert.deepEqual(d.jumpHost, { user: 'bee', host: '127.0.0.22', port: 22, name: 'jump-b', from: 'ProxyJump of leaf-1', via: ['hopper@127.0.0.21:2201'] });
  assert.deepEqual(d.sshConfig?.route, ['jump-a (hopper@127.0.0.21:2201)', 'jump-b (bee@127.0.0.22:22)', 'leaf-1 (netops@127.0.0.31:2231)']);
  assert.equal(d.backupAvailable, false);
});

test("a fabric's jump host can be an ssh_config alias: resolved with its own ProxyJump, shown with where it came from", async () => {
  const settings = { jumpHosts: { f1: { sshConfigAlias: 'jump-b' } satisfies JumpHost } };
  const p = planner(settings);
  const plan = await p.plan({ fabricId: 'F1', deviceId: 'dev-1', path: 'primary', method: 'v2.0', user: 'ops' });
  assert.deepEqual(plan.jumps.map((h) => `${h.label}=${h.user}@${h.host}:${h.port}`), ['jump-a=hopper@127.0.0.21:2201', 'jump-b=bee@127.0.0.22:22']);
  assert.deepEqual([plan.target.host, plan.target.port, plan.target.user], ['10.0.0.9', 22, 'ops']);
  assert.equal(plan.config, undefined, 'the device is not from ssh_config: the app\'s host-key rules apply');
  const d = await p.defaults('F1', 'dev-1');
  assert.equal(d.jumpHost?.host, '127.0.0.22');
  assert.deepEqual(d.jumpHost?.via, ['hopper@127.0.0.21:2201']);
  assert.equal(d.jumpHost?.from, 'set for this fabric: ssh_config alias jump-b in ~/config');
  assert.equal(d.jumpProblem, undefined);

  // The default jump host by alias; its own host-key options are named as not used for fabric connects.
  const viaDefault = await planner({ defaultJumpHost: { sshConfigAlias: 'leaf-1' } }).defaults('F1', 'dev-1');
  assert.match(viaDefault.jumpHost?.from ?? '', /^the default: ssh_config alias leaf-1/);
  assert.ok(viaDefault.notes.some((n) => /UserKnownHostsFile and StrictHostKeyChecking of jump host leaf-1/.test(n)));
});

test('an alias no Host line names is refused in words, in the dialog and at connect', async () => {
  const p = planner({ jumpHosts: { f1: { sshConfigAlias: 'jump-typo' } } });
  const d = await p.defaults('F1', 'dev-1');
  assert.equal(d.jumpHost, null);
  assert.equal(d.jumpProblem, "'jump-typo' is not a Host alias in ~/config. Add a 'Host jump-typo' block there, or name another host."); // the test's home is dir
  await assert.rejects(p.plan({ fabricId: 'F1', deviceId: 'dev-1', path: 'primary', method: 'v2.0', user: 'ops' }),
    (e: unknown) => errorCode(e) === 'SSH_CONFIG_ALIAS_UNKNOWN' && /jump-typo/.test(String(e)));
  // A wildcard-only match is not an alias either (ssh would dial the name itself).
  await assert.rejects(planner({}).plan({ fabricId: SSH_CONFIG_FABRIC_ID, deviceId: 'leaf-1.lab', path: 'primary', method: 'v2.0' }),
    (e: unknown) => errorCode(e) === 'SSH_CONFIG_ALIAS_UNKNOWN');
  // A setting that is neither an address nor an alias does not save.
  assert.throws(() => Settings.parse({ defaultJumpHost: { sshConfigAlias: 'jump-*' } }), /no patterns/);
});

test('IdentityFile that is not one of our sk key files, and CertificateFile, are named once; our own sk file is not', () => {
  const keyDir = path.join(dir, 'keys');
  mkdirSync(keyDir, { recursive: true });
  // An sk public half made by stock ssh-keygen, and a plain ed25519 key made now.
  copyFileSync(path.join(FIXTURES, 'host-certs/ca_sk_ed25519.pub'), path.join(keyDir, 'id_ed25519_sk.pub'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(keyDir, 'id_ed25519')]);
  const cfg = file('ids', [
    'Host dev', '  HostName 127.0.0.61', '  ProxyJump hop', `  IdentityFile ${keyDir}/id_ed25519_sk`, `  IdentityFile ${keyDir}/id_ed25519`,
    '  CertificateFile ~/.ssh/id-cert.pub',
    'Host hop', '  HostName 127.0.0.62', `  IdentityFile ${keyDir}/id_ed25519`, '  CertificateFile ~/.ssh/id-cert.pub',
  ]);
  const route = resolveConfigRoute('dev', { files: [{ file: cfg, includeBase: dir }], home: dir, localUser: LOCAL_USER });
  assert.deepEqual(configWarnings(route, keyDir), [
    'CertificateFile (user certificates are not offered)',
    `IdentityFile ${keyDir}/id_ed25519 (not a security-key file in ${keyDir}: the security key's own key signs instead)`,
  ]);
  // The same sk file outside the key folder is not one the connect signs with.
  assert.equal(configWarnings(route, dir).filter((w) => w.startsWith('IdentityFile')).length, 2);
});

test('the inventory gains an "SSH config" group with one device per alias; none without aliases; a bad file says why', async () => {
  const base: InventoryService = {
    fabrics: async () => [{ id: 'F1', name: 'fab', resourceGroup: 'rg', subscriptionId: 's', role: 'Reader', deviceCount: 1, lastSynced: 1, offline: false, drill: false }],
    devices: async () => [],
  };
  const inv = withSshConfigHosts(base, source());
  const fabrics = await inv.fabrics(false);
  assert.deepEqual(fabrics.map((f) => [f.id, f.name, f.deviceCount, f.sshConfig === true]), [['F1', 'fab', 1, false], [SSH_CONFIG_FABRIC_ID, 'SSH config', 5, true]]);
  assert.equal(fabrics[1]?.location, '~/config', 'files under the home folder are shown from ~');
  const devices = await inv.devices(SSH_CONFIG_FABRIC_ID);
  const leaf = devices.find((d) => d.id === 'leaf-1');
  assert.deepEqual([leaf?.managementIpv4, leaf?.sshPort, leaf?.configurationState], ['127.0.0.31', 2231, 'as netops, via jump-a → jump-b']);
  assert.equal(devices.find((d) => d.id === 'direct')?.configurationState, `as ${LOCAL_USER}, direct`);

  const none = withSshConfigHosts(base, source(file('empty', ['Host *', '  User x'])));
  assert.deepEqual((await none.fabrics(false)).map((f) => f.id), ['F1']);

  const bad = withSshConfigHosts(base, source(file('bad', ['Host ok', '  Port many'])));
  assert.deepEqual((await bad.fabrics(false)).map((f) => f.id), ['F1', SSH_CONFIG_FABRIC_ID]);
  const row = (await bad.devices(SSH_CONFIG_FABRIC_ID))[0];
  assert.match(row?.configurationState ?? '', /^does not resolve: .*Port many is not a port number/);
  // A control character in a HostName reaches the screen as a visible escape.
  const hostile = withSshConfigHosts(base, source(file('hostile', ['Host evil', '  HostName 127.0.0.1\u001b[2J'])));
  assert.equal((await hostile.devices(SSH_CONFIG_FABRIC_ID))[0]?.managementIpv4, '127.0.0.1\\033[2J');
  const broken = withSshConfigHosts(base, source(file('broken', ['Host "unterminated'])));
  await assert.rejects(broken.devices(SSH_CONFIG_FABRIC_ID), /unterminated quote/);
});
