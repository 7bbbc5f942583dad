// Session recordings in asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/), playable
// with stock asciinema. Written incrementally so a crash loses at most the last event.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { appHome } from '../paths';
import { RecordingClosedError, RecordingInvalidError } from './errors';

export const ASCIICAST_VERSION = 2;

export interface RecorderOptions {
  /** Defaults to appHome()/recordings. */
  dir?: string;
  width: number;
  height: number;
  title: string;
  term?: string;
  /** Keystrokes can contain passwords typed at a prompt: off unless the operator asks. */
  recordInput?: boolean;
  /** Milliseconds, monotonic; injectable so tests control event times. */
  now?: () => number;
  /** Wall clock for the header timestamp. */
  wallClock?: () => Date;
}

export interface RecordingResult {
  file: string;
  sha256: string;
  bytes: number;
}

export function recordingsDir(home: string = appHome()): string {
  return path.join(home, 'recordings');
}

export class AsciicastRecorder {
  private queue: Promise<void> = Promise.resolve();
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private closed = false;
  private failure: Error | undefined;
  private readonly outDecoder = new StringDecoder('utf8');
  private readonly inDecoder = new StringDecoder('utf8');

  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
    private readonly start: number,
    private readonly now: () => number,
    readonly recordsInput: boolean,
  ) {}

  static async create(opts: RecorderOptions): Promise<AsciicastRecorder> {
    const dir = opts.dir ?? recordingsDir();
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const wall = (opts.wallClock ?? (() => new Date()))();
    const slug = opts.title.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'session';
    const stamp = wall.toISOString().replace(/[:.]/g, '-');
    const file = path.join(dir, `${stamp}-${slug}-${randomBytes(3).toString('hex')}.cast`);
    const handle = await fs.open(file, 'wx', 0o600);
    const now = opts.now ?? (() => performance.now());
    const rec = new AsciicastRecorder(file, handle, now(), now, opts.recordInput ?? false);
    const header = { version: ASCIICAST_VERSION, width: opts.width, height: opts.height, timestamp: Math.floor(wall.getTime() / 1000), env: { TERM: opts.term ?? 'xterm-256color' }, title: opts.title };
    rec.enqueue(`${JSON.stringify(header)}\n`);
    return rec;
  }

  /** Terminal output bytes; split UTF-8 sequences are held until complete. */
  output(data: Uint8Array | string): void {
    this.event('o', typeof data === 'string' ? data : this.outDecoder.write(Buffer.from(data)));
  }

  /** Keystrokes; dropped unless input recording was switched on. */
  input(data: Uint8Array | string): void {
    if (!this.recordsInput) return;
    this.event('i', typeof data === 'string' ? data : this.inDecoder.write(Buffer.from(data)));
  }

  resize(width: number, height: number): void {
    this.event('r', `${width}x${height}`);
  }

  /** Flushes, fsyncs and closes; the sha256 is over the whole file as written. */
  async close(): Promise<RecordingResult> {
    if (this.closed) throw new RecordingClosedError(this.file);
    this.event('o', this.outDecoder.end());
    if (this.recordsInput) this.event('i', this.inDecoder.end());
    this.closed = true;
    await this.queue;
    try {
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    if (this.failure) throw this.failure;
    return { file: this.file, sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  private event(code: 'o' | 'i' | 'r', data: string): void {
    if (this.closed) throw new RecordingClosedError(this.file);
    if (data === '') return;
    const t = Math.round((this.now() - this.start) * 1000) / 1e6;
    this.enqueue(`${JSON.stringify([t, code, data])}\n`);
  }

  private enqueue(line: string): void {
    const buf = Buffer.from(line, 'utf8');
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await this.handle.write(buf);
        this.hash.update(buf);
        this.bytes += buf.length;
      } catch (err) {
        this.failure = err as Error;
      }
    });
  }
}

const header = z.object({
  version: z.literal(ASCIICAST_VERSION),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  timestamp: z.number().int().optional(),
  title: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const eventLine = z.tuple([z.number().min(0), z.enum(['o', 'i', 'r', 'm']), z.string()]);

export interface AsciicastReplay {
  header: z.infer<typeof header>;
  events: { t: number; code: 'o' | 'i' | 'r' | 'm'; data: string }[];
  /** The concatenated output stream, as the terminal received it. */
  output: Buffer;
  sha256: string;
}

export async function replayAsciicast(file: string): Promise<AsciicastReplay> {
  const raw = await fs.readFile(file);
  const lines = raw.toString('utf8').split('\n').filter((l) => l !== '');
  const parse = <T>(schema: z.ZodType<T>, text: string | undefined, what: string): T => {
    try {
      return schema.parse(JSON.parse(text ?? ''));
    } catch {
      throw new RecordingInvalidError(file, `${what} is not valid`);
    }
  };
  const head = parse(header, lines[0], 'the header line');
  const events = lines.slice(1).map((l, i) => {
    const [t, code, data] = parse(eventLine, l, `event line ${i + 2}`);
    return { t, code, data };
  });
  const output = Buffer.from(events.filter((e) => e.code === 'o').map((e) => e.data).join(''), 'utf8');
  return { header: head, events, output, sha256: createHash('sha256').update(raw).digest('hex') };
}
