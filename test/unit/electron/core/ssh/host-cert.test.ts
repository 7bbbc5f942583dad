// Host certificates: golden certificates made by ssh-keygen (test/fixtures/host-certs/README.md)
// parse to what `ssh-keygen -L` prints, their CA signatures verify (Ed25519, ECDSA P-256, RSA
// SHA-2 and SHA-1, sk-Ed25519), any damage is caught, and the host checks follow OpenSSH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  HostCertificateError, hostCertificateProblem, isCertificateType, parseCertificate, verifyCertificateSignature, type SshCertificate,
} from '../../../../../electron/core/ssh/host-cert';
import { fingerprintSha256 } from '../../../../../native/sk/publickey';

const FIXTURES = path.join(import.meta.dirname, '../../../../fixtures/host-certs');
const blobOf = (file: string): Buffer => Buffer.from(readFileSync(path.join(FIXTURES, file), 'utf8').split(' ')[1]!, 'base64');
const cert = (name: string): SshCertificate => parseCertificate(blobOf(`${name}-cert.pub`));

const FROM = 1735689600n; // 2025-01-01T00:00:00Z
const TO = 2051222400n; // 2035-01-01T00:00:00Z
const FOREVER = 0xffffffffffffffffn;
const CA = {
  ed25519: 'SHA256:cWuDRROVlMo1LcE7xw/ITfO9LJPRSnsLrRom7lmoUqY',
  ecdsa: 'SHA256:wnUC8T09A2Ajev4e035pm98L65W+6qU8FHlpstce5H4',
  rsa: 'SHA256:EgvUpJ1VeLJ6VhMWwEmnlZpDeAndYeqCz2EVtJ7UlWc',
  sk: 'SHA256:wECDkA2R7P5CeSa7YZXwdbuwmpHeWmMY/RAHaAMhda4',
};

interface Golden {
  name: string;
  type: string;
  hostPub: string;
  certType: 'host' | 'user';
  keyId: string;
  serial: bigint;
  principals: string[];
  validBefore: bigint;
  ca: string;
  signatureType: string;
}

const GOLDEN: Golden[] = [
  { name: 'ed25519-host-by-ed25519-ca', type: 'ssh-ed25519-cert-v01@openssh.com', hostPub: 'host_ed25519.pub', certType: 'host', keyId: 'leaf-02-ed25519', serial: 42n, principals: ['leaf-02', '127.0.0.3'], validBefore: TO, ca: CA.ed25519, signatureType: 'ssh-ed25519' },
  { name: 'ecdsa-host-by-ecdsa-ca', type: 'ecdsa-sha2-nistp256-cert-v01@openssh.com', hostPub: 'host_ecdsa.pub', certType: 'host', keyId: 'leaf-02-ecdsa', serial: 0n, principals: ['leaf-02'], validBefore: TO, ca: CA.ecdsa, signatureType: 'ecdsa-sha2-nistp256' },
  { name: 'rsa-host-by-rsa-ca', type: 'ssh-rsa-cert-v01@openssh.com', hostPub: 'host_rsa.pub', certType: 'host', keyId: 'leaf-02-rsa', serial: 0n, principals: ['leaf-02'], validBefore: TO, ca: CA.rsa, signatureType: 'rsa-sha2-512' },
  { name: 'ed25519-host-by-rsa-ca-sha1', type: 'ssh-ed25519-cert-v01@openssh.com', hostPub: 'host_ed25519.pub', certType: 'host', keyId: 'leaf-02-sha1', serial: 0n, principals: ['leaf-02'], validBefore: TO, ca: CA.rsa, signatureType: 'ssh-rsa' },
  { name: 'ed25519-host-by-sk-ca', type: 'ssh-ed25519-cert-v01@openssh.com', hostPub: 'host_ed25519.pub', certType: 'host', keyId: 'leaf-02-sk-ca', serial: 0n, principals: ['leaf-02'], validBefore: TO, ca: CA.sk, signatureType: 'sk-ssh-ed25519@openssh.com' },
  { name: 'ed25519-user-by-ed25519-ca', type: 'ssh-ed25519-cert-v01@openssh.com', hostPub: 'host_ed25519.pub', certType: 'user', keyId: 'leaf-02-user', serial: 0n, principals: ['leaf-02'], validBefore: TO, ca: CA.ed25519, signatureType: 'ssh-ed25519' },
  { name: 'ed25519-host-no-principals', type: 'ssh-ed25519-cert-v01@openssh.com', hostPub: 'host_ed25519.pub', certType: 'host', keyId: 'leaf-02-any', serial: 0n, principals: [], validBefore: TO, ca: CA.ed25519, signatureType: 'ssh-ed25519' },
  { name: 'ed25519-host-critical-option', type: 'ssh-ed25519-cert-v01@openssh.com', hostPub: 'host_ed25519.pub', certType: 'host', keyId: 'leaf-02-crit', serial: 0n, principals: ['leaf-02'], validBefore: TO, ca: CA.ed25519, signatureType: 'ssh-ed25519' },
  { name: 'ed25519-host-forever', type: 'ssh-ed25519-cert-v01@openssh.com', hostPub: 'host_ed25519.pub', certType: 'host', keyId: 'leaf-02-forever', serial: 0n, principals: ['leaf-02'], validBefore: FOREVER, ca: CA.ed25519, signatureType: 'ssh-ed25519' },
];

