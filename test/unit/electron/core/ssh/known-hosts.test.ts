// known_hosts parsing and lookup, with stock ssh-keygen as the oracle for hashing and formats.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  formatKnownHostLine, hostFieldMatches, lookupHostKey, parseKnownHosts,
} from '../../../../../electron/core/ssh/known-hosts';
import { fingerprintSha256 } from '../../../../../native/sk/publickey';
import { KnownHostsStore } from '../../../../../electron/core/ssh/known-hosts-store';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-kh-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function newKey(name: string, type = 'ed25519'): { line: string; blob: Buffer; fingerprint: string } {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const line = readFileSync(`${file}.pub`, 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1] ?? '';
  return { line, blob: Buffer.from(line.split(' ')[1] ?? '', 'base64'), fingerprint };
}

const a = newKey('a');
const b = newKey('b');
const ec = newKey('ec', 'ecdsa');
const keyPart = (k: { line: string }) => k.line.split(' ').slice(0, 2).join(' ');

test('fingerprints equal ssh-keygen -l', () => {
  assert.equal(fingerprintSha256(a.blob), a.fingerprint);
  assert.equal(fingerprintSha256(ec.blob), ec.fingerprint);
});

test('plain, [host]:port, multiple names, wildcards and negation', () => {
  const text = [
    '# comment line',
    '',
    `leaf-01,10.1.1.1 ${keyPart(a)} a comment`,
    `[127.0.0.3]:2222 ${keyPart(b)}`,
    `*.fabric.example,!bad.fabric.example ${keyPart(ec)}`,
  ].join('\n');
  const { entries, problems } = parseKnownHosts(text, 'kh');
  assert.deepEqual(problems, []);
  assert.equal(entries.length, 3);
  assert.equal(entries[0]?.comment, 'a comment');
  assert.equal(lookupHostKey(entries, '10.1.1.1', 22, a.blob).kind, 'known');
  assert.equal(lookupHostKey(entries, 'leaf-01', 22, a.blob).kind, 'known');
  // The same address on another port is another host for OpenSSH.
  assert.equal(lookupHostKey(entries, 'leaf-01', 2222, a.blob).kind, 'unknown');
  assert.equal(lookupHostKey(entries, '127.0.0.3', 2222, b.blob).kind, 'known');
  assert.equal(lookupHostKey(entries, '127.0.0.3', 22, b.blob).kind, 'unknown');
  assert.equal(lookupHostKey(entries, 'sw.fabric.example', 22, ec.blob).kind, 'known');
  assert.equal(lookupHostKey(entries, 'bad.fabric.example', 22, ec.blob).kind, 'unknown');
  assert.ok(hostFieldMatches('leaf-0?', 'LEAF-07'));
});

test('a different key of the same type is a change; another type is only unknown', () => {
  const { entries } = parseKnownHosts(`[127.0.0.3]:2222 ${keyPart(a)}`, 'kh');
  const changed = lookupHostKey(entries, '127.0.0.3', 2222, b.blob);
  assert.equal(changed.kind, 'changed');
  assert.equal(changed.kind === 'changed' && changed.expected[0]?.source, 'kh:1');
  assert.equal(lookupHostKey(entries, '127.0.0.3', 2222, ec.blob).kind, 'unknown');
});

test('hashed entries written by ssh-keygen -H match; ours are found by ssh-keygen -F', () => {
  const file = path.join(dir, 'hashed');
  writeFileSync(file, `[127.0.0.3]:2222 ${keyPart(a)}\nleaf-02 ${keyPart(b)}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
  const text = readFileSync(file, 'utf8');
  assert.ok(text.startsWith('|1|'), 'ssh-keygen hashed the names');
  const { entries, problems } = parseKnownHosts(text, file);
  assert.deepEqual(problems, []);
  assert.equal(lookupHostKey(entries, '127.0.0.3', 2222, a.blob).kind, 'known');
  assert.equal(lookupHostKey(entries, 'leaf-02', 22, b.blob).kind, 'known');
  assert.equal(lookupHostKey(entries, 'leaf-02', 22, a.blob).kind, 'changed');
  assert.equal(lookupHostKey(entries, 'leaf-03', 22, b.blob).kind, 'unknown');

  const ours = path.join(dir, 'ours');
  writeFileSync(ours, `${formatKnownHostLine('::1', 2200, ec.blob, { hashed: true })}\n${formatKnownHostLine('leaf-09', 22, a.blob)}\n`);
  assert.match(execFileSync('ssh-keygen', ['-F', '[::1]:2200', '-f', ours], { encoding: 'utf8' }), /found: line 1/);
  assert.match(execFileSync('ssh-keygen', ['-F', 'leaf-09', '-f', ours], { encoding: 'utf8' }), /found: line 2/);
});

test('@revoked refuses the key; @cert-authority is recognised but never vouches for a plain key', () => {
  const text = `@revoked * ${keyPart(a)}\n@cert-authority *.example ${keyPart(b)}\n`;
  const { entries, problems } = parseKnownHosts(text, 'kh');
  assert.deepEqual(problems, []);
  assert.deepEqual(entries.map((e) => e.marker), ['revoked', 'cert-authority']);
  assert.equal(lookupHostKey(entries, 'any', 22, a.blob).kind, 'revoked');
  assert.equal(lookupHostKey(entries, 'leaf.example', 22, b.blob).kind, 'unknown');
});

test('malformed lines are reported with file:line and skipped', () => {
  const { entries, problems } = parseKnownHosts(`@bogus h ${keyPart(a)}\nh ssh-ed25519\nh ssh-rsa ${a.line.split(' ')[1]}\nok ${keyPart(a)}`, 'kh');
  assert.equal(entries.length, 1);
  assert.deepEqual(problems.map((p) => p.source), ['kh:1', 'kh:2', 'kh:3']);
});

test('the store appends atomically in OpenSSH format and stock ssh-keygen reads it', async () => {
  const managed = path.join(dir, 'app', 'known_hosts');
  const store = new KnownHostsStore({ readOnly: [path.join(dir, 'missing')], managed });
  assert.equal((await store.lookup('127.0.0.3', 2222, a.blob)).kind, 'unknown');
  await Promise.all([store.add('127.0.0.3', 2222, a.blob), store.add('leaf-02', 22, b.blob), store.add('::1', 2201, ec.blob)]);
  assert.equal((await store.lookup('127.0.0.3', 2222, a.blob)).kind, 'known');
  assert.equal((await store.lookup('::1', 2201, ec.blob)).kind, 'known');
  assert.equal(readFileSync(managed, 'utf8').split('\n').filter(Boolean).length, 3);
  assert.match(execFileSync('ssh-keygen', ['-F', '[127.0.0.3]:2222', '-f', managed], { encoding: 'utf8' }), /found: line/);
  assert.match(execFileSync('ssh-keygen', ['-F', 'leaf-02', '-f', managed], { encoding: 'utf8' }), /found: line/);
});
