import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  decryptPrivateSection, parseKeyFileEnvelope, parseSkKeyFile, readSkKeyFile, serializeSkKeyFile, writeSkKeyFile, writeSkKeyPair,
} from '../../../../native/sk/keyfile';
import { encodeSkPublicKeyBlob, fingerprintLine, formatPublicKeyLine } from '../../../../native/sk/publickey';
import { SkKeyType } from '../../../../native/sk/types';
import { SshReader, SshWriter } from '../../../../native/sk/wire';
import { SoftSk } from '../../../support/soft-sk';
import { FIXTURES, GOLDEN_CHECKINT, GOLDEN_PASSPHRASE, goldenKeyFiles, PLAIN_ED25519_PASSPHRASE } from '../../../support/sk-golden';

const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, { pub: string; fingerprint: string }>;
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const keygen = (...args: string[]) => execFileSync('ssh-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('openssh-key-v1 golden vectors', () => {
  for (const { name, handle } of goldenKeyFiles()) {
    it(`${name}: writer output is byte-identical to the vector`, () => {
      assert.equal(serializeSkKeyFile(handle, GOLDEN_CHECKINT), fixture(`${name}.key`));
    });

    it(`${name}: reads the plain and the ssh-keygen-encrypted file to the same handle`, async () => {
      assert.deepEqual(await parseSkKeyFile(fixture(`${name}.key`), name), handle);
      const asked: string[] = [];
      const enc = await parseSkKeyFile(fixture(`${name}.pass.key`), 'enc', { passphrase: async (f) => { asked.push(f); return GOLDEN_PASSPHRASE; } });
      assert.deepEqual(enc, handle);
      assert.deepEqual(asked, ['enc']);
      const env = parseKeyFileEnvelope(fixture(`${name}.pass.key`), 'enc');
      assert.equal(env.cipherName, 'aes256-ctr');
      assert.equal(env.kdfName, 'bcrypt');
    });

    it(`${name}: .pub line and fingerprint equal what stock ssh-keygen printed`, () => {
      const blob = encodeSkPublicKeyBlob(handle);
      assert.equal(formatPublicKeyLine(blob, handle.comment), expected[name]!.pub);
      assert.equal(`${fingerprintLine(blob, handle.comment)}\n`, expected[name]!.fingerprint);
    });
  }

  it('reads flags 0x35 unchanged', async () => {
    const h = await parseSkKeyFile(fixture('sk-ed25519-0x35.key'), 'x');
    assert.equal(h.flags, 0x35);
  });

  it('wrong passphrase and cancelled prompt give typed errors', async () => {
    await assert.rejects(parseSkKeyFile(fixture('sk-ecdsa-0x01.pass.key'), 'k', { passphrase: async () => 'nope' }), { code: 'KEYFILE_WRONG_PASSPHRASE' });
    await assert.rejects(parseSkKeyFile(fixture('sk-ecdsa-0x01.pass.key'), 'k', { passphrase: async () => null }), { code: 'KEYFILE_PASSPHRASE_REQUIRED' });
    await assert.rejects(parseSkKeyFile(fixture('sk-ecdsa-0x01.pass.key'), 'k'), { code: 'KEYFILE_PASSPHRASE_REQUIRED' });
  });

  it('decrypts a stock ed25519 file (bcrypt + aes256-ctr) but refuses it as not an sk key', async () => {
    const text = fixture('ed25519.pass.key');
    const env = parseKeyFileEnvelope(text, 'ed');
    const section = decryptPrivateSection(env, PLAIN_ED25519_PASSPHRASE, 'ed');
    const r = new SshReader(section);
    r.raw(8);
    assert.equal(r.utf8(), 'ssh-ed25519');
    assert.deepEqual(new SshWriter().string('ssh-ed25519').string(r.string()).toBuffer(), env.publicKeyBlob);
    assert.equal(formatPublicKeyLine(env.publicKeyBlob, 'plain ed25519'), expected['ed25519']!.pub);
    assert.throws(() => decryptPrivateSection(env, 'wrong', 'ed'), { code: 'KEYFILE_WRONG_PASSPHRASE' });
    let asked = false;
    await assert.rejects(parseSkKeyFile(text, 'id_ed25519', { passphrase: async () => { asked = true; return PLAIN_ED25519_PASSPHRASE; } }),
      { code: 'KEYFILE_NOT_SK', message: /id_ed25519 holds an ssh-ed25519 key, not a security-key/ });
    assert.equal(asked, false, 'no passphrase prompt for a key that cannot be used anyway');
  });

  it('garbled and truncated files are KEYFILE_MALFORMED', async () => {
    const good = fixture('sk-ed25519-0x35.key');
    const lines = good.split('\n');
    const truncated = [...lines.slice(0, 3), lines.at(-2)!, ''].join('\n');
    await assert.rejects(parseSkKeyFile(truncated, 't'), { code: 'KEYFILE_MALFORMED' });
    await assert.rejects(parseSkKeyFile('hello', 't'), { code: 'KEYFILE_MALFORMED' });
    await assert.rejects(parseSkKeyFile(good.replace('b3BlbnNz', 'b3BlbnNA'), 't'), { code: 'KEYFILE_MALFORMED' });
    // Flip one byte inside the private section: check integers no longer match.
    const env = parseKeyFileEnvelope(good, 'g');
    const rebuild = (section: Buffer, cipher = 'none', kdf = 'none', kdfOptions = Buffer.alloc(0)) => {
      const body = new SshWriter().raw(Buffer.from('openssh-key-v1\0', 'latin1')).string(cipher).string(kdf).string(kdfOptions).uint32(1)
        .string(env.publicKeyBlob).string(section).toBuffer();
      return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    };
    assert.deepEqual((await parseSkKeyFile(rebuild(env.privateSection), 'same')).keyHandle.length, 64);
    const flipped = Buffer.from(env.privateSection);
    flipped[2] = flipped[2]! ^ 0xff;
    await assert.rejects(parseSkKeyFile(rebuild(flipped), 'f'), { code: 'KEYFILE_MALFORMED', message: /check integers/ });
    const badPad = Buffer.from(env.privateSection);
    badPad[badPad.length - 1] = badPad[badPad.length - 1]! ^ 0xff;
    await assert.rejects(parseSkKeyFile(rebuild(badPad), 'p'), { code: 'KEYFILE_MALFORMED', message: /padding/ });
    await assert.rejects(parseSkKeyFile(rebuild(env.privateSection, 'aes256-ctr', 'scrypt', Buffer.alloc(4)), 'k', { passphrase: async () => 'x' }),
      { code: 'KEYFILE_UNSUPPORTED', message: /scrypt/ });
  });
});

