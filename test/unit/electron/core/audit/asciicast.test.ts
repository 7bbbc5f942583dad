import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { AsciicastRecorder, replayAsciicast } from '../../../../../electron/core/audit/index';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nbg-cast-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

function fakeClock(stepMs: number): () => number {
  let t = 1000;
  return () => (t += stepMs);
}

test('output and resizes replay to the same bytes; the file hash matches what close returned', async (t) => {
  const dir = await tempDir(t);
  const rec = await AsciicastRecorder.create({ dir, width: 80, height: 24, title: 'leaf-02 via jump-01', now: fakeClock(250),
    wallClock: () => new Date('2026-11-21T12:00:00Z') });
  const eos = Buffer.from('leaf-02>show version\r\nArista DCS-7280 — “EOS” ✓\r\n\x1b[1mleaf-02>\x1b[0m', 'utf8');
  // Split inside multi-byte characters: the recorder must not mangle them.
  const cuts = [3, 27, 28, 29, 41, eos.length];
  let from = 0;
  for (const cut of cuts) {
    rec.output(eos.subarray(from, cut));
    from = cut;
  }
  rec.resize(132, 43);
  rec.output(Buffer.from('\r\n'));
  rec.input('secret typed text');
  const result = await rec.close();

  const raw = await fs.readFile(result.file);
  assert.equal(result.sha256, createHash('sha256').update(raw).digest('hex'));
  assert.equal(result.bytes, raw.length);
  assert.equal((await fs.stat(result.file)).mode & 0o777, 0o600);

  const replay = await replayAsciicast(result.file);
  assert.deepEqual(replay.output, Buffer.concat([eos, Buffer.from('\r\n')]));
  assert.equal(replay.sha256, result.sha256);
  assert.deepEqual(replay.header, { version: 2, width: 80, height: 24, timestamp: 1795262400, env: { TERM: 'xterm-256color' }, title: 'leaf-02 via jump-01' });
  assert.deepEqual(replay.events.filter((e) => e.code === 'r').map((e) => e.data), ['132x43']);
  assert.equal(replay.events.some((e) => e.code === 'i'), false, 'input is not recorded by default');
  assert.equal(raw.includes('secret typed text'), false);
  const times = replay.events.map((e) => e.t);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  assert.equal(times[0], 0.25);
});

test('input is recorded only when switched on', async (t) => {
  const dir = await tempDir(t);
  const rec = await AsciicastRecorder.create({ dir, width: 100, height: 30, title: 'x', recordInput: true, now: fakeClock(10) });
  rec.input(Buffer.from('show ver\r'));
  rec.output('show ver\r\n');
  const { file } = await rec.close();
  const replay = await replayAsciicast(file);
  assert.deepEqual(replay.events.map((e) => [e.code, e.data]), [['i', 'show ver\r'], ['o', 'show ver\r\n']]);
});

test('a file that is not asciicast v2 is refused', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'v1.cast');
  await fs.writeFile(file, `${JSON.stringify({ version: 1, width: 80, height: 24 })}\n[0.1,"o","x"]\n`);
  await assert.rejects(replayAsciicast(file), { code: 'RECORDING_INVALID' });
});
