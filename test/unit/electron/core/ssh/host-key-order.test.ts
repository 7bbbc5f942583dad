// OpenSSH's order_hostkeyalgs (sshconnect2.c): what is on record for the host goes first, the
// default order is kept within each half, and a recorded first choice leaves the list as it is.
// The integration test host-key-order.test.ts holds the same function to stock ssh's own proposal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_HOST_KEY_ALGORITHMS, orderHostKeyAlgorithms, plainKeyType } from '../../../../../electron/core/ssh/host-key-order';
import { entriesForHost, parseKnownHosts } from '../../../../../electron/core/ssh/known-hosts';

const FIXTURES = path.join(import.meta.dirname, '../../../../fixtures/host-certs');
const keyPart = (file: string): string => readFileSync(path.join(FIXTURES, file), 'utf8').split(' ').slice(0, 2).join(' ');
const ED = keyPart('host_ed25519.pub');
const CA = keyPart('ca_ed25519.pub');
const EC = keyPart('host_ecdsa.pub');
const RSA = keyPart('host_rsa.pub');

const order = (lines: string[], host: string, port = 22): string[] =>
  orderHostKeyAlgorithms(DEFAULT_HOST_KEY_ALGORITHMS, entriesForHost(parseKnownHosts(lines.join('\n'), 'kh').entries, host, port));

test('plainKeyType: certificates map to the key they certify, RSA signatures to ssh-rsa, ECDSA keeps its curve', () => {
  assert.equal(plainKeyType('ssh-ed25519-cert-v01@openssh.com'), 'ssh-ed25519');
  assert.equal(plainKeyType('rsa-sha2-256-cert-v01@openssh.com'), 'ssh-rsa');
  assert.equal(plainKeyType('rsa-sha2-512'), 'ssh-rsa');
  assert.equal(plainKeyType('ecdsa-sha2-nistp384'), 'ecdsa-sha2-nistp384');
});

test('nothing on record: the default list as it is', () => {
  assert.deepEqual(order([], 'leaf-02'), DEFAULT_HOST_KEY_ALGORITHMS);
  assert.deepEqual(order([`leaf-03 ${EC}`], 'leaf-02'), DEFAULT_HOST_KEY_ALGORITHMS);
});

test('an ECDSA P-256 key on record: its certificate and plain algorithm first, the rest in default order', () => {
  const got = order([`leaf-02,10.0.0.2 ${EC}`], 'leaf-02');
  assert.deepEqual(got.slice(0, 2), ['ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp256']);
  assert.deepEqual(got.slice(2), DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !got.slice(0, 2).includes(a)));
});

test('[host]:port decides: the key recorded for port 22 does not count on port 2222', () => {
  assert.deepEqual(order([`leaf-02 ${EC}`], 'leaf-02', 2222), DEFAULT_HOST_KEY_ALGORITHMS);
  assert.equal(order([`[leaf-02]:2222 ${EC}`], 'leaf-02', 2222)[0], 'ecdsa-sha2-nistp256-cert-v01@openssh.com');
});

test('ed25519 on record (the first choice): verbatim, even beside an ECDSA key', () => {
  assert.deepEqual(order([`leaf-02 ${EC}`, `leaf-02 ${ED}`], 'leaf-02'), DEFAULT_HOST_KEY_ALGORITHMS);
});

test('a @cert-authority line pulls every certificate algorithm forward; @revoked lines pull nothing', () => {
  const got = order([`@cert-authority leaf-* ${CA}`, `leaf-02 ${EC}`], 'leaf-02');
  const certs = DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => a.endsWith('-cert-v01@openssh.com'));
  // ssh-ed25519-cert leads, but plain ssh-ed25519 is not on record: the list is reordered.
  assert.deepEqual(got, [...certs, 'ecdsa-sha2-nistp256', ...DEFAULT_HOST_KEY_ALGORITHMS.filter((a) => !certs.includes(a) && a !== 'ecdsa-sha2-nistp256')]);
  assert.deepEqual(order([`@revoked leaf-02 ${EC}`], 'leaf-02'), DEFAULT_HOST_KEY_ALGORITHMS);
});

test('an RSA key on record brings every RSA signature algorithm forward', () => {
  const got = order([`leaf-02 ${RSA}`], 'leaf-02');
  assert.deepEqual(got.slice(0, 5), ['rsa-sha2-512-cert-v01@openssh.com', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
});
