// 512x512 RGBA PNG: a purple rounded square with a white key glyph (ring + shaft + teeth).
import { deflateSync, crc32 } from 'node:zlib';
import { writeFileSync } from 'node:fs';
const N = 512;
const px = Buffer.alloc(N * (N * 4 + 1));
const inRounded = (x, y) => { const r = 96, m = 24; const cx = Math.min(Math.max(x, m + r), N - m - r), cy = Math.min(Math.max(y, m + r), N - m - r); return x >= m && y >= m && x < N - m && y < N - m && (x - cx) ** 2 + (y - cy) ** 2 <= r * r; };
const key = (x, y) => {
  const d = Math.hypot(x - 180, y - 256);
  if (d <= 90 && d >= 45) return true;                       // ring
  if (x >= 260 && x <= 420 && Math.abs(y - 256) <= 22) return true; // shaft
  if (x >= 360 && x <= 385 && y >= 256 && y <= 330) return true;    // tooth
  if (x >= 400 && x <= 420 && y >= 256 && y <= 310) return true;    // tooth
  return false;
};
for (let y = 0; y < N; y++) {
  px[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N; x++) {
    const o = y * (N * 4 + 1) + 1 + x * 4;
    if (!inRounded(x, y)) continue;
    const [r, g, b] = key(x, y) ? [255, 255, 255] : [110, 64, 201];
    px[o] = r; px[o + 1] = g; px[o + 2] = b; px[o + 3] = 255;
  }
}
const chunk = (type, data) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(type), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc32(td)); return Buffer.concat([len, td, c]); };
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4); ihdr[8] = 8; ihdr[9] = 6;
writeFileSync(process.argv[2], Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px, { level: 9 })), chunk('IEND', Buffer.alloc(0))]));
