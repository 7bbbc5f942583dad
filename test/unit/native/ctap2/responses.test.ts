import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { type CborMap, decodeCbor } from '../../../../native/ctap2/cbor';
import { CoseAlg } from '../../../../native/ctap2/cose';
import { parseGetAssertionResponse } from '../../../../native/ctap2/get-assertion';
import { parseMakeCredentialResponse } from '../../../../native/ctap2/make-credential';
import { ResponseVerificationError } from '../../../../native/ctap2/verify';
import { CDH, CRED_ID, ED_PUBLIC, makeCredentialAuthData, seedReplies } from '../../../fuzz/seeds';

const SEEDS = seedReplies();
const body = (name: string): CborMap => decodeCbor((SEEDS[name] as Buffer).subarray(1)) as CborMap;
const MC_REQ = { clientDataHash: CDH, rpId: 'ssh:', user: { id: Buffer.alloc(32) }, alg: -8 as const, credProtect: 3 as const, residentKey: true };
const GA_REQ = { rpId: 'ssh:', clientDataHash: CDH, allowList: [CRED_ID] };
const SIGNER = { alg: CoseAlg.EdDSA, publicKey: ED_PUBLIC };

test('valid seed replies pass every check', () => {
  const mc = parseMakeCredentialResponse(body('makeCredential'), MC_REQ);
  assert.equal(mc.attestationVerified, true);
  assert.deepEqual(mc.credentialId, CRED_ID);
  assert.deepEqual(mc.publicKey, ED_PUBLIC);
  const ga = parseGetAssertionResponse(body('getAssertion'), GA_REQ, SIGNER);
  assert.equal(ga.counter, 4);
  assert.deepEqual(ga.userId, Buffer.alloc(32));
  assert.equal(ga.numberOfCredentials, 2);
});

test('makeCredential: each verification rule rejects', () => {
  const rejects = (what: string, m: CborMap, req = MC_REQ) => assert.throws(() => parseMakeCredentialResponse(m, req), ResponseVerificationError, what);
  rejects('other rpId', body('makeCredential'), { ...MC_REQ, rpId: 'ssh:other' });
  rejects('other algorithm', body('makeCredential'), { ...MC_REQ, alg: -7 as never });
  rejects('other clientDataHash (attestation signature)', body('makeCredential'), { ...MC_REQ, clientDataHash: Buffer.alloc(32) });
  const weaker = body('makeCredential');
  const ad = Buffer.from(weaker.get(2) as Buffer);
  ad[ad.length - 1] = 0x02; // credProtect 2 instead of the requested 3
  weaker.set(2, ad);
  rejects('weaker credProtect', weaker);
  const noUp = body('makeCredential');
  const ad2 = Buffer.from(noUp.get(2) as Buffer);
  ad2[32] = (ad2[32] as number) & ~0x01;
  noUp.set(2, ad2);
  rejects('no UP flag', noUp);
});

test('getAssertion: each verification rule rejects', () => {
  const rejects = (what: string, m: CborMap, req: Parameters<typeof parseGetAssertionResponse>[1] = GA_REQ) =>
    assert.throws(() => parseGetAssertionResponse(m, req, SIGNER), ResponseVerificationError, what);
  rejects('credential not asked for', body('getAssertion'), { ...GA_REQ, allowList: [Buffer.alloc(48, 1)] });
  rejects('other rpId', body('getAssertion'), { ...GA_REQ, rpId: 'ssh:x' });
  rejects('other data signed', body('getAssertion'), { ...GA_REQ, clientDataHash: Buffer.alloc(32, 9) });
  const tampered = body('getAssertion');
  const sig = Buffer.from(tampered.get(3) as Buffer);
  sig[0] = (sig[0] as number) ^ 1;
  tampered.set(3, sig);
  rejects('tampered signature', tampered);
  const attested = body('getAssertion');
  attested.set(2, makeCredentialAuthData());
  rejects('attested data in an assertion', attested);
  const noCred = body('getAssertion');
  noCred.delete(1);
  assert.throws(() => parseGetAssertionResponse(noCred, { rpId: 'ssh:', clientDataHash: CDH }), ResponseVerificationError, 'no credential id and no allowList');
  // One allowList entry: the key may leave the credential out (CTAP 2.0), we know which one it is.
  assert.deepEqual(parseGetAssertionResponse(noCred, GA_REQ, SIGNER).credentialId, CRED_ID);
});

test('packed attestation with an x5c certificate is checked with the certificate key', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbg-att-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=nbg test attestation',
    '-keyout', path.join(dir, 'key.pem'), '-outform', 'DER', '-out', path.join(dir, 'cert.der')], { stdio: 'ignore' });
  const attKey = createPrivateKey(readFileSync(path.join(dir, 'key.pem')));
  const cert = readFileSync(path.join(dir, 'cert.der'));
  const m = body('makeCredential');
  const authData = m.get(2) as Buffer;
  const goodSig = sign('sha256', Buffer.concat([authData, CDH]), attKey);
  m.set(3, new Map<string, unknown>([['alg', -7], ['sig', goodSig], ['x5c', [cert]]]) as CborMap);
  assert.equal(parseMakeCredentialResponse(m, MC_REQ).attestationVerified, true);
  m.set(3, new Map<string, unknown>([['alg', -7], ['sig', sign('sha256', createHash('sha256').update('x').digest(), attKey)], ['x5c', [cert]]]) as CborMap);
  assert.throws(() => parseMakeCredentialResponse(m, MC_REQ), ResponseVerificationError);
  m.set(3, new Map<string, unknown>([['alg', -7], ['sig', goodSig], ['x5c', [Buffer.from('not a cert')]]]) as CborMap);
  assert.throws(() => parseMakeCredentialResponse(m, MC_REQ), ResponseVerificationError);
});
