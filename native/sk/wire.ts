// SSH wire encoding (RFC 4251 section 5): string, uint32, byte, boolean, mpint.
import { SshWireError } from './errors';

export class SshWriter {
  private readonly parts: Buffer[] = [];

  byte(value: number): this {
    this.parts.push(Buffer.from([value & 0xff]));
    return this;
  }

  bool(value: boolean): this {
    return this.byte(value ? 1 : 0);
  }

  uint32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.parts.push(b);
    return this;
  }

  string(value: Buffer | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  /** Unsigned big-endian magnitude → mpint: leading zeros stripped, 0x00 prepended when the top bit is set. */
  mpint(unsignedBigEndian: Buffer): this {
    let start = 0;
    while (start < unsignedBigEndian.length && unsignedBigEndian[start] === 0) start++;
    const magnitude = unsignedBigEndian.subarray(start);
    const needsPad = magnitude.length > 0 && (magnitude[0]! & 0x80) !== 0;
    return this.string(needsPad ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude);
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export class SshReader {
  private pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private take(n: number, what: string): Buffer {
    if (n > this.remaining) throw new SshWireError(`${what} is truncated`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  byte(what = 'byte'): number {
    return this.take(1, what)[0]!;
  }

  bool(what = 'boolean'): boolean {
    return this.byte(what) !== 0;
  }

  uint32(what = 'uint32'): number {
    return this.take(4, what).readUInt32BE(0);
  }

  string(what = 'string'): Buffer {
    const len = this.uint32(`${what} length`);
    return this.take(len, what);
  }

  utf8(what = 'string'): string {
    return this.string(what).toString('utf8');
  }

  /** Returns the unsigned magnitude (no sign byte); negative mpints are rejected, as OpenSSH does. */
  mpint(what = 'mpint'): Buffer {
    const bytes = this.string(what);
    if (bytes.length > 0 && (bytes[0]! & 0x80) !== 0) throw new SshWireError(`${what} is negative`);
    if (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) === 0) throw new SshWireError(`${what} has a needless leading zero`);
    return bytes[0] === 0 ? bytes.subarray(1) : bytes;
  }

  raw(n: number, what = 'bytes'): Buffer {
    return this.take(n, what);
  }

  rest(): Buffer {
    return this.take(this.remaining, 'rest');
  }

  /** Every format here forbids trailing bytes (sshd rejects them too). */
  end(what = 'data'): void {
    if (this.remaining !== 0) throw new SshWireError(`${this.remaining} unexpected trailing bytes after ${what}`);
  }
}