for (const g of GOLDEN) {
  test(`golden ${g.name}: fields as ssh-keygen -L prints them, CA signature verifies`, () => {
    const c = cert(g.name);
    assert.equal(c.type, g.type);
    assert.ok(isCertificateType(c.type));
    assert.deepEqual(c.key, blobOf(g.hostPub), 'the certified key is exactly the host key');
    assert.equal(c.certType, g.certType);
    assert.equal(c.keyId, g.keyId);
    assert.equal(c.serial, g.serial);
    assert.deepEqual(c.principals, g.principals);
    assert.equal(c.validAfter, g.validBefore === FOREVER ? 0n : FROM);
    assert.equal(c.validBefore, g.validBefore);
    assert.equal(fingerprintSha256(c.caKey), g.ca);
    assert.equal(c.signatureType, g.signatureType);
    assert.equal(c.nonce.length, 32);
    verifyCertificateSignature(c);

    // Stock ssh-keygen as the oracle for what the certificate says.
    const listed = execFileSync('ssh-keygen', ['-L', '-f', path.join(FIXTURES, `${g.name}-cert.pub`)], { encoding: 'utf8' });
    assert.match(listed, new RegExp(`Public key: \\S+ ${escape(fingerprintSha256(c.key))}\n`));
    assert.match(listed, new RegExp(`Signing CA: \\S+ ${escape(g.ca)} \\(using ${escape(g.signatureType)}\\)`));
    assert.match(listed, new RegExp(`Key ID: "${g.keyId}"\n\\s+Serial: ${g.serial}\n`));
    assert.match(listed, new RegExp(`${g.certType} certificate`));
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

test('critical options and extensions are read as name/data pairs', () => {
  assert.deepEqual(cert('ed25519-host-critical-option').criticalOptions.map((o) => o.name), ['example@nexus.test']);
  assert.deepEqual(cert('ed25519-host-critical-option').extensions, []);
  // ssh-keygen gives user certificates its default permit-* extensions.
  assert.ok(cert('ed25519-user-by-ed25519-ca').extensions.some((e) => e.name === 'permit-pty'));
});

test('host checks follow OpenSSH: role, validity window (after inclusive, before exclusive), exact principals', () => {
  const at = (iso: string) => new Date(iso);
  const c = cert('ed25519-host-by-ed25519-ca');
  const mid = at('2030-06-01T00:00:00Z');
  assert.equal(hostCertificateProblem(c, 'leaf-02', mid), undefined);
  assert.equal(hostCertificateProblem(c, '127.0.0.3', mid), undefined);
  assert.equal(hostCertificateProblem(c, 'leaf-03', mid), 'leaf-03 is not a listed principal');
  assert.equal(hostCertificateProblem(c, 'leaf-0?', mid), 'leaf-0? is not a listed principal', 'no wildcard matching of principals');
  assert.equal(hostCertificateProblem(c, 'leaf-02', at('2025-01-01T00:00:00Z')), undefined);
  assert.equal(hostCertificateProblem(c, 'leaf-02', at('2024-12-31T23:59:59Z')), 'not yet valid');
  assert.equal(hostCertificateProblem(c, 'leaf-02', at('2034-12-31T23:59:59Z')), undefined);
  assert.equal(hostCertificateProblem(c, 'leaf-02', at('2035-01-01T00:00:00Z')), 'expired');
  assert.equal(hostCertificateProblem(cert('ed25519-host-forever'), 'leaf-02', at('2200-01-01T00:00:00Z')), undefined);

  assert.equal(hostCertificateProblem(cert('ed25519-user-by-ed25519-ca'), 'leaf-02', mid), 'not a host certificate');
  assert.equal(hostCertificateProblem(cert('ed25519-host-no-principals'), 'leaf-02', mid), 'the certificate lists no principals');
  assert.match(hostCertificateProblem(cert('ed25519-host-critical-option'), 'leaf-02', mid) ?? '', /critical options/);
  assert.equal(hostCertificateProblem(cert('ed25519-host-by-rsa-ca-sha1'), 'leaf-02', mid), 'the CA signed with ssh-rsa, which is not allowed');
  for (const name of ['ecdsa-host-by-ecdsa-ca', 'rsa-host-by-rsa-ca', 'ed25519-host-by-sk-ca']) {
    assert.equal(hostCertificateProblem(cert(name), 'leaf-02', mid), undefined, name);
  }
});

test('a changed byte in the signed part or in the signature fails the CA signature', () => {
  for (const name of ['ed25519-host-by-ed25519-ca', 'ecdsa-host-by-ecdsa-ca', 'rsa-host-by-rsa-ca', 'ed25519-host-by-sk-ca']) {
    const c = cert(name);
    // The key id's last byte (signed data) and the signature's last byte.
    const keyIdAt = c.signed.indexOf(Buffer.from(c.keyId)) + c.keyId.length - 1;
    for (const at of [keyIdAt, c.signed.length + c.signature.length - 1]) {
      const damaged = Buffer.from(blobOf(`${name}-cert.pub`));
      damaged[at]! ^= 0x01;
      assert.throws(() => verifyCertificateSignature(parseCertificate(damaged)),
        (e: unknown) => e instanceof HostCertificateError && e.code === 'HOST_CERT_SIGNATURE_INVALID', `${name} byte ${at}`);
    }
  }
});

test('a certificate signed by another CA than the one it names does not verify', () => {
  const byEd = cert('ed25519-host-by-ed25519-ca');
  const byEc = cert('ecdsa-host-by-ecdsa-ca');
  const swapped: SshCertificate = { ...byEd, signature: byEc.signature, signatureType: byEc.signatureType };
  assert.throws(() => verifyCertificateSignature(swapped), (e: unknown) => e instanceof HostCertificateError && e.code === 'HOST_CERT_SIGNATURE_INVALID');
});

test('truncated, padded, plain-key and unknown-role blobs are malformed, never another error', () => {
  const blob = blobOf('ed25519-host-by-ed25519-ca-cert.pub');
  const isMalformed = (e: unknown) => e instanceof HostCertificateError && e.code === 'HOST_CERT_MALFORMED';
  for (let len = 0; len < blob.length; len++) assert.throws(() => parseCertificate(blob.subarray(0, len)), isMalformed, `length ${len}`);
  assert.throws(() => parseCertificate(Buffer.concat([blob, Buffer.from([0])])), isMalformed);
  assert.throws(() => parseCertificate(blobOf('host_ed25519.pub')), isMalformed);
  assert.equal(isCertificateType('ssh-ed25519'), false);

  // The role field follows type, nonce, key and serial: set it to 3.
  const c = parseCertificate(blob);
  const roleAt = 4 + c.type.length + 4 + c.nonce.length + (c.key.length - 4 - 'ssh-ed25519'.length) + 8;
  assert.equal(blob.readUInt32BE(roleAt), 2);
  const badRole = Buffer.from(blob);
  badRole.writeUInt32BE(3, roleAt);
  assert.throws(() => parseCertificate(badRole), isMalformed);
});
