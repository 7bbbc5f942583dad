import { createCipheriv, createDecipheriv, createECDH, createHash, createHmac, hkdfSync, randomBytes, type ECDH } from 'node:crypto';

// Authenticator-side PIN/UV auth protocol math, written separately from the client's
// (native/ctap2/pin-protocol.ts) on purpose: a shared bug would otherwise cancel out in tests.

function freshP256(): ECDH {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return ecdh;
}

export class SimKeyAgreement {
  private ecdh = freshP256();

  regenerate(): void {
    this.ecdh = freshP256();
  }

  publicXY(): { x: Buffer; y: Buffer } {
    const p = this.ecdh.getPublicKey();
    return { x: p.subarray(1, 33), y: p.subarray(33, 65) };
  }

  /** Shared secret for `protocol` from the platform's public point; null when the point is bad. */
  sharedSecret(protocol: number, x: Buffer, y: Buffer): Buffer | null {
    let z: Buffer;
    try {
      z = this.ecdh.computeSecret(Buffer.concat([Buffer.from([4]), x, y]));
    } catch {
      return null;
    }
    if (protocol === 1) return createHash('sha256').update(z).digest();
    const salt = Buffer.alloc(32);
    return Buffer.concat([
      Buffer.from(hkdfSync('sha256', z, salt, Buffer.from('CTAP2 HMAC key'), 32)),
      Buffer.from(hkdfSync('sha256', z, salt, Buffer.from('CTAP2 AES key'), 32)),
    ]);
  }
}

function cbc(enc: boolean, key: Buffer, iv: Buffer, data: Buffer): Buffer | null {
  if (data.length === 0 || data.length % 16) return null;
  const c = enc ? createCipheriv('aes-256-cbc', key, iv) : createDecipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(data), c.final()]);
}

export function simDecrypt(protocol: number, ss: Buffer, data: Buffer): Buffer | null {
  if (protocol === 1) return cbc(false, ss, Buffer.alloc(16), data);
  if (data.length < 32) return null;
  return cbc(false, ss.subarray(32, 64), data.subarray(0, 16), data.subarray(16));
}

export function simEncrypt(protocol: number, ss: Buffer, data: Buffer): Buffer {
  if (protocol === 1) return cbc(true, ss, Buffer.alloc(16), data) ?? Buffer.alloc(0);
  const iv = randomBytes(16);
  return Buffer.concat([iv, cbc(true, ss.subarray(32, 64), iv, data) ?? Buffer.alloc(0)]);
}

/** Verify a pinUvAuthParam: v1 compares the first 16 bytes of the HMAC, v2 all 32. */
export function simVerify(protocol: number, key: Buffer, message: Buffer, param: Buffer): boolean {
  const k = protocol === 2 && key.length === 64 ? key.subarray(0, 32) : key;
  const mac = createHmac('sha256', k).update(message).digest();
  const expected = protocol === 1 ? mac.subarray(0, 16) : mac;
  return param.length === expected.length && expected.equals(param);
}
