import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CborDecodeError, decodeCbor, decodeCborPrefix, encodeCbor } from '../../../../native/ctap2/cbor';
import { buildMakeCredentialParams } from '../../../../native/ctap2/make-credential';

test('canonical encoding matches the bytes quoted in ctap2-openssh-sk.md §2.2', () => {
  const m = new Map<number, unknown>([[1, Buffer.from([1, 2])], [2, { id: 'ssh:' }], [4, [{ alg: -8, type: 'public-key' }]]]);
  const hex = encodeCbor(m).toString('hex');
  assert.ok(hex.startsWith('a301420102' + '02a1626964647373683a' + '0481a263616c672764747970656a7075626c69632d6b6579'), hex);
  assert.equal(encodeCbor(-7).toString('hex'), '26');
  assert.equal(encodeCbor(-25).toString('hex'), '3818');
  assert.equal(encodeCbor(true).toString('hex'), 'f5');
});

test('OpenSSH enrollment makeCredential request encodes to the exact canonical bytes', () => {
  const params = buildMakeCredentialParams({
    clientDataHash: Buffer.alloc(32, 0xcd),
    rpId: 'ssh:',
    user: { id: Buffer.alloc(32), name: 'openssh', displayName: 'openssh' },
    alg: -8,
    credProtect: 3,
    residentKey: true,
  }, { param: Buffer.alloc(32, 0xee), protocol: 2 });
  const expected =
    'a8' +
    '01' + '5820' + 'cd'.repeat(32) +
    '02' + 'a1' + '626964' + '647373683a' +
    '03' + 'a3' + '626964' + '5820' + '00'.repeat(32) + '646e616d65' + '676f70656e737368' + '6b646973706c61794e616d65' + '676f70656e737368' +
    '04' + '81' + 'a2' + '63616c67' + '27' + '6474797065' + '6a7075626c69632d6b6579' +
    '06' + 'a1' + '6b6372656450726f74656374' + '03' +
    '07' + 'a1' + '62726b' + 'f5' +
    '08' + '5820' + 'ee'.repeat(32) +
    '09' + '02';
  assert.equal(encodeCbor(params).toString('hex'), expected);
  // The strict decoder accepts what we send (it is canonical) and gives the same structure back.
  const back = decodeCbor(encodeCbor(params));
  assert.ok(back instanceof Map);
  assert.deepEqual([...back.keys()], [1, 2, 3, 4, 6, 7, 8, 9]);
});

test('strict decoder: values and types', () => {
  const v = decodeCbor(Buffer.from('a301022061616161426869', 'hex'));
  assert.ok(v instanceof Map);
  assert.equal(v.get(1), 2);
  assert.equal(v.get(-1), 'a');
  assert.deepEqual(v.get('a'), Buffer.from('hi'));
  assert.deepEqual(decodeCbor(Buffer.from('8302f5f6', 'hex')), [2, true, null]);
  assert.equal(decodeCbor(Buffer.from('1b001fffffffffffff', 'hex')), Number.MAX_SAFE_INTEGER);
  assert.equal(decodeCbor(Buffer.from('3903e7', 'hex')), -1000);
  assert.deepEqual(decodeCbor(Buffer.from('43010203', 'hex')), Buffer.from([1, 2, 3]));
  const { value, end } = decodeCborPrefix(Buffer.from('a10102ff', 'hex'), 0);
  assert.ok(value instanceof Map);
  assert.equal(end, 3);
});

test('strict decoder rejects everything non-canonical or malformed with CborDecodeError', () => {
  const bad: Record<string, string> = {
    'trailing bytes': 'a0' + '00',
    truncated: 'a201',
    'non-shortest uint8': '1817',
    'non-shortest uint16': '190017',
    'non-shortest length': '5801' + 'aa',
    indefinite: '5f4101ff',
    tag: 'c24101',
    float: 'fa3f800000',
    'simple value': 'f0',
    'unsorted int keys': 'a2020101 01'.replace(' ', ''),
    'negative before positive': 'a220010101',
    'duplicate keys': 'a201010101',
    'longer text key first': 'a2626964016161 01'.replace(' ', ''),
    'bytes map key': 'a1410101',
    'invalid utf8': '62c328',
    'huge array count': '9affffffff',
    'too large int': '1bffffffffffffffff',
    'deep nesting': '81'.repeat(40) + '00',
  };
  for (const [what, hex] of Object.entries(bad)) {
    assert.throws(() => decodeCbor(Buffer.from(hex, 'hex')), CborDecodeError, what);
  }
});