describe('handle files with stock ssh-keygen as the oracle', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-keyfile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const type of [SkKeyType.Ed25519, SkKeyType.EcdsaP256]) {
    it(`${type}: ssh-keygen -y/-l on our files print our exact line and fingerprint`, async () => {
      const k = new SoftSk({ type });
      const file = path.join(dir, `id_${type.slice(3, 8)}_sk`);
      await writeSkKeyPair(file, k.handle);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(readFileSync(`${file}.pub`, 'utf8'), k.publicKeyLine);
      const pubOnly = path.join(dir, 'private-only');
      copyFileSync(file, pubOnly);
      assert.equal(keygen('-y', '-f', pubOnly), k.publicKeyLine);
      assert.equal(keygen('-l', '-f', pubOnly), `${fingerprintLine(k.blob, k.handle.comment)}\n`);
      rmSync(pubOnly);
      assert.deepEqual(await readSkKeyFile(file), k.handle);
    });
  }

  it('refuses to replace an existing file unless overwrite is explicit', async () => {
    const a = new SoftSk();
    const b = new SoftSk();
    const file = path.join(dir, 'exists');
    await writeSkKeyFile(file, a.handle);
    await assert.rejects(writeSkKeyFile(file, b.handle), { code: 'FILE_EXISTS' });
    assert.deepEqual(await readSkKeyFile(file), a.handle);
    await writeSkKeyFile(file, b.handle, { overwrite: true });
    assert.deepEqual(await readSkKeyFile(file), b.handle);
  });

  it('reads a file ssh-keygen re-encrypted with a cipher we do not support as KEYFILE_UNSUPPORTED', async () => {
    const k = new SoftSk({ type: SkKeyType.EcdsaP256 });
    const file = path.join(dir, 'gcm');
    await writeSkKeyFile(file, k.handle);
    keygen('-q', '-p', '-N', 'pw', '-Z', 'aes256-gcm@openssh.com', '-f', file);
    await assert.rejects(readSkKeyFile(file, { passphrase: async () => 'pw' }), { code: 'KEYFILE_UNSUPPORTED', message: /aes256-gcm/ });
    // The comment survives the stock tool's rewrite byte for byte.
    keygen('-q', '-p', '-P', 'pw', '-N', 'pw2', '-Z', 'aes256-ctr', '-f', file);
    assert.deepEqual(await readSkKeyFile(file, { passphrase: async () => 'pw2' }), k.handle);
    writeFileSync(file, '');
    await assert.rejects(readSkKeyFile(file), { code: 'KEYFILE_MALFORMED' });
  });
});
