import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseAuditLog } from '../../../../../electron/core/audit/chain';
import { readLogTail } from '../../../../../electron/core/audit/log-tail';

const CHUNK = 64 * 1024;

/** readLogTail must agree with reading the whole file the way the full open and verify do. */
async function agreesWithWholeRead(t: { after: (fn: () => Promise<void>) => void }, bytes: Buffer, maxLines: number): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-audit-tail-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'log.jsonl');
  await fs.writeFile(file, bytes);
  const whole = parseAuditLog(bytes.toString('utf8'));
  const handle = await fs.open(file, 'r');
  try {
    const tail = await readLogTail(file, handle, maxLines);
    assert.deepEqual(tail.lines, whole.lines.slice(-maxLines).map((l) => l.raw));
    assert.equal(tail.torn, whole.tail?.raw);
  } finally {
    await handle.close();
  }
}

test('an empty file has no lines and nothing torn', (t) => agreesWithWholeRead(t, Buffer.alloc(0), 2));

test('short lines: the last two, and the bytes after the last newline', (t) =>
  agreesWithWholeRead(t, Buffer.from('one\ntwo\nthree\n{"seq":4,"ts":"2026-'), 2));

test('fewer lines than asked for: all of them', (t) => agreesWithWholeRead(t, Buffer.from('only\n'), 2));

test('no newline at all: everything is torn', (t) => agreesWithWholeRead(t, Buffer.from('x'.repeat(3 * CHUNK)), 2));

test('lines longer than a read chunk, multi-byte characters across chunk boundaries', (t) => {
  const long = (n: number) => `${'é'.repeat(n)}ü`;
  const text = `${long(CHUNK)}\n${long(CHUNK + 7)}\n${long(3)}\n${long(CHUNK / 2 + 1)}`;
  return agreesWithWholeRead(t, Buffer.from(text), 2);
});

test('a torn tail that ends inside a multi-byte character decodes as the whole read does', (t) => {
  const euro = Buffer.from('€');
  return agreesWithWholeRead(t, Buffer.concat([Buffer.from('a\nb\n{"x":"'), euro.subarray(0, 2)]), 2);
});
