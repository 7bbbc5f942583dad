import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { skKeyType } from '../../../../native/authenticator/ssh-records';
import { AuthDataError, parseAuthData } from '../../../../native/ctap2/authdata';
import { encodeCbor } from '../../../../native/ctap2/cbor';
import { CoseAlg, CoseKeyError, CoseKty, credentialKeyObject, credentialPublicKey } from '../../../../native/ctap2/cose';

const SSH_HASH = 'e30610e8a162115960fe1ec223e6529c9f4b6e80200dcb5e5c321c8af1e2b1bf';

function authData(flags: number, counter: number, tail: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(37);
  Buffer.from(SSH_HASH, 'hex').copy(b);
  b[32] = flags;
  b.writeUInt32BE(counter, 33);
  return Buffer.concat([b, tail]);
}

function attested(credId: Buffer, cose: Map<number, unknown>): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(credId.length);
  return Buffer.concat([Buffer.alloc(16, 0xaa), len, credId, encodeCbor(cose)]);
}

const ED_X = Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
const EC_JWK = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'jwk' });
const EC_X = Buffer.from(EC_JWK.x ?? '', 'base64url');
const EC_Y = Buffer.from(EC_JWK.y ?? '', 'base64url');
const edCose = new Map<number, unknown>([[1, 1], [3, -8], [-1, 6], [-2, ED_X]]);
const ecCose = new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, EC_X], [-3, EC_Y]]);

test('SHA-256("ssh:") is the documented rpIdHash', () => {
  assert.equal(createHash('sha256').update('ssh:').digest('hex'), SSH_HASH);
});

test('assertion authData: 37 bytes, flags and big-endian counter', () => {
  const a = parseAuthData(authData(0x05, 0x01020304));
  assert.equal(a.rpIdHash.toString('hex'), SSH_HASH);
  assert.equal(a.flags, 0x05);
  assert.equal(a.counter, 0x01020304);
  assert.equal(a.attested, undefined);
  assert.equal(a.extensions, undefined);
});

test('makeCredential authData: Ed25519 COSE key followed by the credProtect extension map', () => {
  const credId = Buffer.alloc(64, 0x42);
  const buf = authData(0x45 | 0x80, 7, Buffer.concat([attested(credId, edCose), encodeCbor(new Map([['credProtect', 3]]))]));
  const a = parseAuthData(buf);
  assert.deepEqual(a.attested?.credentialId, credId);
  assert.deepEqual(a.attested?.aaguid, Buffer.alloc(16, 0xaa));
  assert.equal(a.extensions?.get('credProtect'), 3);
  const pk = credentialPublicKey(a.attested?.cose ?? assert.fail());
  assert.equal(pk.alg, CoseAlg.EdDSA);
  assert.equal(skKeyType(pk.alg), 'sk-ssh-ed25519@openssh.com');
  assert.deepEqual(pk.publicKey, ED_X);
});

test('ES256 COSE key becomes a 65-byte uncompressed point; off-curve points are refused', () => {
  const a = parseAuthData(authData(0x41, 1, attested(Buffer.alloc(16, 1), ecCose)));
  const pk = credentialPublicKey(a.attested?.cose ?? assert.fail());
  assert.equal(pk.alg, CoseAlg.ES256);
  assert.equal(skKeyType(pk.alg), 'sk-ecdsa-sha2-nistp256@openssh.com');
  assert.deepEqual(pk.publicKey, Buffer.concat([Buffer.from([4]), EC_X, EC_Y]));
  const offCurve = Buffer.from(EC_Y);
  offCurve[31] = (offCurve[31] as number) ^ 1;
  assert.throws(() => credentialPublicKey({ kty: CoseKty.EC2, alg: -7, crv: 1, x: EC_X, y: offCurve }), CoseKeyError);
  assert.throws(() => credentialPublicKey({ kty: CoseKty.OKP, alg: -7, crv: 6, x: ED_X }), CoseKeyError);
  assert.throws(() => credentialPublicKey({ kty: CoseKty.OKP, alg: -257, crv: 6, x: ED_X }), CoseKeyError);
});

test('a raw credential key becomes a verifying key; malformed raw keys are refused', () => {
  assert.equal(credentialKeyObject({ alg: CoseAlg.EdDSA, publicKey: ED_X }).asymmetricKeyType, 'ed25519');
  const point = Buffer.concat([Buffer.from([4]), EC_X, EC_Y]);
  assert.equal(credentialKeyObject({ alg: CoseAlg.ES256, publicKey: point }).asymmetricKeyType, 'ec');
  assert.throws(() => credentialKeyObject({ alg: CoseAlg.EdDSA, publicKey: ED_X.subarray(1) }), CoseKeyError);
  assert.throws(() => credentialKeyObject({ alg: CoseAlg.ES256, publicKey: point.subarray(1) }), CoseKeyError);
  const offCurve = Buffer.from(point);
  offCurve[64] = (offCurve[64] as number) ^ 1;
  assert.throws(() => credentialKeyObject({ alg: CoseAlg.ES256, publicKey: offCurve }), CoseKeyError);
});

test('malformed authData is rejected with AuthDataError', () => {
  const good = Buffer.concat([attested(Buffer.alloc(16, 1), edCose)]);
  const cases: Record<string, Buffer> = {
    short: Buffer.alloc(36),
    'trailing bytes without ED': authData(0x01, 0, Buffer.from([0])),
    'AT without data': authData(0x41, 0),
    'credential id overruns': authData(0x41, 0, Buffer.concat([Buffer.alloc(16), Buffer.from([0x01, 0x00]), Buffer.alloc(10)])),
    'empty credential id': authData(0x41, 0, Buffer.concat([Buffer.alloc(16), Buffer.from([0, 0]), encodeCbor(edCose)])),
    'truncated COSE': authData(0x41, 0, good.subarray(0, good.length - 3)),
    'COSE not a map': authData(0x41, 0, Buffer.concat([Buffer.alloc(16), Buffer.from([0, 1, 9]), encodeCbor([1, 2])])),
    'ED without map': authData(0x81, 0),
    'extensions with int keys': authData(0x81, 0, encodeCbor(new Map([[1, 2]]))),
    'short Ed25519 x': authData(0x41, 0, attested(Buffer.alloc(4), new Map<number, unknown>([[1, 1], [3, -8], [-1, 6], [-2, Buffer.alloc(31)]]))),
    'trailing after extensions': authData(0x81, 0, Buffer.concat([encodeCbor(new Map([['credProtect', 2]])), Buffer.from([0])])),
  };
  for (const [what, buf] of Object.entries(cases)) assert.throws(() => parseAuthData(buf), AuthDataError, what);
});
