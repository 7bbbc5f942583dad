// `nbg agent` as a child process that signs unattended. With --pin-stdin it reads one PIN line per
// signature and prints no PIN prompt, only the touch prompt that follows the PIN: so one PIN is
// kept queued on its stdin, given at start and again after each touch prompt.
import { spawn } from 'node:child_process';

const START_TIMEOUT_MS = 30_000;
const TOUCH_PROMPT = /Touch your security key to [^\n]*\n/g;
/** Longer than any touch prompt, so a partly received one is kept. */
const PROMPT_TAIL_CHARS = 1024;

export interface NbgAgent {
  socket: string;
  /** Signatures made so far (touch prompts seen). */
  signatures(): number;
  /** The end of what it printed on stderr, for error messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/** `node <nbg> agent --socket SOCKET --pin-stdin ...extraArgs`; resolves once it serves SOCKET. */
export function startNbgAgent(opts: {
  nbg: string[]; socket: string; pin: string; env: NodeJS.ProcessEnv; extraArgs?: string[];
  /** PIN lines queued at start (default 1): more let that many signatures ask at once, as people at several terminals would. */
  pinsAhead?: number;
}): Promise<NbgAgent> {
  const child = spawn(process.execPath, [...opts.nbg, 'agent', '--socket', opts.socket, '--pin-stdin', ...(opts.extraArgs ?? [])],
    { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const givePin = (): void => { child.stdin.write(`${opts.pin}\n`); };
  let stderr = '';
  let touches = 0;
  let unseen = '';
  for (let i = 0; i < (opts.pinsAhead ?? 1); i++) givePin();
  child.stderr.on('data', (d: Buffer) => {
    const text = d.toString();
    stderr = (stderr + text).slice(-8192);
    // A prompt may arrive split over chunks: look at what follows the last one counted.
    unseen += text;
    let seenUpTo = 0;
    for (const m of unseen.matchAll(TOUCH_PROMPT)) {
      touches++;
      givePin();
      seenUpTo = m.index + m[0].length;
    }
    unseen = unseen.slice(seenUpTo).slice(-PROMPT_TAIL_CHARS);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => { void stop(); reject(new Error(`nbg agent did not start: ${stderr}`)); }, START_TIMEOUT_MS);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`nbg agent exited ${code}: ${stderr}`)); });
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      if (!stdout.startsWith(`SSH_AUTH_SOCK=${opts.socket};`)) reject(new Error(`nbg agent printed ${stdout}`));
      else resolve({ socket: opts.socket, signatures: () => touches, stderr: () => stderr, stop });
    });
  });
}
