import { createHash, createPrivateKey, sign } from 'node:crypto';
import { encodeCbor } from '../../native/ctap2/cbor';

// Deterministic, valid CTAP2 replies used as fuzz seeds: fixed Ed25519 key (deterministic
// signatures), the P-256 generator point as a valid ES256 public key.

const ED_SEED = Buffer.alloc(32, 0x5a);
const ED_KEY = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), ED_SEED]), format: 'der', type: 'pkcs8' });
export const ED_PUBLIC = Buffer.from(ED_KEY.export({ format: 'jwk' }).x ?? '', 'base64url');
const P256_GX = Buffer.from('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296', 'hex');
const P256_GY = Buffer.from('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5', 'hex');

export const RP_ID = 'ssh:';
export const CDH = createHash('sha256').update('fuzz').digest();
export const CRED_ID = Buffer.alloc(48, 0x17);

export const edCose = new Map<number, unknown>([[1, 1], [3, -8], [-1, 6], [-2, ED_PUBLIC]]);
export const esCose = new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, P256_GX], [-3, P256_GY]]);

function fixedAuthData(flags: number, counter: number): Buffer {
  const b = Buffer.alloc(37);
  createHash('sha256').update(RP_ID).digest().copy(b);
  b[32] = flags;
  b.writeUInt32BE(counter, 33);
  return b;
}

export function makeCredentialAuthData(): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(CRED_ID.length);
  return Buffer.concat([fixedAuthData(0xc5, 3), Buffer.alloc(16, 0xee), len, CRED_ID, encodeCbor(edCose), encodeCbor(new Map([['credProtect', 3]]))]);
}

const ok = (m: unknown): Buffer => Buffer.concat([Buffer.from([0]), encodeCbor(m)]);

export function seedReplies(): Record<string, Buffer> {
  const mcAuth = makeCredentialAuthData();
  const mcSig = sign(null, Buffer.concat([mcAuth, CDH]), ED_KEY);
  const gaAuth = fixedAuthData(0x05, 4);
  const gaSig = sign(null, Buffer.concat([gaAuth, CDH]), ED_KEY);
  return {
    getInfo: ok(new Map<number, unknown>([
      [1, ['U2F_V2', 'FIDO_2_0', 'FIDO_2_1_PRE']], [2, ['credProtect', 'hmac-secret']], [3, Buffer.alloc(16, 0xee)],
      [4, new Map<string, boolean>([['rk', true], ['up', true], ['plat', false], ['clientPin', true], ['credentialMgmtPreview', true]])],
      [5, 1200], [6, [2, 1]], [7, 8], [8, 128], [9, ['nfc', 'usb']], [10, [{ alg: -7, type: 'public-key' }, { alg: -8, type: 'public-key' }]],
      [13, 4], [14, 0x050403], [19, new Map([['FIDO', 1]])], [20, 25],
    ])),
    makeCredential: ok(new Map<number, unknown>([[1, 'packed'], [2, mcAuth], [3, new Map<string, unknown>([['alg', -8], ['sig', mcSig]])]])),
    getAssertion: ok(new Map<number, unknown>([
      [1, new Map<string, unknown>([['id', CRED_ID], ['type', 'public-key']])], [2, gaAuth], [3, gaSig],
      [4, new Map<string, unknown>([['id', Buffer.alloc(32)], ['name', 'openssh']])], [5, 2],
    ])),
    keyAgreement: ok(new Map<number, unknown>([[1, new Map<number, unknown>([[1, 2], [3, -25], [-1, 1], [-2, P256_GX], [-3, P256_GY]])]])),
    pinRetries: ok(new Map<number, unknown>([[3, 8], [4, false]])),
    credsMetadata: ok(new Map<number, unknown>([[1, 1], [2, 24]])),
    rpEntry: ok(new Map<number, unknown>([[3, new Map([['id', RP_ID]])], [4, createHash('sha256').update(RP_ID).digest()], [5, 1]])),
    credentialEntry: ok(new Map<number, unknown>([
      [6, new Map<string, unknown>([['id', Buffer.alloc(32)], ['name', 'openssh'], ['displayName', 'openssh']])],
      [7, new Map<string, unknown>([['id', CRED_ID], ['type', 'public-key']])], [8, esCose], [9, 1], [10, 3],
    ])),
  };
}
