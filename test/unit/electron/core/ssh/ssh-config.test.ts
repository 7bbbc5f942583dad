// ssh_config evaluation held to stock `ssh -G -F FILE` (OpenSSH 9.2 prints the options it would
// use, without connecting) on the same files: Host patterns with ! and *, Match host/originalhost/
// user/localuser, Include (globs, inside a block, from a block that does not apply), first value
// wins, -o before the files, user@host and host:port over User and Port, %h in HostName.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assembleAlgorithms, DEFAULT_KEX_ALGORITHMS, SUPPORTED_HOST_KEY_ALGORITHMS, SUPPORTED_KEX_ALGORITHMS } from '../../../../../electron/core/ssh/ssh-algorithms';
import { DEFAULT_HOST_KEY_ALGORITHMS } from '../../../../../electron/core/ssh/host-key-order';
import { resolveSshConfig, SshConfigError, type SshConfigQuery } from '../../../../../electron/core/ssh/ssh-config';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-sshcfg-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const LOCAL_USER = os.userInfo().username;
const HOME = os.userInfo().homedir;

function config(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** `ssh -G` as key → values (keys lower-cased, as it prints them). */
function stockG(file: string, dest: string, extra: string[] = []): Map<string, string[]> {
  const out = execFileSync('ssh', ['-G', '-F', file, ...extra, dest], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const map = new Map<string, string[]>();
  for (const line of out.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    const k = line.slice(0, sp);
    map.set(k, [...(map.get(k) ?? []), line.slice(sp + 1)]);
  }
  return map;
}

function ours(file: string, host: string, q: Partial<SshConfigQuery> = {}) {
  return resolveSshConfig({ host, files: [{ file, includeBase: path.join(HOME, '.ssh') }], home: HOME, localUser: LOCAL_USER, ...q });
}

function sameAlgorithms(value: string, mine: string[], stock: string[], what: string): void {
  if (value.startsWith('+') || value.startsWith('-')) assert.deepEqual([...mine].sort(), [...stock].sort(), what);
  else if (value.startsWith('^')) {
    assert.deepEqual([...mine].sort(), [...stock].sort(), what);
    assert.equal(mine[0], stock[0], what);
  } else assert.deepEqual(mine, stock, what);
}

const STRICT_AS_PRINTED = { yes: 'true', no: 'false', ask: 'ask', 'accept-new': 'accept-new' } as const;

/** Compares what both decide for `dest` on the options this module reads. */
function sameAsStock(file: string, dest: string, q: Partial<SshConfigQuery> = {}, extra: string[] = []): void {
  const g = stockG(file, dest, extra);
  const { options } = ours(file, q.host ?? dest, q);
  const one = (k: string) => g.get(k)?.[0];
  assert.equal(options.hostName, one('hostname'), `${dest}: hostname`);
  assert.equal(options.user, one('user'), `${dest}: user`);
  assert.equal(String(options.port), one('port'), `${dest}: port`);
  assert.equal(options.proxyJump, one('proxyjump'), `${dest}: proxyjump`);
  assert.equal(options.hostKeyAlias, one('hostkeyalias'), `${dest}: hostkeyalias`);
  assert.equal(options.strictHostKeyChecking ? STRICT_AS_PRINTED[options.strictHostKeyChecking] : 'ask', one('stricthostkeychecking'), `${dest}: stricthostkeychecking`);
  assert.equal(options.connectTimeoutS === undefined ? 'none' : String(options.connectTimeoutS), one('connecttimeout'), `${dest}: connecttimeout`);
  if (options.userKnownHostsFile) assert.equal(options.userKnownHostsFile.join(' '), one('userknownhostsfile'), `${dest}: userknownhostsfile`);
  if (options.identityAgent) assert.equal(options.identityAgent, one('identityagent'), `${dest}: identityagent`);
  if (options.kexAlgorithms) {
    const stock = one('kexalgorithms')!.split(',').filter((a) => SUPPORTED_KEX_ALGORITHMS.includes(a));
    const mine = assembleAlgorithms(options.kexAlgorithms, DEFAULT_KEX_ALGORITHMS, SUPPORTED_KEX_ALGORITHMS, 'KexAlgorithms').list;
    // The defaults differ (ours: mlkem768x25519 first, group15/17 kept, curve25519 names swapped): a
    // change relative to the default is compared as a set, a list as written in order.
    sameAlgorithms(options.kexAlgorithms, mine.filter((a) => stock.includes(a)), stock.filter((a) => mine.includes(a)), `${dest}: kexalgorithms`);
  }
  if (options.hostKeyAlgorithms) {
    const stock = one('hostkeyalgorithms')!.split(',').filter((a) => SUPPORTED_HOST_KEY_ALGORITHMS.includes(a));
    const mine = assembleAlgorithms(options.hostKeyAlgorithms, DEFAULT_HOST_KEY_ALGORITHMS, SUPPORTED_HOST_KEY_ALGORITHMS, 'HostKeyAlgorithms').list;
    sameAlgorithms(options.hostKeyAlgorithms, mine.filter((a) => stock.includes(a)), stock.filter((a) => mine.includes(a)), `${dest}: hostkeyalgorithms`);
  }
}

test('Host patterns: *, ?, ! negation, first value wins, %h in HostName', () => {
  const file = config('patterns', [
    'Host leaf-?? !leaf-99',
    '  HostName 10.0.0.%h',
    '  User netops',
    '  Port 2201',
    'Host leaf-*',
    '  User second-wins-never',
    '  Port 2299',
    '  StrictHostKeyChecking yes',
    '  ConnectTimeout 9',
    'Host *',
    '  User fallback',
    '  HostKeyAlias shared-alias',
  ]);
  for (const dest of ['leaf-01', 'leaf-99', 'leaf-100', 'spine-01', 'LEAF-02']) sameAsStock(file, dest);
  assert.equal(ours(file, 'leaf-01').options.hostName, '10.0.0.leaf-01');
  assert.equal(ours(file, 'leaf-99').options.user, 'second-wins-never');
});

test('Match host (after HostName), originalhost, user, localuser, negation, all', () => {
  const file = config('match', [
    'Host dev-*',
    '  HostName 192.0.2.7',
    'Match host 192.0.2.* !originalhost dev-9',
    '  User by-address',
    '  ProxyJump jump-01',
    'Match originalhost dev-9',
    '  Port 2222',
    `Match localuser ${LOCAL_USER} user breakglass`,
    '  HostKeyAlias matched-user',
    'Match all',
    '  ConnectTimeout 4',
  ]);
  for (const dest of ['dev-1', 'dev-9', 'other', 'breakglass@dev-9', 'breakglass@other']) sameAsStock(file, dest.split('@').at(-1)!, dest.includes('@') ? { user: 'breakglass' } : {}, dest.includes('@') ? ['-l', 'breakglass'] : []);
  assert.equal(ours(file, 'dev-1').options.proxyJump, 'jump-01');
});

test('Include: absolute and glob, inside a block that applies, and from one that does not', () => {
  const incDir = path.join(dir, 'conf.d');
  config('conf.d/10-jump.conf', ['Host jump-*', '  User jumper', '  Port 2022']);
  config('conf.d/20-leaf.conf', ['Host leaf-*', '  ProxyJump jump-01']);
  config('only-for-a.conf', ['Port 3333', 'Host *', '  User from-include']);
  const file = config('include', [
    `Include ${incDir}/*.conf`,
    'Host a',
    `  Include ${path.join(dir, 'only-for-a.conf')}`,
    '  User after-include',
    'Host b',
    `  Include ${path.join(dir, 'only-for-a.conf')}`,
    'Host *',
    '  User everyone',
  ]);
  for (const dest of ['jump-01', 'leaf-02', 'a', 'b', 'c']) sameAsStock(file, dest);
  assert.deepEqual(ours(file, 'a').files.map((f) => path.basename(f)), ['include', '10-jump.conf', '20-leaf.conf', 'only-for-a.conf', 'only-for-a.conf']);
});

test('-o options come before the files; user@host and host:port win over User and Port', () => {
  const file = config('precedence', ['Host leaf', '  User cfg-user', '  Port 2200', '  StrictHostKeyChecking no', '  UserKnownHostsFile /tmp/kh1 /tmp/kh2']);
  sameAsStock(file, 'leaf', { options: ['StrictHostKeyChecking=accept-new', 'ConnectTimeout 3'] }, ['-o', 'StrictHostKeyChecking=accept-new', '-o', 'ConnectTimeout 3']);
  sameAsStock(file, 'leaf', { user: 'cli', port: 2022 }, ['-l', 'cli', '-p', '2022']);
  assert.deepEqual(ours(file, 'leaf').options.userKnownHostsFile, ['/tmp/kh1', '/tmp/kh2']);
});

test('KexAlgorithms and HostKeyAlgorithms: lists, +, -, ^ and wildcards as OpenSSH assembles them', () => {
  const file = config('algos', [
    'Host plus', '  KexAlgorithms +diffie-hellman-group14-sha1', '  HostKeyAlgorithms +ssh-dss',
    'Host minus', '  KexAlgorithms -ecdh-sha2-*', '  HostKeyAlgorithms -*-cert-v01@openssh.com',
    'Host caret', '  KexAlgorithms ^diffie-hellman-group14-sha256', '  HostKeyAlgorithms ^ecdsa-sha2-nistp256',
    'Host list', '  KexAlgorithms curve25519-sha256,ecdh-sha2-nistp256', '  HostKeyAlgorithms ecdsa-sha2-*,ssh-ed25519',
  ]);
  for (const dest of ['plus', 'minus', 'caret', 'list']) sameAsStock(file, dest);
  const pq = assembleAlgorithms('sntrup761x25519-sha512@openssh.com,curve25519-sha256', DEFAULT_KEX_ALGORITHMS, SUPPORTED_KEX_ALGORITHMS, 'KexAlgorithms');
  assert.deepEqual(pq, { list: ['curve25519-sha256'], dropped: ['sntrup761x25519-sha512@openssh.com'] });
  assert.throws(() => assembleAlgorithms('sntrup761x25519-sha512@openssh.com', DEFAULT_KEX_ALGORITHMS, SUPPORTED_KEX_ALGORITHMS, 'KexAlgorithms'), SshConfigError);
});

test('options nbg does not honour are reported from blocks that apply only; Match exec never runs', () => {
  const marker = path.join(dir, 'exec-ran');
  const file = config('unsupported', [
    'Host leaf', '  ForwardX11 yes', '  LocalForward 8080 127.0.0.1:80',
    'Host other', '  DynamicForward 1080',
    `Match exec "touch ${marker}"`, '  User never',
  ]);
  const r = ours(file, 'leaf');
  assert.deepEqual(r.unsupported, ['ForwardX11', 'LocalForward', 'Match exec']);
  assert.equal(r.options.user, LOCAL_USER);
  assert.throws(() => execFileSync('test', ['-e', marker]), 'Match exec was not run');
});

test('bad input: a clear error naming file and line', () => {
  assert.throws(() => ours(config('bad-port', ['Host x', '  Port 70000']), 'x'), /bad-port:2: Port 70000/);
  assert.throws(() => ours(config('bad-strict', ['StrictHostKeyChecking maybe']), 'x'), /bad-strict:1: StrictHostKeyChecking maybe/);
  assert.throws(() => ours(config('bad-quote', ['User "x']), 'x'), /unterminated quote/);
  assert.throws(() => ours(config('loop', [`Include ${path.join(dir, 'loop')}`]), 'x'), /deeper than 16/);
  assert.throws(() => ours(config('token', ['IdentityFile ~/.ssh/%Z']), 'x'), /unknown token %Z/);
  assert.throws(() => resolveSshConfig({ host: 'x', files: [], home: HOME, localUser: LOCAL_USER, options: ['Host x'] }), /not allowed as an option/);
});

test('no file at all (no ~/.ssh/config): the destination as typed, port 22, the local user', () => {
  const r = ours(path.join(dir, 'missing'), 'leaf-07');
  assert.deepEqual(r.options, { hostName: 'leaf-07', user: LOCAL_USER, port: 22, identityFile: [], certificateFile: [] });
});

test('IdentityFile, CertificateFile add up; tokens and ~ expand', () => {
  const file = config('ids', ['Host leaf', '  IdentityFile ~/.ssh/id_%r_sk', '  CertificateFile %d/c-%h-%p', 'Host *', '  IdentityFile /keys/%n']);
  const { options } = ours(file, 'leaf', { user: 'ops' });
  assert.deepEqual(options.identityFile, [path.join(HOME, '.ssh/id_ops_sk'), '/keys/leaf']);
  assert.deepEqual(options.certificateFile, [`${HOME}/c-leaf-22`]);
});

test('the algorithm lists match what the patched ssh2 implements', async () => {
  const { createRequire } = await import('node:module');
  const constants = createRequire(import.meta.url)('ssh2/lib/protocol/constants.js') as Record<string, unknown>;
  assert.deepEqual(DEFAULT_KEX_ALGORITHMS, constants.DEFAULT_KEX);
  assert.deepEqual([...SUPPORTED_KEX_ALGORITHMS].sort(), [...(constants.SUPPORTED_KEX as string[])].sort());
  const hostKeys = [...(constants.SUPPORTED_SERVER_HOST_KEY as string[]), ...Object.keys(constants.CERT_SERVER_HOST_KEY as object)];
  assert.deepEqual([...SUPPORTED_HOST_KEY_ALGORITHMS].sort(), hostKeys.sort());
  assert.ok(DEFAULT_HOST_KEY_ALGORITHMS.every((a) => SUPPORTED_HOST_KEY_ALGORITHMS.includes(a)));
});
