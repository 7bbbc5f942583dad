// @cert-authority in known_hosts: which lines vouch for a host certificate (host patterns as for
// plain keys, @revoked CA or certified key), the decision a connect makes with it (vouched → no
// prompt; anything else → the certified key on its own, as OpenSSH), and the algorithms offered.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConnectConfig } from 'ssh2';
import type { AuditEventInput } from '../../../../../electron/core/audit/index';
import { HOST_CERT_ALGORITHMS, parseCertificate } from '../../../../../electron/core/ssh/host-cert';
import { entriesForHost, hashHostName, lookupHostCertificate, parseKnownHosts, type KnownHostEntry } from '../../../../../electron/core/ssh/known-hosts';
import { DEFAULT_HOST_KEY_ALGORITHMS } from '../../../../../electron/core/ssh/host-key-order';
import { KnownHostsStore } from '../../../../../electron/core/ssh/known-hosts-store';
import {
  HostCertificateInvalidError, HostKeyRefusedError, HostKeyRevokedError, hostKeyAlgorithms, verifyHostKey, type HostKeyCheck,
} from '../../../../../electron/core/ssh/known-hosts-verify';
import { ScriptedInteraction } from '../../../../support/scripted-interaction';

const FIXTURES = path.join(import.meta.dirname, '../../../../fixtures/host-certs');
const keyPart = (file: string): string => readFileSync(path.join(FIXTURES, file), 'utf8').split(' ').slice(0, 2).join(' ');
const blobOf = (file: string): Buffer => Buffer.from(keyPart(file).split(' ')[1]!, 'base64');

