import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CborDecodeError, decodeCbor, encodeCbor } from '../../../../native/ctap2/cbor';
import { parseCtap2Reply } from '../../../../native/ctap2/client';
import { credMgmtCommand, parseGetInfo, preferredPinProtocol } from '../../../../native/ctap2/getinfo';
import { CtapStatus, Ctap2StatusError } from '../../../../native/ctap2/status';
import { asMap } from '../../../../native/ctap2/fields';

const ALGS = [{ alg: -7, type: 'public-key' }, { alg: -8, type: 'public-key' }];

test('getInfo of a YubiKey 5 (fw 5.4.3, libfido2 #686) parses', () => {
  const m = new Map<number, unknown>([
    [1, ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']],
    [2, ['credProtect', 'hmac-secret']],
    [3, Buffer.from('ee882879721c491397753dfcce97072a', 'hex')],
    [4, { rk: true, up: true, plat: false, clientPin: true, credentialMgmtPreview: true }],
    [5, 1200],
    [6, [2, 1]],
    [7, 8],
    [8, 128],
    [9, ['nfc', 'usb']],
    [10, ALGS],
  ]);
  const info = parseGetInfo(asMap(decodeCbor(encodeCbor(m)), 'info'));
  assert.deepEqual(info.versions, ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']);
  assert.equal(info.options.clientPin, true);
  assert.equal(info.options.pinUvAuthToken, undefined);
  assert.equal(info.maxMsgSize, 1200);
  assert.deepEqual(info.algorithms, ALGS);
  assert.equal(preferredPinProtocol(info), 2);
  assert.equal(credMgmtCommand(info), 0x41);
  assert.equal('firmwareVersion' in info, false);
});

test('getInfo with every field 0x01..0x15 and an unknown 0x1f', () => {
  const m = new Map<number, unknown>([
    [1, ['FIDO_2_0', 'FIDO_2_1']], [2, ['credProtect']], [3, Buffer.alloc(16, 1)],
    [4, { ep: false, rk: true, up: true, plat: false, credMgmt: true, clientPin: false, pinUvAuthToken: true }],
    [5, 2048], [6, [1]], [7, 8], [8, 128], [9, ['usb']], [10, ALGS], [11, 1024], [12, true], [13, 6], [14, 0x050701],
    [15, 32], [16, 1], [17, 3], [18, 2], [19, new Map([['FIDO', 1]])], [20, 99], [21, [0x10]], [31, 'future'],
  ]);
  const info = parseGetInfo(asMap(decodeCbor(encodeCbor(m)), 'info'));
  assert.equal(info.maxSerializedLargeBlobArray, 1024);
  assert.equal(info.forcePinChange, true);
  assert.equal(info.minPinLength, 6);
  assert.equal(info.firmwareVersion, 0x050701);
  assert.equal(info.maxCredBlobLength, 32);
  assert.equal(info.maxRpIdsForSetMinPinLength, 1);
  assert.equal(info.preferredPlatformUvAttempts, 3);
  assert.equal(info.uvModality, 2);
  assert.deepEqual(info.certifications, new Map([['FIDO', 1]]));
  assert.equal(info.remainingDiscoverableCredentials, 99);
  assert.deepEqual(info.vendorPrototypeConfigCommands, [0x10]);
  assert.deepEqual(info.unknown, new Map([[31, 'future']]));
  assert.equal(preferredPinProtocol(info), 1);
  assert.equal(credMgmtCommand(info), 0x0a);
});

test('getInfo with wrong types or missing required fields is a CborDecodeError', () => {
  const base = (): Map<number, unknown> => new Map<number, unknown>([[1, ['FIDO_2_0']], [3, Buffer.alloc(16)]]);
  const variants: [string, (m: Map<number, unknown>) => void][] = [
    ['no versions', (m) => m.delete(1)],
    ['aaguid too short', (m) => m.set(3, Buffer.alloc(15))],
    ['versions not text', (m) => m.set(1, [1])],
    ['option not bool', (m) => m.set(4, { rk: 1 })],
    ['maxMsgSize negative', (m) => m.set(5, -1)],
    ['algorithms without alg', (m) => m.set(10, [{ type: 'public-key' }])],
  ];
  for (const [what, mutate] of variants) {
    const m = base();
    mutate(m);
    const sorted = new Map([...m.entries()].sort((a, b) => a[0] - b[0]));
    assert.throws(() => parseGetInfo(asMap(decodeCbor(encodeCbor(sorted)), 'info')), CborDecodeError, what);
  }
});

test('every status in the doc table maps to a typed error with an operator message', () => {
  const docTable = [0x01, 0x02, 0x06, 0x11, 0x12, 0x14, 0x19, 0x26, 0x27, 0x28, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34,
    0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x40, 0x7f];
  const messages = new Set<string>();
  for (const s of docTable) {
    const err = (() => {
      try {
        parseCtap2Reply(Buffer.from([s]));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof Ctap2StatusError, `0x${s.toString(16)}`);
    assert.equal(err.status, s);
    assert.match(err.code, /^CTAP2_[A-Z0-9_]+$/);
    assert.notEqual(err.code, 'CTAP2_UNKNOWN');
    messages.add(err.message);
  }
  assert.equal(messages.size, docTable.length, 'each status says something different');
  assert.equal(new Ctap2StatusError(CtapStatus.USER_ACTION_TIMEOUT).code, 'CTAP2_USER_ACTION_TIMEOUT');
  assert.match(new Ctap2StatusError(CtapStatus.PIN_INVALID, 5).message, /5 tries left/);
  assert.match(new Ctap2StatusError(CtapStatus.PIN_AUTH_BLOCKED).message, /Unplug the key/);
  assert.match(new Ctap2StatusError(CtapStatus.PIN_BLOCKED).message, /reset/);
  assert.match(new Ctap2StatusError(CtapStatus.KEY_STORE_FULL).message, /no room/);
  assert.match(new Ctap2StatusError(CtapStatus.UNSUPPORTED_ALGORITHM).message, /algorithm/);
  assert.match(new Ctap2StatusError(0x99).message, /0x99/);
});

test('replies: empty map allowed, trailing bytes or non-map body refused', () => {
  assert.deepEqual(parseCtap2Reply(Buffer.from([0])), new Map());
  assert.throws(() => parseCtap2Reply(Buffer.alloc(0)), CborDecodeError);
  assert.throws(() => parseCtap2Reply(Buffer.from([0, 0xa0, 0x00])), CborDecodeError);
  assert.throws(() => parseCtap2Reply(Buffer.from([0, 0x01])), CborDecodeError);
});
