/** mulberry32: small, fast, seedable; the same seed gives the same cases on every machine. */
export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(256);
    return b;
  }
}

/** Values at CBOR head boundaries and CTAPHID field edges, favoured by the mutators. */
const INTERESTING = [0x00, 0x01, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x3f, 0x40, 0x5f, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xf4, 0xf5, 0xf6, 0xf7, 0xfa, 0xff];

/** One random byte-level mutation (1-4 stacked). */
export function mutateBytes(rng: Prng, input: Buffer): Buffer {
  let b = Buffer.from(input);
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const pos = b.length ? rng.int(b.length) : 0;
    switch (rng.int(8)) {
      case 0:
        if (b.length) b[pos] = (b[pos] as number) ^ (1 << rng.int(8));
        break;
      case 1:
        if (b.length) b[pos] = rng.int(256);
        break;
      case 2:
        if (b.length) b[pos] = rng.pick(INTERESTING);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, pos), rng.bytes(1 + rng.int(4)), b.subarray(pos)]);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, pos), b.subarray(pos + 1 + rng.int(8))]);
        break;
      case 5:
        b = b.subarray(0, pos);
        break;
      case 6: {
        const len = 1 + rng.int(16);
        b = Buffer.concat([b.subarray(0, pos), b.subarray(pos, pos + len), b.subarray(pos)]);
        break;
      }
      default:
        if (b.length >= 2) {
          const at = rng.int(b.length - 1);
          b.writeUInt16BE(rng.pick([0, 1, 0x17, 0x18, 0xff, 0x100, 0x1dc9, 0xffff]), at);
        }
    }
  }
  return b;
}
