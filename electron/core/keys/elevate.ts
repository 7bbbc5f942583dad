// Windows: run one raw-HID step (resident-key import, PIN management) in an elevated copy of the
// same command, through UAC, and wait for it. Only that step runs elevated; the rest of the app
// stays a normal user process.
import { spawn } from 'node:child_process';
import { NbgError } from '../../../native/errors';

export class ElevatedStepFailedError extends NbgError {
  constructor(detail: string) {
    super('ELEVATED_STEP_FAILED', `The step run as Administrator did not succeed (${detail}).`);
  }
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

/** The PowerShell that starts `file args` elevated, waits, and exits with its exit code. */
export function elevationScript(file: string, args: string[]): string {
  const argumentList = args.map(quoteWindowsArg).join(' ');
  return `$p = Start-Process -FilePath ${psLiteral(file)} -ArgumentList ${psLiteral(argumentList)} -Verb RunAs -Wait -PassThru; exit $p.ExitCode`;
}

/** Re-runs this very command elevated (UAC asks); resolves when it succeeded there. */
export function relaunchCommandElevated(file: string = process.execPath, args: string[] = [...process.execArgv, ...process.argv.slice(1)]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', elevationScript(file, args)], { stdio: 'ignore', windowsHide: true });
    child.once('error', (err) => reject(new ElevatedStepFailedError(err.message)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new ElevatedStepFailedError(`exit code ${code}; declined at the Windows prompt?`))));
  });
}
