// Running one raw-HID key step as Administrator on Windows (UAC), shared by the `nbg` command line
// (core) and the desktop app (main). A process started through UAC gets neither the caller's
// environment nor its working directory, and with over-the-shoulder elevation it runs as another
// Windows account: the elevated copy is told in one argument (the "context") where the operator's
// folders are. Node-side only (Buffer); never used by the renderer.
import { z } from 'zod';
import { ElevatedAction } from './keys';

import { ELEVATED_CONTEXT_FLAG } from './elevation-flag';

export { ELEVATED_CONTEXT_FLAG };
/** The desktop app's elevated copy runs just this step: `--nbg-elevated-step <action>`. */
export const ELEVATED_STEP_FLAG = '--nbg-elevated-step';

/** Profile variables that make appHome()/sshDir() resolve to the operator's folders. */
const PROFILE_VARS = new Set(['USERPROFILE', 'HOME', 'APPDATA', 'XDG_CONFIG_HOME']);
const MAX_CONTEXT_CHARS = 16_384;
const MAX_VALUE_CHARS = 4096;

/**
 * Which variables the context carries: the profile variables and NBG_* settings, never tokens
 * (NBG_GRAPH_TOKEN, NBG_ARM_TOKEN): the elevated step needs none, and arguments are not secret.
 */
export function isCarriedVariable(name: string): boolean {
  const upper = name.toUpperCase(); // Windows variable names are case-insensitive
  return PROFILE_VARS.has(upper) || (upper.startsWith('NBG_') && !upper.endsWith('_TOKEN'));
}

export const ElevatedContext = z.object({
  /** The operator's working directory (relative paths in the command and in NBG_* resolve there). */
  cwd: z.string().min(1).max(MAX_VALUE_CHARS).regex(/^([A-Za-z]:[\\/]|\\\\|\/)/, 'must be an absolute path'),
  env: z.record(
    z.string().max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/).refine(isCarriedVariable, 'is not a variable the context may set'),
    z.string().max(MAX_VALUE_CHARS).refine((v) => !v.includes('\0'), 'contains NUL'),
  ).refine((env) => Object.keys(env).length <= 64, 'too many variables'),
}).strict();
export type ElevatedContext = z.infer<typeof ElevatedContext>;

/** The carried variables of `env` (no PIN, token or other secret ever goes into a context). */
export function elevatedContextEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isCarriedVariable(name)) out[name] = value;
  }
  return out;
}

/** One command-line argument: base64url of the JSON. */
export function encodeElevatedContext(context: ElevatedContext): string {
  const encoded = Buffer.from(JSON.stringify(ElevatedContext.parse(context)), 'utf8').toString('base64url');
  if (encoded.length > MAX_CONTEXT_CHARS) throw new RangeError(`elevated context too long (${encoded.length} characters)`);
  return encoded;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Reads a context argument; anything malformed is refused (it crosses into an elevated process). */
export function decodeElevatedContext(arg: string): Decoded<ElevatedContext> {
  if (arg.length > MAX_CONTEXT_CHARS || !/^[A-Za-z0-9_-]+$/.test(arg)) return { ok: false, reason: 'the elevated context is not base64url text of a bounded size' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(arg, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'the elevated context is not JSON' };
  }
  const parsed = ElevatedContext.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `the elevated context is malformed (${issue ? `${issue.path.join('.') || 'context'}: ${issue.message}` : 'invalid'})` };
  }
  return { ok: true, value: parsed.data };
}

/**
 * Makes `env` the operator's as far as the context tells: carried variables of this process that
 * the operator did not have are removed, the operator's are set. Mutates `env`.
 */
export function applyElevatedContext(env: Record<string, string | undefined>, context: ElevatedContext): void {
  for (const name of Object.keys(env)) {
    if (isCarriedVariable(name)) delete env[name];
  }
  Object.assign(env, context.env);
}

/** The elevated desktop copy's step and context from its argv (flags anywhere after the executable). */
export function readElevatedStep(argv: readonly string[]): { kind: 'none' } | { kind: 'step'; action: ElevatedAction; context: ElevatedContext } | { kind: 'invalid'; reason: string } {
  const action = flagValue(argv, ELEVATED_STEP_FLAG);
  if (action === undefined) return { kind: 'none' };
  const parsedAction = ElevatedAction.safeParse(action);
  if (!parsedAction.success) return { kind: 'invalid', reason: `${ELEVATED_STEP_FLAG} needs one of ${ElevatedAction.options.join(', ')}` };
  const context = flagValue(argv, ELEVATED_CONTEXT_FLAG);
  if (context === undefined || context === null) return { kind: 'invalid', reason: `${ELEVATED_STEP_FLAG} needs ${ELEVATED_CONTEXT_FLAG} <context>` };
  const decoded = decodeElevatedContext(context);
  return decoded.ok ? { kind: 'step', action: parsedAction.data, context: decoded.value } : { kind: 'invalid', reason: decoded.reason };
}

/** The core host's step (main passes only the action; the context is already applied). */
export function readStepAction(argv: readonly string[]): ElevatedAction | undefined {
  const parsed = ElevatedAction.safeParse(flagValue(argv, ELEVATED_STEP_FLAG));
  return parsed.success ? parsed.data : undefined;
}

/** The value after `flag`: undefined when the flag is absent, null when nothing follows it. */
function flagValue(argv: readonly string[], flag: string): string | null | undefined {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1] ?? null;
}

/** One argument as CommandLineToArgvW reads it back (backslashes double only before a quote). */
export function quoteWindowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    out += ch === '"' ? `${'\\'.repeat(slashes * 2 + 1)}"` : `${'\\'.repeat(slashes)}${ch}`;
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

/** A PowerShell single-quoted literal. */
function psLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Exit code of the elevation script when Windows did not start the copy (ERROR_CANCELLED). */
export const ELEVATION_NOT_STARTED = 1223;

/**
 * The PowerShell that starts `file args` elevated, waits, and exits with its exit code; when the
 * permission prompt is declined (or the start fails) it exits with ELEVATION_NOT_STARTED.
 */
export function elevationScript(file: string, args: string[]): string {
  const argumentList = args.map(quoteWindowsArg).join(' ');
  return `try { $p = Start-Process -FilePath ${psLiteral(file)} -ArgumentList ${psLiteral(argumentList)} -Verb RunAs -Wait -PassThru -ErrorAction Stop } ` +
    `catch { exit ${ELEVATION_NOT_STARTED} }; exit $p.ExitCode`;
}

/** What a non-zero exit of the elevation script means, for an operator. */
export function elevationExitText(code: number | null): string {
  return code === ELEVATION_NOT_STARTED
    ? 'Windows did not start it: the permission prompt was declined or the start failed'
    : `the Administrator window ended with exit code ${code ?? 'unknown'}: the step failed or was cancelled there`;
}

/** The slice of child_process.spawn the elevation needs (injected: shared code imports no built-ins). */
export type ElevationSpawn = (command: string, args: string[], options: { stdio: 'ignore'; windowsHide: boolean }) => {
  once(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
};

/** Runs `file args` elevated through UAC and resolves with the exit code once it ended. */
export function runElevated(spawn: ElevationSpawn, file: string, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', elevationScript(file, args)], { stdio: 'ignore', windowsHide: true });
    child.once('error', reject);
    child.once('exit', resolve);
  });
}
