// The desktop app's elevated step (Windows without admin rights): resident-key import and PIN
// management need raw HID, which Windows grants only to elevated processes. Main starts a second,
// elevated copy of the app through UAC that runs just that step in a small window and exits 0
// when it succeeded. These are the pure parts; main.ts plugs them into Electron.
import { methods, type MethodName, type Reply } from '../shared/contract';
import {
  ELEVATED_CONTEXT_FLAG, ELEVATED_STEP_FLAG, elevatedContextEnv, elevationExitText, encodeElevatedContext, runElevated, type ElevationSpawn,
} from '../shared/elevation';
import { ErrorCode } from '../shared/error-codes';
import type { ElevatedAction } from '../shared/keys';
import { errorMessage } from '../shared/error-codes';

export class ElevatedWindowError extends Error {
  readonly code = ErrorCode.ELEVATED_STEP_FAILED;
}

export interface ElevatedLaunch {
  file: string;
  args: string[];
}

/**
 * The elevated copy for one step: this executable (plus the app folder when not packaged), the
 * step, and the operator's working directory and profile variables, since UAC passes on neither.
 */
export function elevatedStepLaunch(o: {
  execPath: string; appPath?: string; action: ElevatedAction; cwd: string; env: Readonly<Record<string, string | undefined>>;
}): ElevatedLaunch {
  const context = encodeElevatedContext({ cwd: o.cwd, env: elevatedContextEnv(o.env) });
  return { file: o.execPath, args: [...(o.appPath ? [o.appPath] : []), ELEVATED_STEP_FLAG, o.action, ELEVATED_CONTEXT_FLAG, context] };
}

/** Starts the copy through UAC and waits for it; resolves only when the step succeeded there. */
export async function launchElevatedStep(spawn: ElevationSpawn, launch: ElevatedLaunch): Promise<void> {
  let code: number | null;
  try {
    code = await runElevated(spawn, launch.file, launch.args);
  } catch (err) {
    throw new ElevatedWindowError(`powershell.exe did not start: ${errorMessage(err)}`);
  }
  if (code !== 0) throw new ElevatedWindowError(elevationExitText(code));
}

/** The core host's arguments in the elevated copy: only the step (it inherits the applied context). */
export function stepHostArgs(action: ElevatedAction): string[] {
  return [ELEVATED_STEP_FLAG, action];
}

/** The elevated copy's exit code follows the step: 0 once core:step.run succeeded, 1 otherwise. */
export function stepOutcome(): { observe(method: MethodName, reply: Reply): Reply; exitCode(): number } {
  let succeeded = false;
  return {
    observe(method, reply) {
      if (method === 'core:step.run' && reply.ok && methods['core:step.run'].output.safeParse(reply.value).success) succeeded = true;
      return reply;
    },
    exitCode: () => (succeeded ? 0 : 1),
  };
}
