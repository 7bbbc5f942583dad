import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  encodeSkPublicKeyBlob, fingerprintLine, fingerprintSha256, formatPublicKeyLine, isValidPublicKeyLine, parsePublicKeyBlob, parsePublicKeyLine,
} from '../../../../native/sk/publickey';
import { SkKeyType } from '../../../../native/sk/types';
import { SshWriter } from '../../../../native/sk/wire';
import { SoftSk } from '../../../support/soft-sk';

// Example line from ctap2-openssh-sk.md 4.1 (produced and checked with stock ssh-keygen).
const DOC_LINE = 'sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIBR97D2zA0x/azU8x6BqBYpFL13FbQoTz9A7m+cie/tZAAAABHNzaDo= NexusIdentitySSHKey';

describe('sk public keys', () => {
  it('parses the documented ed25519-sk line and re-encodes it byte for byte', () => {
    const { key, comment } = parsePublicKeyLine(DOC_LINE);
    assert.equal(comment, 'NexusIdentitySSHKey');
    assert.equal(key.sk?.type, SkKeyType.Ed25519);
    assert.equal(key.sk?.application, 'ssh:');
    assert.equal(key.sk?.publicKey.toString('hex'), '147dec3db3034c7f6b353cc7a06a058a452f5dc56d0a13cfd03b9be7227bfb59');
    assert.equal(formatPublicKeyLine(encodeSkPublicKeyBlob(key.sk!), comment), `${DOC_LINE}\n`);
  });

  it('lays out the ecdsa-sk blob as type, "nistp256", Q, application', () => {
    const k = new SoftSk({ type: SkKeyType.EcdsaP256, application: 'ssh:nexus' });
    const expected = new SshWriter().string(SkKeyType.EcdsaP256).string('nistp256').string(k.publicKey.publicKey).string('ssh:nexus').toBuffer();
    assert.deepEqual(k.blob, expected);
    assert.deepEqual(parsePublicKeyBlob(k.blob).sk, k.publicKey);
  });

  it('rejects damaged or foreign keys with PublicKeyFormatError', () => {
    const k = new SoftSk();
    const code = { code: 'SSH_PUBLIC_KEY_INVALID' };
    assert.throws(() => parsePublicKeyBlob(Buffer.concat([k.blob, Buffer.from([0])])), code);
    assert.throws(() => parsePublicKeyBlob(k.blob.subarray(0, k.blob.length - 1)), code);
    assert.throws(() => parsePublicKeyBlob(new SshWriter().string(SkKeyType.Ed25519).string(Buffer.alloc(31)).string('ssh:').toBuffer()), code);
    const ec = new SoftSk({ type: SkKeyType.EcdsaP256 });
    const offCurve = Buffer.from(ec.publicKey.publicKey);
    offCurve[64] = offCurve[64]! ^ 1;
    assert.throws(() => encodeSkPublicKeyBlob({ ...ec.publicKey, publicKey: offCurve }), /not on the curve/);
    assert.throws(() => parsePublicKeyBlob(new SshWriter().string('ssh-dss').toBuffer()), /unsupported key type/);
    assert.throws(() => parsePublicKeyLine(`ssh-ed25519 ${k.blob.toString('base64')} x`), /line says ssh-ed25519/);
    assert.throws(() => parsePublicKeyLine(`${SkKeyType.Ed25519} ${k.blob.toString('base64').slice(1)}`), code);
    assert.equal(isValidPublicKeyLine('not a key'), false);
    assert.equal(isValidPublicKeyLine(k.publicKeyLine), true);
  });
});

describe('ordinary OpenSSH public keys (stock ssh-keygen as oracle)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-pub-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cases: [string, string[]][] = [
    ['ed25519', []], ['rsa', ['-b', '3072']], ['ecdsa', ['-b', '256']], ['ecdsa', ['-b', '384']], ['ecdsa', ['-b', '521']],
  ];
  for (const [type, extra] of cases) {
    it(`validates ${type} ${extra.join(' ')} lines and prints ssh-keygen -l's exact line`, () => {
      const file = path.join(dir, `${type}${extra.join('')}`);
      execFileSync('ssh-keygen', ['-q', '-t', type, ...extra, '-N', '', '-C', `c ${type}`, '-f', file]);
      const line = readFileSync(`${file}.pub`, 'utf8');
      const { key, comment } = parsePublicKeyLine(line);
      assert.equal(comment, `c ${type}`);
      assert.equal(formatPublicKeyLine(key.blob, comment), line);
      assert.equal(`${fingerprintLine(key.blob, comment)}\n`, execFileSync('ssh-keygen', ['-l', '-f', `${file}.pub`], { encoding: 'utf8' }));
    });
  }

  it('fingerprints sk keys exactly as ssh-keygen -l does, comment or not', () => {
    for (const type of [SkKeyType.Ed25519, SkKeyType.EcdsaP256]) {
      const k = new SoftSk({ type });
      const file = path.join(dir, `sk-${type.length}.pub`);
      writeFileSync(file, formatPublicKeyLine(k.blob, ''));
      const oracle = execFileSync('ssh-keygen', ['-l', '-f', file], { encoding: 'utf8' });
      assert.equal(`${fingerprintLine(k.blob, '')}\n`, oracle);
      assert.match(oracle, new RegExp(fingerprintSha256(k.blob).replace(/[+/]/g, '\\$&')));
    }
  });
});
