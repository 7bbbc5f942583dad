import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { DrillAuthenticator, passwordAccount, type AuthRequest } from '../../../../electron/drill/auth';
import { parseDrillConfig } from '../../../../electron/drill/config';
import { formatPublicKeyLine } from '../../../../native/sk/publickey';
import { SshWriter } from '../../../../native/sk/wire';
import { SkKeyType } from '../../../../native/sk/types';
import { SoftSk } from '../../../support/soft-sk';

const uvKey = new SoftSk();
const ecKey = new SoftSk({ type: SkKeyType.EcdsaP256 });
const upOnly = new SoftSk({ assertionFlags: 0x01 });
const plainEd = generateKeyPairSync('ed25519').publicKey;
const plainBlob = new SshWriter().string('ssh-ed25519').string(Buffer.from(plainEd.export({ format: 'jwk' }).x!, 'base64url')).toBuffer();
const config = parseDrillConfig({
  users: [
    { name: 'alice', role: 'writer', keys: [uvKey.publicKeyLine, upOnly.publicKeyLine] },
    { name: 'bob', role: 'reader', keys: [ecKey.publicKeyLine, formatPublicKeyLine(plainBlob, 'plain')] },
  ],
});
const DATA = Buffer.from('session id + userauth request');

const pk = (user: string, key: SoftSk, sign = true, data = DATA): AuthRequest => ({
  method: 'publickey', user, keyAlgo: key.publicKey.type, keyBlob: key.blob,
  ...(sign ? { signature: key.signBlob(data), signedData: DATA } : {}),
});

test('sk signatures verify; flags and counter are reported; the role comes from the config', () => {
  const auth = new DrillAuthenticator(config, { requireUv: true });
  const counter = uvKey.counter;
  const d = auth.decide(pk('alice', uvKey));
  assert.deepEqual(d, { kind: 'accept', user: 'alice', role: 'writer', method: 'publickey', keyFingerprint: d.keyFingerprint, flags: 0x05, counter });
  assert.equal(auth.decide(pk('bob', ecKey)).kind, 'accept');
  assert.equal(auth.decide(pk('alice', uvKey, false)).kind, 'key-ok');
});

test('refusals: UV where required, UP always, unknown user or key, plain keys, wrong data', () => {
  const strict = new DrillAuthenticator(config, { requireUv: true });
  const lax = new DrillAuthenticator(config, { requireUv: false });
  const reason = (a: DrillAuthenticator, r: AuthRequest) => {
    const d = a.decide(r);
    return d.kind === 'refuse' ? d.reason : d.kind;
  };
  assert.equal(reason(strict, pk('alice', upOnly)), 'uv-missing');
  assert.equal(reason(lax, pk('alice', upOnly)), 'accept');
  assert.equal(reason(lax, pk('alice', new SoftSk({ assertionFlags: 0x04 }))), 'unknown-key');
  const noTouch = new SoftSk({ assertionFlags: 0x04 });
  const withNoTouch = new DrillAuthenticator(parseDrillConfig({ users: [{ name: 'x', role: 'reader', keys: [noTouch.publicKeyLine] }] }), { requireUv: false });
  assert.equal(reason(withNoTouch, pk('x', noTouch)), 'up-missing');
  assert.equal(reason(strict, pk('mallory', uvKey)), 'unknown-user');
  assert.equal(reason(strict, pk('bob', uvKey)), 'unknown-key');
  assert.equal(reason(strict, pk('alice', uvKey, true, Buffer.from('other data'))), 'bad-signature');
  assert.equal(reason(strict, { method: 'publickey', user: 'bob', keyAlgo: 'ssh-ed25519', keyBlob: plainBlob, signature: Buffer.alloc(83), signedData: DATA }), 'not-sk-key');
  assert.equal(reason(strict, { ...pk('alice', uvKey), keyAlgo: 'ssh-ed25519' } as AuthRequest), 'not-sk-key');
  assert.equal(reason(strict, { method: 'password', user: 'alice', password: 'x' }), 'method-not-allowed');
});

test('v1.5 devices take only the shared account passwords', () => {
  const auth = new DrillAuthenticator(config, { requireUv: true, passwords: [passwordAccount('TelcoRO', 'reader', 'abcd-efgh-jkmn')] });
  assert.deepEqual(auth.methods, ['password']);
  assert.deepEqual(auth.decide({ method: 'password', user: 'TelcoRO', password: 'abcd-efgh-jkmn' }), { kind: 'accept', user: 'TelcoRO', role: 'reader', method: 'password' });
  assert.equal((auth.decide({ method: 'password', user: 'TelcoRO', password: 'abcd-efgh-jkmm' }) as { reason: string }).reason, 'wrong-password');
  assert.equal((auth.decide({ method: 'password', user: 'TelcoRW', password: 'abcd-efgh-jkmn' }) as { reason: string }).reason, 'unknown-user');
  assert.equal((auth.decide(pk('alice', uvKey)) as { reason: string }).reason, 'method-not-allowed');
  const account = passwordAccount('TelcoRW', 'writer', 'secret-pass');
  assert.ok(!JSON.stringify(account).includes('secret-pass'));
});

test('drill configs are validated', () => {
  assert.throws(() => parseDrillConfig({ users: [{ name: 'a', role: 'admin', keys: [uvKey.publicKeyLine] }] }), { code: 'DRILL_CONFIG_INVALID' });
  assert.throws(() => parseDrillConfig({ users: [{ name: 'a', role: 'reader', keys: ['ssh-ed25519 AAAA'] }] }), /not an OpenSSH public key line/);
  assert.throws(() => parseDrillConfig({ users: [{ name: 'a b', role: 'reader', keys: [uvKey.publicKeyLine] }] }), { code: 'DRILL_CONFIG_INVALID' });
  assert.throws(() => parseDrillConfig({ users: [], extra: 1 }), { code: 'DRILL_CONFIG_INVALID' });
});
