// Raw native memory for tests: read fields at SDK offsets, and build "images" of webauthn.dll
// result structures (the struct at offset 0, the bytes it points to after it, pointers stored as
// image offsets plus a relocation list). Loading an image copies it into koffi-allocated memory and
// turns the offsets into real addresses, the way webauthn.dll hands out one allocation per result.
import koffi from 'koffi';

const POINTER_BYTES = 8;
const MAX_WIDE_CHARS = 1024;

export function readU32(address: bigint, offset: number): number {
  return koffi.decode(address, offset, 'uint32_t') as number;
}

export function readI32(address: bigint, offset: number): number {
  return koffi.decode(address, offset, 'int32_t') as number;
}

export function readPtr(address: bigint, offset: number): bigint | null {
  const v = BigInt(koffi.decode(address, offset, 'uint64_t') as number | bigint);
  return v === 0n ? null : v;
}

export function readRaw(address: bigint | null, length: number): Buffer {
  if (address === null || length === 0) return Buffer.alloc(0);
  return Buffer.from(koffi.decode(address, 'uint8_t', length) as Uint8Array);
}

/** UTF-16LE up to the NUL, read unit by unit (no koffi string conversion involved). */
export function readWide(address: bigint | null): string | null {
  if (address === null) return null;
  const units: number[] = [];
  for (let i = 0; i < MAX_WIDE_CHARS; i++) {
    const u = koffi.decode(address, i * 2, 'uint16_t') as number;
    if (u === 0) return String.fromCharCode(...units);
    units.push(u);
  }
  throw new Error('wide string without NUL');
}

export interface NativeImage {
  /** Struct bytes followed by the data they point to; pointer fields hold image offsets. */
  image: Buffer;
  /** Offsets of the pointer fields to relocate. */
  relocations: number[];
}

export class ImageBuilder {
  private buf: Buffer;
  private readonly relocations: number[] = [];

  constructor(structSize: number) {
    this.buf = Buffer.alloc(align(structSize));
  }

  /** Appends zeroed space (8-aligned) and returns its offset. */
  reserve(size: number): number {
    const offset = this.buf.length;
    this.buf = Buffer.concat([this.buf, Buffer.alloc(align(Math.max(size, 1)))]);
    return offset;
  }

  bytes(data: Buffer): number {
    const offset = this.reserve(data.length);
    data.copy(this.buf, offset);
    return offset;
  }

  wide(text: string): number {
    return this.bytes(Buffer.from(`${text}\0`, 'utf16le'));
  }

  u32(offset: number, value: number): this {
    this.buf.writeUInt32LE(value >>> 0, offset);
    return this;
  }

  i32(offset: number, value: number): this {
    this.buf.writeInt32LE(value, offset);
    return this;
  }

  /** Pointer field at `offset` to image offset `target` (null = NULL). */
  ptr(offset: number, target: number | null): this {
    if (target === null) {
      this.buf.writeBigUInt64LE(0n, offset);
    } else {
      this.buf.writeBigUInt64LE(BigInt(target), offset);
      this.relocations.push(offset);
    }
    return this;
  }

  /** cb/pb pair: length at `countOffset`, pointer to a copy of `data` at `ptrOffset`. */
  blob(countOffset: number, ptrOffset: number, data: Buffer): this {
    this.u32(countOffset, data.length);
    return this.ptr(ptrOffset, data.length === 0 ? null : this.bytes(data));
  }

  build(): NativeImage {
    return { image: Buffer.from(this.buf), relocations: [...this.relocations] };
  }
}

function align(n: number): number {
  return Math.ceil(n / POINTER_BYTES) * POINTER_BYTES;
}

/** Copies an image into fresh native memory and relocates its pointers; free with koffi.free. */
export function loadImage(img: NativeImage): bigint {
  const address = koffi.alloc('uint8_t', img.image.length) as bigint;
  const copy = Buffer.from(img.image);
  for (const off of img.relocations) copy.writeBigUInt64LE(address + copy.readBigUInt64LE(off), off);
  koffi.encode(address, 'uint8_t', copy, copy.length);
  return address;
}
