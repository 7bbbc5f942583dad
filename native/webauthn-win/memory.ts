// Native memory for one webauthn.dll call. Everything the request structures point to lives in
// blocks we allocate here, so addresses stay valid for the whole (asynchronous) call and nothing
// depends on koffi's per-call temporary buffers. dispose() wipes every block before freeing it:
// key handles and user ids are secrets and must not linger in freed heap memory.
import koffi from 'koffi';
import type { TypeObject } from 'koffi';
import type { Address } from './structs';

interface Block { address: bigint; size: number }

export class NativeArena {
  private blocks: Block[] = [];

  /** A copy of `data` in native memory; NULL for empty data (webauthn.h pairs every pb* with a cb*). */
  bytes(data: Uint8Array): Address {
    if (data.length === 0) return null;
    const address = this.allocate(data.length);
    koffi.encode(address, 'uint8_t', data, data.length);
    return address;
  }

  /** A NUL-terminated UTF-16LE string (PCWSTR). */
  wideString(text: string): bigint {
    const units = Buffer.from(`${text}\0`, 'utf16le');
    const address = this.allocate(units.length);
    koffi.encode(address, 'uint8_t', units, units.length);
    return address;
  }

  /** A struct (or array of structs) encoded with koffi at a fresh address. */
  struct(type: TypeObject, value: unknown): bigint {
    const address = this.allocate(koffi.sizeof(type));
    koffi.encode(address, type, value);
    return address;
  }

  structArray(type: TypeObject, values: unknown[]): Address {
    if (values.length === 0) return null;
    const size = koffi.sizeof(type);
    const address = this.allocate(size * values.length);
    values.forEach((value, i) => koffi.encode(address, i * size, type, value));
    return address;
  }

  /** Zero-filled memory, e.g. for an output GUID. */
  zeroed(size: number): bigint {
    return this.allocate(size);
  }

  dispose(): void {
    for (const block of this.blocks) {
      koffi.encode(block.address, 'uint8_t', new Uint8Array(block.size), block.size);
      koffi.free(block.address);
    }
    this.blocks = [];
  }

  private allocate(size: number): bigint {
    const address = koffi.alloc('uint8_t', size) as bigint;
    koffi.encode(address, 'uint8_t', new Uint8Array(size), size);
    this.blocks.push({ address, size });
    return address;
  }
}

/** Copies `length` bytes from native memory (an empty Buffer for NULL or 0). */
export function readBytes(address: Address, length: number): Buffer {
  if (address === null || length === 0) return Buffer.alloc(0);
  return Buffer.from(koffi.decode(address, 'uint8_t', length) as Uint8Array);
}

/** Reads a NUL-terminated UTF-16 string (PCWSTR); null for a NULL pointer. */
export function readWideString(address: Address): string | null {
  if (address === null) return null;
  return koffi.decode.string16(address);
}
