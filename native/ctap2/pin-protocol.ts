import { createCipheriv, createDecipheriv, createECDH, createHash, createHmac, hkdfSync, randomBytes, type ECDH } from 'node:crypto';
import { ErrorCode } from '../../electron/shared/error-codes';
import { NbgError } from '../errors';
import { COSE_ALG_ECDH_ES_HKDF_256, CoseCrv, type CoseKey, CoseKty } from './cose';

export class PinProtocolError extends NbgError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(ErrorCode.PIN_PROTOCOL, `PIN exchange with the security key failed (${detail}). Unplug it, plug it back in and try again.`, options);
  }
}

const AES_BLOCK = 16;
const ZERO_IV = Buffer.alloc(AES_BLOCK);
const HKDF_SALT = Buffer.alloc(32);

/** PIN/UV auth protocol 1 or 2 (CTAP 2.1 §6.5.6 / .7, libfido2 pin.c, python-fido2 pin.py). */
export interface PinUvAuthProtocol {
  readonly version: 1 | 2;
  /**
   * ECDH with the key's agreement key. `ephemeral` is for known-answer tests only; normally a
   * fresh P-256 key pair per exchange.
   */
  encapsulate(peer: CoseKey, ephemeral?: ECDH): { keyAgreement: CoseKey; sharedSecret: Buffer };
  encrypt(sharedSecret: Buffer, plaintext: Buffer, iv?: Buffer): Buffer;
  decrypt(sharedSecret: Buffer, ciphertext: Buffer): Buffer;
  /** HMAC-SHA-256 (v1 truncated to 16 bytes). A 64-byte v2 shared secret uses its HMAC half. */
  authenticate(key: Buffer, message: Buffer): Buffer;
}

function ecdhZ(peer: CoseKey, ephemeral: ECDH | undefined): { keyAgreement: CoseKey; z: Buffer } {
  if (peer.kty !== CoseKty.EC2 || peer.crv !== CoseCrv.P256) throw new PinProtocolError('key agreement key is not P-256');
  const ecdh = ephemeral ?? createECDH('prime256v1');
  if (!ephemeral) ecdh.generateKeys();
  let z: Buffer;
  try {
    z = ecdh.computeSecret(Buffer.concat([Buffer.from([0x04]), peer.x, peer.y]));
  } catch (err) {
    throw new PinProtocolError('key agreement point is invalid', { cause: err });
  }
  const pub = ecdh.getPublicKey();
  return {
    keyAgreement: { kty: CoseKty.EC2, alg: COSE_ALG_ECDH_ES_HKDF_256, crv: CoseCrv.P256, x: pub.subarray(1, 33), y: pub.subarray(33, 65) },
    z,
  };
}

function aesCbc(decrypt: boolean, key: Buffer, iv: Buffer, data: Buffer): Buffer {
  if (data.length % AES_BLOCK !== 0) throw new PinProtocolError('encrypted data is not a whole number of AES blocks');
  const c = decrypt ? createDecipheriv('aes-256-cbc', key, iv) : createCipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export const pinProtocolV1: PinUvAuthProtocol = {
  version: 1,
  encapsulate(peer, ephemeral) {
    const { keyAgreement, z } = ecdhZ(peer, ephemeral);
    const sharedSecret = createHash('sha256').update(z).digest();
    z.fill(0);
    return { keyAgreement, sharedSecret };
  },
  encrypt: (ss, pt) => aesCbc(false, ss, ZERO_IV, pt),
  decrypt: (ss, ct) => aesCbc(true, ss, ZERO_IV, ct),
  authenticate: (key, msg) => createHmac('sha256', key).update(msg).digest().subarray(0, 16),
};

export const pinProtocolV2: PinUvAuthProtocol = {
  version: 2,
  encapsulate(peer, ephemeral) {
    const { keyAgreement, z } = ecdhZ(peer, ephemeral);
    const hmacKey = Buffer.from(hkdfSync('sha256', z, HKDF_SALT, 'CTAP2 HMAC key', 32));
    const aesKey = Buffer.from(hkdfSync('sha256', z, HKDF_SALT, 'CTAP2 AES key', 32));
    z.fill(0);
    return { keyAgreement, sharedSecret: Buffer.concat([hmacKey, aesKey]) };
  },
  encrypt(ss, pt, iv = randomBytes(AES_BLOCK)) {
    if (ss.length !== 64) throw new PinProtocolError('protocol 2 shared secret must be 64 bytes');
    return Buffer.concat([iv, aesCbc(false, ss.subarray(32), iv, pt)]);
  },
  decrypt(ss, ct) {
    if (ss.length !== 64) throw new PinProtocolError('protocol 2 shared secret must be 64 bytes');
    if (ct.length < AES_BLOCK) throw new PinProtocolError('encrypted data shorter than its IV');
    return aesCbc(true, ss.subarray(32), ct.subarray(0, AES_BLOCK), ct.subarray(AES_BLOCK));
  },
  authenticate(key, msg) {
    const k = key.length === 64 ? key.subarray(0, 32) : key;
    return createHmac('sha256', k).update(msg).digest();
  },
};

export function pinProtocol(version: number): PinUvAuthProtocol {
  if (version === 1) return pinProtocolV1;
  if (version === 2) return pinProtocolV2;
  throw new PinProtocolError(`PIN/UV auth protocol ${version} is not supported`);
}

/** Permission bits for getPinUvAuthTokenUsingPinWithPermissions. */
export const PinPermission = { MC: 0x01, GA: 0x02, CM: 0x04, BE: 0x08, LBW: 0x10, ACFG: 0x20, PCMR: 0x40 } as const;

/** A decrypted pinUvAuthToken. Secret: never log it; call `wipe()` when done. */
export class PinToken {
  constructor(readonly protocol: PinUvAuthProtocol, private readonly token: Buffer, readonly permissions: number | undefined, readonly rpId: string | undefined) {}

  authenticate(message: Buffer): Buffer {
    return this.protocol.authenticate(this.token, message);
  }

  wipe(): void {
    this.token.fill(0);
  }

  /** Keeps the token out of console.log / JSON dumps. */
  toJSON(): string {
    return '[PinToken]';
  }
}
