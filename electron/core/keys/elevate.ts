// Windows: run one raw-HID step (resident-key import, PIN management) elevated through UAC, and
// wait for it. Only that step runs elevated; the rest stays a normal user process. The CLI re-runs
// its own command; the desktop app asks main to start an elevated copy of the app for the step.
import { spawn } from 'node:child_process';
import { NbgError, errorMessage } from '../../../native/errors';
import { actionText, ElevationRequiredError, isRawHidAction, type KeyAction } from '../../../native/authenticator/transport-choice';
import type { Progress } from '../../shared/contract';
import {
  ELEVATED_CONTEXT_FLAG, elevatedContextEnv, elevationExitText, encodeElevatedContext, runElevated, type ElevatedContext,
} from '../../shared/elevation';
import { ErrorCode } from '../../shared/error-codes';
import type { OsServices } from '../../shared/os';

export class ElevatedStepFailedError extends NbgError {
  constructor(detail: string) {
    super(ErrorCode.ELEVATED_STEP_FAILED, `The step run as Administrator did not succeed (${detail}).`);
  }
}

/** The context an elevated copy needs to find this operator's folders. */
export function currentElevatedContext(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): ElevatedContext {
  return { cwd, env: elevatedContextEnv(env) };
}

/** `nbg` arguments for the elevated copy: the context first, then the command (any older context dropped). */
export function elevatedCommandArgs(commandArgs: readonly string[], context: ElevatedContext): string[] {
  const command = commandArgs[0] === ELEVATED_CONTEXT_FLAG ? commandArgs.slice(2) : commandArgs;
  return [ELEVATED_CONTEXT_FLAG, encodeElevatedContext(context), ...command];
}

/** Re-runs this very command elevated (UAC asks), with the operator's folders; resolves when it succeeded there. */
export async function relaunchCommandElevated(context: ElevatedContext): Promise<void> {
  const [script, ...commandArgs] = process.argv.slice(1);
  if (script === undefined) throw new ElevatedStepFailedError('this process has no script to re-run');
  let code: number | null;
  try {
    code = await runElevated(spawn, process.execPath, [...process.execArgv, script, ...elevatedCommandArgs(commandArgs, context)]);
  } catch (err) {
    throw new ElevatedStepFailedError(errorMessage(err));
  }
  if (code !== 0) throw new ElevatedStepFailedError(elevationExitText(code));
}

/**
 * The desktop app's relaunch: main runs the step in an elevated copy of the app. Progress lines
 * tell the operator's window where the step went and how it ended.
 */
export function desktopRelaunch(os: Pick<OsServices, 'relaunchElevated'>, progress: (p: Progress) => void): (action: KeyAction) => Promise<void> {
  return async (action) => {
    // Enroll and sign produce results this process needs; only import and PIN changes can run elsewhere.
    if (!isRawHidAction(action)) throw new ElevationRequiredError(action, `${actionText(action)} cannot run in a separate Administrator window.`);
    const report = (step: string, done: boolean) => progress({ operation: action, step, done });
    report('Finish this step in the Administrator window. Windows asks for permission first.', false);
    try {
      await os.relaunchElevated(action);
    } catch (err) {
      report('The Administrator window did not finish this step.', true);
      throw new ElevatedStepFailedError(errorMessage(err));
    }
    report('Done in the Administrator window.', true);
  };
}