const dir = mkdtempSync(path.join(os.tmpdir(), 'nbg-khc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CA_ED = keyPart('ca_ed25519.pub');
const CA_EC = keyPart('ca_ecdsa.pub');
const HOST_ED = keyPart('host_ed25519.pub');
/** Principals leaf-02 and 127.0.0.3, valid 2025-01-01 to 2035-01-01. */
const CERT = blobOf('ed25519-host-by-ed25519-ca-cert.pub');
const HOST_FP = 'SHA256:r08xMPVxPsWLrUmlLJSC4YVpWu4xFL8E3AX4pX6Isw0';
const CA_ED_FP = 'SHA256:cWuDRROVlMo1LcE7xw/ITfO9LJPRSnsLrRom7lmoUqY';
const IN_VALIDITY = new Date('2030-01-01T00:00:00Z');
const context = { purpose: 'sign in to leaf-02 via jump-01', hop: 'leaf-02' };

test('a @cert-authority line vouches when its patterns match the host as a plain line would, and names the CA', () => {
  const cert = parseCertificate(CERT);
  const lookup = (lines: string[], host: string, port = 22) => lookupHostCertificate(parseKnownHosts(lines.join('\n'), 'kh').entries, host, port, cert);
  assert.equal(lookup([`@cert-authority leaf-02 ${CA_ED}`], 'leaf-02').kind, 'vouched');
  assert.equal(lookup([`@cert-authority *.fabric.example,leaf-* ${CA_ED}`], 'leaf-02').kind, 'vouched');
  assert.equal(lookup([`@cert-authority leaf-*,!leaf-02 ${CA_ED}`], 'leaf-02').kind, 'no-ca');
  assert.equal(lookup([`@cert-authority [127.0.0.3]:2222 ${CA_ED}`], '127.0.0.3', 2222).kind, 'vouched');
  assert.equal(lookup([`@cert-authority [127.0.0.3]:2222 ${CA_ED}`], '127.0.0.3').kind, 'no-ca');
  assert.equal(lookup([`@cert-authority ${hashHostName('[127.0.0.3]:2222')} ${CA_ED}`], '127.0.0.3', 2222).kind, 'vouched');
  assert.equal(lookup([`@cert-authority leaf-02 ${CA_EC}`], 'leaf-02').kind, 'no-ca', 'another CA');
  assert.equal(lookup([`leaf-02 ${CA_ED}`], 'leaf-02').kind, 'no-ca', 'a plain line with the CA key is no CA line');
  assert.equal(lookup([`@cert-authority leaf-02 ${CA_ED}`], 'leaf-03').kind, 'no-ca');

  const vouched = lookup(['# ca', `@cert-authority * ${CA_EC}`, `@cert-authority leaf-* ${CA_ED}`], 'leaf-02');
  assert.equal(vouched.kind === 'vouched' && vouched.entry.source, 'kh:3');
});

test('@revoked for the certified key or the CA wins over a vouching CA line; only for matching hosts', () => {
  const cert = parseCertificate(CERT);
  const lookup = (lines: string[]) => lookupHostCertificate(parseKnownHosts(lines.join('\n'), 'kh').entries, 'leaf-02', 22, cert);
  const ca = `@cert-authority * ${CA_ED}`;
  assert.deepEqual(lookup([ca, `@revoked * ${CA_ED}`]), { kind: 'revoked', revoked: 'ca', entry: parseKnownHosts(`${ca}\n@revoked * ${CA_ED}`, 'kh').entries[1] });
  const key = lookup([`@revoked leaf-02 ${HOST_ED}`, ca]);
  assert.equal(key.kind === 'revoked' && key.revoked, 'key');
  assert.equal(lookup([ca, `@revoked leaf-03 ${CA_ED}`]).kind, 'vouched');
});

const certAuthorityApplies = (entries: KnownHostEntry[], host: string, port: number): boolean =>
  entriesForHost(entries, host, port).some((e) => e.marker === 'cert-authority');

test('entriesForHost: some CA line matches the host, whatever its key', () => {
  const { entries } = parseKnownHosts(`@cert-authority leaf-*,!leaf-09 ${CA_EC}\nleaf-07 ${HOST_ED}\n@revoked * ${CA_ED}`, 'kh');
  assert.equal(certAuthorityApplies(entries, 'leaf-02', 22), true);
  assert.equal(certAuthorityApplies(entries, 'leaf-09', 22), false);
  assert.equal(certAuthorityApplies(entries, 'leaf-07', 2222), false, '[leaf-07]:2222 does not match leaf-*');
  assert.equal(certAuthorityApplies(entries, 'spine-01', 22), false);
});

function checkWith(lines: string[], answer: 'refuse' | 'trust-once' = 'refuse') {
  const file = path.join(dir, `kh-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const events: AuditEventInput[] = [];
  const interaction = new ScriptedInteraction({ hostKeyAnswer: answer });
  const check: HostKeyCheck = {
    store: new KnownHostsStore({ readOnly: [file], managed: path.join(dir, 'managed-unused') }),
    interaction, policy: 'ask', clock: () => IN_VALIDITY,
    audit: { append: async (e: AuditEventInput) => { events.push(e); return e as never; } },
  };
  return { check, events, interaction };
}

test('vouched and valid: trusted without a prompt, the audit event names the CA', async () => {
  const { check, events, interaction } = checkWith([`@cert-authority leaf-* ${CA_ED}`]);
  assert.deepEqual(await verifyHostKey(check, 'leaf-02', 22, CERT, context), { fingerprint: HOST_FP, trust: 'certificate', ca: CA_ED_FP });
  assert.equal(interaction.hostKeys.length, 0);
  assert.deepEqual(events, [{ type: 'host-key', host: 'leaf-02', port: 22, hop: 'leaf-02', keyType: 'ssh-ed25519-cert-v01@openssh.com', fingerprint: HOST_FP, decision: 'certificate', ca: CA_ED_FP }]);
});

test('not valid for this connect: falls back to the certified key (known → go on; unknown → prompt), reason on record', async () => {
  const cases: { why: string; lines: string[]; host: string; clock?: Date; cert?: Buffer; reason: RegExp }[] = [
    { why: 'wrong principal', lines: [`@cert-authority * ${CA_ED}`], host: 'leaf-03', reason: /leaf-03 is not a listed principal/ },
    { why: 'expired', lines: [`@cert-authority * ${CA_ED}`], host: 'leaf-02', clock: new Date('2035-01-01T00:00:00Z'), reason: /^expired$/ },
    { why: 'not yet valid', lines: [`@cert-authority * ${CA_ED}`], host: 'leaf-02', clock: new Date('2024-06-01T00:00:00Z'), reason: /not yet valid/ },
    { why: 'untrusted CA', lines: [`@cert-authority * ${CA_EC}`], host: 'leaf-02', reason: /no @cert-authority line/ },
    { why: 'no principals', lines: [`@cert-authority * ${CA_ED}`], host: 'leaf-02', cert: blobOf('ed25519-host-no-principals-cert.pub'), reason: /lists no principals/ },
    { why: 'user certificate', lines: [`@cert-authority * ${CA_ED}`], host: 'leaf-02', cert: blobOf('ed25519-user-by-ed25519-ca-cert.pub'), reason: /not a host certificate/ },
    { why: 'SHA-1 CA signature', lines: [`@cert-authority * ${keyPart('ca_rsa.pub')}`], host: 'leaf-02', cert: blobOf('ed25519-host-by-rsa-ca-sha1-cert.pub'), reason: /ssh-rsa, which is not allowed/ },
  ];
  for (const c of cases) {
    const unknown = checkWith(c.lines, 'trust-once');
    if (c.clock) unknown.check.clock = () => c.clock!;
    const cert = c.cert ?? CERT;
    assert.deepEqual(await verifyHostKey(unknown.check, c.host, 22, cert, context), { fingerprint: HOST_FP, trust: 'trust-once' }, c.why);
    assert.deepEqual(unknown.interaction.hostKeys.map((q) => [q.keyType, q.fingerprint]), [['ssh-ed25519', HOST_FP]], c.why);
    assert.deepEqual(unknown.events.map((e) => (e.type === 'host-key' ? [e.decision, e.keyType] : [])), [
      ['certificate-rejected', parseCertificate(cert).type], ['trust-once', 'ssh-ed25519'],
    ], c.why);
    const rejected = unknown.events[0];
    assert.match(rejected?.type === 'host-key' ? rejected.reason ?? '' : '', c.reason, c.why);

    const known = checkWith([...c.lines, `${c.host} ${HOST_ED}`]);
    if (c.clock) known.check.clock = () => c.clock!;
    assert.equal((await verifyHostKey(known.check, c.host, 22, cert, context)).trust, 'known', c.why);
    assert.equal(known.interaction.hostKeys.length, 0, c.why);
  }

  const refused = checkWith([`@cert-authority * ${CA_EC}`], 'refuse');
  await assert.rejects(verifyHostKey(refused.check, 'leaf-02', 22, CERT, context), HostKeyRefusedError);
});

test('a revoked CA or certified key is a hard stop: no prompt, no fallback', async () => {
  const revokedCa = checkWith([`@cert-authority * ${CA_ED}`, `@revoked * ${CA_ED}`, `leaf-02 ${HOST_ED}`], 'trust-once');
  await assert.rejects(verifyHostKey(revokedCa.check, 'leaf-02', 22, CERT, context),
    (e: unknown) => e instanceof HostKeyRevokedError && e.revoked === 'ca' && e.fingerprint === CA_ED_FP && /certificate authority/.test(e.message));
  const revokedKey = checkWith([`@cert-authority * ${CA_ED}`, `@revoked * ${HOST_ED}`], 'trust-once');
  await assert.rejects(verifyHostKey(revokedKey.check, 'leaf-02', 22, CERT, context),
    (e: unknown) => e instanceof HostKeyRevokedError && e.revoked === 'key' && e.fingerprint === HOST_FP);
  for (const { interaction, events } of [revokedCa, revokedKey]) {
    assert.equal(interaction.hostKeys.length + interaction.mismatches.length, 0);
    assert.deepEqual(events.map((e) => (e.type === 'host-key' ? [e.decision, e.ca] : [])), [['refuse', CA_ED_FP]]);
  }
});

test('a certificate whose CA signature fails is refused outright (OpenSSH cannot even parse it)', async () => {
  const damaged = Buffer.from(CERT);
  damaged[damaged.length - 1]! ^= 0x01;
  const { check, interaction, events } = checkWith([`leaf-02 ${HOST_ED}`], 'trust-once');
  await assert.rejects(verifyHostKey(check, 'leaf-02', 22, damaged, context),
    (e: unknown) => e instanceof HostCertificateInvalidError && e.code === 'HOST_CERT_INVALID');
  assert.equal(interaction.hostKeys.length, 0);
  assert.deepEqual(events.map((e) => (e.type === 'host-key' ? e.decision : e.type)), ['refuse']);
  await assert.rejects(verifyHostKey(check, 'leaf-02', 22, damaged.subarray(0, 100), context), HostCertificateInvalidError);
});

test('host key algorithms: a configured list is used verbatim, else certificates first under a CA line', async () => {
  const file = path.join(dir, 'kh-algos');
  writeFileSync(file, `@cert-authority [127.0.0.3]:* ${CA_ED}\n127.0.0.4 ${HOST_ED}\n`);
  const store = new KnownHostsStore({ readOnly: [file], managed: path.join(dir, 'managed-unused') });
  const certs = [...HOST_CERT_ALGORITHMS] as string[];
  const configured: ConnectConfig['algorithms'] = { kex: ['curve25519-sha256'], serverHostKey: ['ssh-ed25519', 'rsa-sha2-256'] };

  assert.equal(await hostKeyAlgorithms(store, '127.0.0.4', 22, configured), configured);
  assert.equal(await hostKeyAlgorithms(store, '127.0.0.3', 2200, configured), configured);
  // ed25519 on record and first in the default list: verbatim (certificates still lead, as in OpenSSH).
  assert.deepEqual(await hostKeyAlgorithms(store, '127.0.0.4', 22, undefined), { serverHostKey: [...DEFAULT_HOST_KEY_ALGORITHMS] });
  const underCa = await hostKeyAlgorithms(store, '127.0.0.3', 2200, { kex: ['curve25519-sha256'] });
  assert.deepEqual(underCa, { kex: ['curve25519-sha256'], serverHostKey: [...DEFAULT_HOST_KEY_ALGORITHMS] });
  assert.deepEqual((underCa?.serverHostKey as string[]).slice(0, certs.length), certs);
});

test('ssh-keygen -F finds the @cert-authority lines our matching finds (oracle)', () => {
  const file = path.join(dir, 'kh-oracle');
  writeFileSync(file, `@cert-authority [127.0.0.*]:*,!127.0.0.9 ${CA_ED}\n@cert-authority leaf-?2,*.fabric.example ${CA_EC}\n`);
  const { entries } = parseKnownHosts(readFileSync(file, 'utf8'), file);
  for (const [host, port] of [['127.0.0.3', 2222], ['127.0.0.3', 22], ['127.0.0.9', 2222], ['leaf-02', 22], ['leaf-12', 22], ['leaf-002', 22], ['tor.fabric.example', 22]] as const) {
    const name = port === 22 ? host : `[${host}]:${port}`;
    let found = '';
    try {
      found = execFileSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' });
    } catch {
      // ssh-keygen -F exits 1 when nothing matches
    }
    assert.equal(certAuthorityApplies(entries, host, port), /@cert-authority/.test(found), name);
  }
});
