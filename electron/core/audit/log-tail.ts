// The end of the log without reading the rest: positional reads backwards from the end, a chunk
// at a time, until the last few complete lines are in hand.
import type { promises as fs } from 'node:fs';
import { AuditLogCorruptError } from './errors';

/** Most entries are a few hundred bytes; a longer last line just takes more chunks. */
const TAIL_CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface LogTail {
  /** Up to the requested number of complete lines, in file order, without their newlines. */
  lines: string[];
  /** Bytes after the last newline (a torn append), decoded as parseAuditLog would decode them. */
  torn?: string;
}

export async function readLogTail(file: string, handle: fs.FileHandle, maxLines: number): Promise<LogTail> {
  const { size } = await handle.stat();
  const chunks: Buffer[] = [];
  let start = size;
  let newlines = 0;
  // maxLines complete lines need maxLines + 1 newlines: the one before the first of them as well.
  while (start > 0 && newlines <= maxLines) {
    const length = Math.min(TAIL_CHUNK_BYTES, start);
    start -= length;
    const chunk = await readAt(file, handle, start, length);
    chunks.unshift(chunk);
    for (const byte of chunk) if (byte === NEWLINE) newlines++;
  }
  const bytes = Buffer.concat(chunks);
  // A newline byte never occurs inside a UTF-8 sequence, so decoding from one is decoding the file.
  const end = bytes.lastIndexOf(NEWLINE) + 1;
  const parts = bytes.subarray(0, end).toString('utf8').split('\n');
  parts.pop(); // after the last newline: the torn part, taken from the bytes below
  if (start > 0) parts.shift(); // begins in the middle of a line
  const torn = end < bytes.length ? bytes.subarray(end).toString('utf8') : undefined;
  return { lines: parts.slice(Math.max(0, parts.length - maxLines)), ...(torn === undefined ? {} : { torn }) };
}

async function readAt(file: string, handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new AuditLogCorruptError(file, `it shrank to ${position + filled} bytes while being opened`);
    filled += bytesRead;
  }
  return buffer;
}
