// Host certificates (@cert-authority) against private sshds serving certificates made by
// ssh-keygen -s -h, with stock ssh (StrictHostKeyChecking yes, same known_hosts) as the oracle:
// a vouched certificate logs in without a host-key prompt on every hop; a wrong principal, an
// expired certificate or an untrusted CA falls back to the plain key; a revoked CA is a hard stop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog, verifyAuditLog, type AuditEntry } from '../../../electron/core/audit/index';
import type { HostKeyDecision } from '../../../electron/core/prompts/interaction';
import { hashHostName } from '../../../electron/core/ssh/known-hosts';
import { KnownHostsStore } from '../../../electron/core/ssh/known-hosts-store';
import { HostKeyRefusedError, HostKeyRevokedError } from '../../../electron/core/ssh/known-hosts-verify';
import { SessionManager, type Hop, type Target } from '../../../electron/core/ssh/sessions/index';
import { SoftSk, SoftSkSigner } from '../../support/soft-sk';
import { startSshd, type HostCertificateOptions, type Sshd } from '../../support/sshd';
import { sessionInteraction } from '../../support/sessions';
import { waitClosed } from '../../support/sessions-sshd';

const VALID_NOW = '-5m:+1h';

describe('host certificates against private sshds', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-hostcert-'));
  const sshds: Sshd[] = [];
  const key = new SoftSk();
  const newKey = (name: string, ...type: string[]): string => {
    execFileSync('ssh-keygen', ['-q', ...type, '-N', '', '-C', name, '-f', path.join(dir, name)]);
    return path.join(dir, name);
  };
  const keyPart = (file: string): string => readFileSync(`${file}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  const fingerprint = (file: string): string => execFileSync('ssh-keygen', ['-l', '-f', `${file}.pub`], { encoding: 'utf8' }).split(' ')[1]!;
  const ca = newKey('ca', '-t', 'ed25519');
  const otherCa = newKey('other-ca', '-t', 'ed25519');
  const ecCa = newKey('ec-ca', '-t', 'ecdsa', '-b', '256');
  const ecHostKey = newKey('host-ecdsa', '-t', 'ecdsa', '-b', '256');
  const rsaHostKey = newKey('host-rsa', '-t', 'rsa', '-b', '2048');
  const knownHosts = path.join(dir, 'known_hosts');

  let jump: Sshd;
  let leaf: Sshd;
  let wrongPrincipal: Sshd;
  let expired: Sshd;
  let byEcCa: Sshd;
  let ecdsaHost: Sshd;
  let rsaHost: Sshd;

  const sshd = async (listen: string, hostCertificate?: HostCertificateOptions, extraConfig?: string[]): Promise<Sshd> => {
    const s = await startSshd({ authorizedKeys: [key.publicKeyLine], listen, ...(hostCertificate ? { hostCertificate } : {}), ...(extraConfig ? { extraConfig } : {}) });
    sshds.push(s);
    return s;
  };
  /** An extra host key with a certificate, and the server limited to it plus its plain ed25519 key. */
  const extraCertifiedKey = (hostKey: string, signer: string, principal: string, algorithms: string): string[] => {
    execFileSync('ssh-keygen', ['-q', '-s', signer, '-h', '-I', 'extra', '-n', principal, '-V', VALID_NOW, `${hostKey}.pub`]);
    return [`HostKey ${hostKey}`, `HostCertificate ${hostKey}-cert.pub`, `HostKeyAlgorithms ${algorithms},ssh-ed25519`];
  };

  before(async () => {
    jump = await sshd('127.0.0.2', { caKey: ca, principals: ['127.0.0.2'], validity: VALID_NOW });
    leaf = await sshd('127.0.0.20', { caKey: ca, principals: ['leaf-20', '127.0.0.20'], validity: VALID_NOW });
    wrongPrincipal = await sshd('127.0.0.21', { caKey: ca, principals: ['leaf-99'], validity: VALID_NOW });
    expired = await sshd('127.0.0.22', { caKey: ca, principals: ['127.0.0.22'], validity: '-2h:-1h' });
    byEcCa = await sshd('127.0.0.23', { caKey: ecCa, principals: ['127.0.0.23'], validity: VALID_NOW });
    ecdsaHost = await sshd('127.0.0.24', undefined, extraCertifiedKey(ecHostKey, ca, '127.0.0.24', 'ecdsa-sha2-nistp256-cert-v01@openssh.com'));
    rsaHost = await sshd('127.0.0.25', undefined,
      extraCertifiedKey(rsaHostKey, ecCa, '127.0.0.25', 'rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com'));
  });
  after(async () => {
    await Promise.all(sshds.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const hop = (s: Sshd, name: string): Hop & Target => ({ name, user: s.user, host: s.host, port: s.port });
  const plainLine = (s: Sshd): string => `[${s.host}]:${s.port} ${s.hostKeyPub.split(' ').slice(0, 2).join(' ')}`;
  /** What sshd says it negotiated for the latest connection. */
  const lastHostKeyAlgorithm = (s: Sshd): string | undefined => [...s.log().matchAll(/kex: host key algorithm: (\S+)/g)].at(-1)?.[1];

  let runs = 0;
  async function connect(lines: string[], target: Sshd, opts: { viaJump?: boolean; answer?: HostKeyDecision } = {}) {
    writeFileSync(knownHosts, `${lines.join('\n')}\n`);
    const auditFile = path.join(dir, `audit-${++runs}.jsonl`);
    const audit = await AuditLog.open({ file: auditFile });
    const interaction = sessionInteraction(opts.answer ?? 'refuse');
    const signer = new SoftSkSigner([key]);
    const manager = new SessionManager({
      interaction, signer, audit,
      hostKeys: { store: new KnownHostsStore({ readOnly: [knownHosts], managed: path.join(dir, 'managed_known_hosts') }), policy: 'ask' },
    });
    let error: unknown;
    let hostKeyFingerprint: string | undefined;
    try {
      const session = await manager.connect(hop(target, 'leaf'), opts.viaJump ? [hop(jump, 'jump-01')] : [], { command: 'true' });
      hostKeyFingerprint = session.info.hostKeyFingerprint;
      await waitClosed(session);
    } catch (err) {
      error = err;
    } finally {
      manager.closeAll();
      await audit.close();
    }
    const { entries, ok } = await verifyAuditLog(auditFile);
    assert.equal(ok, true);
    const hostKeyEvents = entries.filter((e): e is Extract<AuditEntry, { type: 'host-key' }> => e.type === 'host-key');
    return { error, hostKeyFingerprint, interaction, signer, hostKeyEvents };
  }

  /** Stock ssh with the same known_hosts: did it accept the host key (and go on to fail auth)? */
  function stockSsh(target: Sshd): { verdict: 'accepted' | 'refused' | 'revoked'; stderr: string } {
    const r = spawnSync('ssh', [
      '-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${knownHosts}`,
      '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'IdentityFile=none', '-o', 'IdentityAgent=none', '-o', 'ConnectTimeout=10',
      '-p', String(target.port), `${target.user}@${target.host}`, 'true',
    ], { encoding: 'utf8', timeout: 20_000 });
    const verdict = /REVOKED HOST KEY/.test(r.stderr) ? 'revoked'
      : /Permission denied \(publickey\)/.test(r.stderr) ? 'accepted'
        : /Host key verification failed/.test(r.stderr) ? 'refused' : assert.fail(`stock ssh said: ${r.stderr}`);
    return { verdict, stderr: r.stderr };
  }

  it('a 2-hop chain where the CA vouches for both hops: no host-key prompt, the audit names the CA', async () => {
    const lines = [
      `@cert-authority ${hashHostName(`[127.0.0.2]:${jump.port}`)} ${keyPart(ca)}`,
      `@cert-authority [127.0.0.2?]:* ${keyPart(ca)}`,
    ];
    const r = await connect(lines, leaf, { viaJump: true });
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.interaction.hostKeys.length + r.interaction.mismatches.length, 0);
    assert.equal(r.signer.requests.length, 2);
    assert.equal(r.hostKeyFingerprint, leaf.hostKeyFingerprint, 'the fingerprint is the certified key');
    assert.deepEqual(r.hostKeyEvents.map((e) => [e.host, e.decision, e.keyType, e.fingerprint, e.ca]), [
      ['127.0.0.2', 'certificate', 'ssh-ed25519-cert-v01@openssh.com', jump.hostKeyFingerprint, fingerprint(ca)],
      ['127.0.0.20', 'certificate', 'ssh-ed25519-cert-v01@openssh.com', leaf.hostKeyFingerprint, fingerprint(ca)],
    ]);
    assert.equal(lastHostKeyAlgorithm(jump), 'ssh-ed25519-cert-v01@openssh.com');
    assert.equal(lastHostKeyAlgorithm(leaf), 'ssh-ed25519-cert-v01@openssh.com');
    assert.equal(stockSsh(jump).verdict, 'accepted');
    assert.equal(stockSsh(leaf).verdict, 'accepted');
  });

  it('hosts without a @cert-authority line: the certificate is offered first as stock ssh does, and the known plain key decides', async () => {
    const lines = [plainLine(jump), plainLine(leaf), `@cert-authority [127.0.0.99]:* ${keyPart(ca)}`];
    const r = await connect(lines, leaf, { viaJump: true });
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.interaction.hostKeys.length, 0);
    assert.deepEqual(r.hostKeyEvents.map((e) => [e.host, e.decision, e.reason]), [
      ['127.0.0.2', 'certificate-rejected', 'no @cert-authority line for this host names its CA'],
      ['127.0.0.20', 'certificate-rejected', 'no @cert-authority line for this host names its CA'],
    ]);
    const ours = [lastHostKeyAlgorithm(jump), lastHostKeyAlgorithm(leaf)];
    assert.equal(stockSsh(jump).verdict, 'accepted');
    assert.equal(stockSsh(leaf).verdict, 'accepted');
    assert.deepEqual(ours, [lastHostKeyAlgorithm(jump), lastHostKeyAlgorithm(leaf)], 'the algorithm stock ssh negotiates');
    assert.deepEqual(ours, ['ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519-cert-v01@openssh.com']);
  });

  it('wrong principal: the plain key decides (unknown → prompt; known → in), as stock ssh does', async () => {
    const caLine = `@cert-authority * ${keyPart(ca)}`;
    const unknown = await connect([caLine], wrongPrincipal, { answer: 'trust-once' });
    assert.equal(unknown.error, undefined, String(unknown.error));
    assert.deepEqual(unknown.interaction.hostKeys.map((q) => [q.keyType, q.fingerprint]), [['ssh-ed25519', wrongPrincipal.hostKeyFingerprint]]);
    assert.deepEqual(unknown.hostKeyEvents.map((e) => e.decision), ['certificate-rejected', 'trust-once']);
    assert.equal(unknown.hostKeyEvents[0]?.reason, '127.0.0.21 is not a listed principal');
    assert.equal(unknown.hostKeyEvents[0]?.ca, fingerprint(ca));
    const oracle = stockSsh(wrongPrincipal);
    assert.equal(oracle.verdict, 'refused');
    assert.match(oracle.stderr, /name is not a listed principal/);

    const known = await connect([caLine, plainLine(wrongPrincipal)], wrongPrincipal);
    assert.equal(known.error, undefined, String(known.error));
    assert.equal(known.interaction.hostKeys.length, 0);
    assert.equal(stockSsh(wrongPrincipal).verdict, 'accepted');
  });

  it('expired certificate: falls back to the plain key; refusing it stops the connect', async () => {
    const r = await connect([`@cert-authority * ${keyPart(ca)}`], expired, { answer: 'refuse' });
    assert.ok(r.error instanceof HostKeyRefusedError, String(r.error));
    assert.equal(r.interaction.hostKeys.length, 1);
    assert.deepEqual(r.hostKeyEvents.map((e) => [e.decision, e.reason]), [['certificate-rejected', 'expired'], ['refuse', undefined]]);
    assert.equal(r.signer.requests.length, 0);
    const oracle = stockSsh(expired);
    assert.equal(oracle.verdict, 'refused');
    assert.match(oracle.stderr, /Certificate invalid: expired/);
  });

  it('untrusted CA: a known plain key still lets the host in, without a prompt', async () => {
    const r = await connect([`@cert-authority * ${keyPart(otherCa)}`, plainLine(leaf)], leaf);
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.interaction.hostKeys.length, 0);
    assert.equal(lastHostKeyAlgorithm(leaf), 'ssh-ed25519-cert-v01@openssh.com', 'the certificate was offered and looked at');
    assert.deepEqual(r.hostKeyEvents.map((e) => [e.decision, e.ca, e.reason]), [
      ['certificate-rejected', fingerprint(ca), 'no @cert-authority line for this host names its CA'],
    ]);
    assert.equal(stockSsh(leaf).verdict, 'accepted');
  });

  it('revoked CA: hard stop before any signature, even with the plain key on record', async () => {
    const r = await connect([`@cert-authority * ${keyPart(ca)}`, `@revoked * ${keyPart(ca)}`, plainLine(leaf)], leaf, { answer: 'trust-once' });
    assert.ok(r.error instanceof HostKeyRevokedError && r.error.revoked === 'ca', String(r.error));
    assert.equal(r.interaction.hostKeys.length + r.interaction.mismatches.length, 0);
    assert.equal(r.signer.requests.length, 0);
    assert.deepEqual(r.hostKeyEvents.map((e) => [e.decision, e.ca]), [['refuse', fingerprint(ca)]]);
    assert.equal(stockSsh(leaf).verdict, 'revoked');
  });

  it('an ECDSA P-256 CA, an ECDSA host certificate and an RSA host certificate (rsa-sha2-512) are vouched for', async () => {
    const cases: [Sshd, string, string, string, string][] = [
      [byEcCa, ecCa, 'ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519-cert-v01@openssh.com', byEcCa.hostKeyFingerprint],
      [ecdsaHost, ca, 'ecdsa-sha2-nistp256-cert-v01@openssh.com', 'ecdsa-sha2-nistp256-cert-v01@openssh.com', fingerprint(ecHostKey)],
      [rsaHost, ecCa, 'ssh-rsa-cert-v01@openssh.com', 'rsa-sha2-512-cert-v01@openssh.com', fingerprint(rsaHostKey)],
    ];
    for (const [target, signer, keyType, algorithm, hostFingerprint] of cases) {
      const r = await connect([`@cert-authority * ${keyPart(signer)}`], target);
      assert.equal(r.error, undefined, `${keyType}: ${String(r.error)}`);
      assert.equal(r.interaction.hostKeys.length, 0, keyType);
      assert.equal(lastHostKeyAlgorithm(target), algorithm);
      assert.equal(r.hostKeyFingerprint, hostFingerprint, keyType);
      assert.deepEqual(r.hostKeyEvents.map((e) => [e.decision, e.keyType, e.ca]), [['certificate', keyType, fingerprint(signer)]]);
      assert.equal(stockSsh(target).verdict, 'accepted', keyType);
    }
  });
});
