import assert from 'node:assert/strict';
import { createECDH, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, createCipheriv } from 'node:crypto';
import { test } from 'node:test';
import { PinProtocolError, pinProtocol, pinProtocolV1, pinProtocolV2 } from '../../../../native/ctap2/pin-protocol';
import { CoseKty } from '../../../../native/ctap2/cose';

// Fixed keys: authenticator scalar 0x11.., platform ephemeral scalar 0x22...
const DEV = createECDH('prime256v1');
DEV.setPrivateKey(Buffer.from('11'.repeat(32), 'hex'));
const devPub = DEV.getPublicKey();
const PEER = { kty: CoseKty.EC2, alg: -25, crv: 1, x: devPub.subarray(1, 33), y: devPub.subarray(33) };
const PIN_HASH16 = createHash('sha256').update('123456').digest().subarray(0, 16);

function platformEphemeral() {
  const e = createECDH('prime256v1');
  e.setPrivateKey(Buffer.from('22'.repeat(32), 'hex'));
  return e;
}

/** Z computed a second way: KeyObjects + crypto.diffieHellman instead of the ECDH class. */
function independentZ(): Buffer {
  const e = platformEphemeral();
  const pub = e.getPublicKey();
  const jwk = (d: Buffer | undefined, p: Buffer) => ({ kty: 'EC', crv: 'P-256', x: p.subarray(1, 33).toString('base64url'), y: p.subarray(33).toString('base64url'), ...(d ? { d: d.toString('base64url') } : {}) });
  return diffieHellman({
    privateKey: createPrivateKey({ key: jwk(e.getPrivateKey(), pub), format: 'jwk' }),
    publicKey: createPublicKey({ key: jwk(undefined, devPub), format: 'jwk' }),
  });
}

test('protocol 1 known answer: SHA-256(Z), AES-256-CBC zero IV, HMAC truncated to 16', () => {
  const { keyAgreement, sharedSecret } = pinProtocolV1.encapsulate(PEER, platformEphemeral());
  const expectedSs = createHash('sha256').update(independentZ()).digest();
  assert.equal(sharedSecret.toString('hex'), expectedSs.toString('hex'));
  assert.equal(sharedSecret.toString('hex'), '98f5bf15dbc72627acd9a8ab61ce21349ea3496d79136adf08ad381cc9c0fa25');
  assert.equal(keyAgreement.x.toString('hex'), 'd65a93977caa3d1b081852ff57a79e465f1660577304baead505dd3a48589cf3');
  assert.equal(keyAgreement.alg, -25);
  const c = createCipheriv('aes-256-cbc', expectedSs, Buffer.alloc(16)).setAutoPadding(false);
  const expectedEnc = Buffer.concat([c.update(PIN_HASH16), c.final()]);
  assert.deepEqual(pinProtocolV1.encrypt(sharedSecret, PIN_HASH16), expectedEnc);
  assert.deepEqual(pinProtocolV1.decrypt(sharedSecret, expectedEnc), PIN_HASH16);
  const mac = pinProtocolV1.authenticate(sharedSecret, Buffer.from('abc'));
  assert.deepEqual(mac, createHmac('sha256', expectedSs).update('abc').digest().subarray(0, 16));
  assert.equal(mac.toString('hex'), 'a1cc4fdeaf36582bac9745cbe12faa63');
});

test('protocol 2 known answer: HKDF HMAC||AES keys, random IV prefix, full HMAC', () => {
  const { sharedSecret } = pinProtocolV2.encapsulate(PEER, platformEphemeral());
  const z = independentZ();
  const salt = Buffer.alloc(32);
  const hmacKey = Buffer.from(hkdfSync('sha256', z, salt, 'CTAP2 HMAC key', 32));
  const aesKey = Buffer.from(hkdfSync('sha256', z, salt, 'CTAP2 AES key', 32));
  assert.deepEqual(sharedSecret, Buffer.concat([hmacKey, aesKey]));
  assert.equal(sharedSecret.toString('hex'), 'abc3809533cb07b6ae481ea05b28ac708ffed9777147a09aabc8ab58e167ba0eaecad75245932defecf4cd0d93420fcd05d99403d09a49655fed76fa64c2cf82');
  const iv = Buffer.alloc(16, 0x33);
  const enc = pinProtocolV2.encrypt(sharedSecret, PIN_HASH16, iv);
  assert.equal(enc.toString('hex'), '333333333333333333333333333333337db08c4461a60976343e679ff7c43036');
  assert.deepEqual(pinProtocolV2.decrypt(sharedSecret, enc), PIN_HASH16);
  assert.deepEqual(pinProtocolV2.authenticate(sharedSecret, Buffer.from('abc')), createHmac('sha256', hmacKey).update('abc').digest());
  const token = Buffer.alloc(32, 5);
  assert.deepEqual(pinProtocolV2.authenticate(token, Buffer.from('x')), createHmac('sha256', token).update('x').digest(), 'a 32-byte token is its own key');
  const random = pinProtocolV2.encrypt(sharedSecret, PIN_HASH16);
  assert.equal(random.length, 32);
  assert.deepEqual(pinProtocolV2.decrypt(sharedSecret, random), PIN_HASH16);
});

test('bad inputs raise PinProtocolError', () => {
  assert.throws(() => pinProtocol(3), PinProtocolError);
  assert.throws(() => pinProtocolV1.encapsulate({ ...PEER, x: Buffer.alloc(32, 1) }), PinProtocolError);
  assert.throws(() => pinProtocolV1.encapsulate({ kty: CoseKty.OKP, alg: -8, crv: 6, x: Buffer.alloc(32) }), PinProtocolError);
  assert.throws(() => pinProtocolV1.decrypt(Buffer.alloc(32), Buffer.alloc(15)), PinProtocolError);
  assert.throws(() => pinProtocolV2.decrypt(Buffer.alloc(64), Buffer.alloc(8)), PinProtocolError);
  assert.throws(() => pinProtocolV2.encrypt(Buffer.alloc(32), Buffer.alloc(16)), PinProtocolError);
});
