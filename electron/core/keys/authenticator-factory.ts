// Which security keys a process talks to: USB keys, or - when NBG_SIMULATOR names a state file -
// the software authenticator persisted there (drills, demos and tests without hardware).
import { Authenticator, type WindowsRoute } from '../../../native/authenticator/authenticator';
import type { UserInteraction } from '../../../native/interaction';
import { hidKeySource, simulatorKeySource, type KeySource } from '../../../native/authenticator/key-source';
import { openSimulator, type PresenceAnswer } from '../../../native/simulator/index';
import type { WindowHandle } from '../../../native/webauthn-win/webauthn-win';

/** How long the simulated key waits for a "touch" when NBG_SIMULATOR_TOUCH=timeout (a real key: ~30 s). */
const SIMULATED_TOUCH_TIMEOUT_MS = 1_500;
/** NBG_SIMULATOR_TOUCH_MS: the simulated person touches the key this long after it asks (load tests). */
const MAX_SIMULATED_TOUCH_DELAY_MS = 10_000;

/** The delay before a simulated touch: a number of ms up to the bound, else none. */
function touchDelayMs(text: string | undefined): number {
  const ms = Number(text ?? '0');
  return Number.isInteger(ms) && ms > 0 ? Math.min(ms, MAX_SIMULATED_TOUCH_DELAY_MS) : 0;
}

export interface KeyEnvironment {
  source: KeySource;
  transport: 'hid' | 'simulator';
}

export async function keySourceFromEnv(env: NodeJS.ProcessEnv): Promise<KeyEnvironment> {
  const stateFile = env.NBG_SIMULATOR;
  if (!stateFile) return { source: hidKeySource(), transport: 'hid' };
  const touch = (env.NBG_SIMULATOR_TOUCH ?? 'approve').toLowerCase();
  const answer: PresenceAnswer = touch === 'deny' ? 'deny' : touch === 'timeout' ? 'never' : 'approve';
  const delay = touchDelayMs(env.NBG_SIMULATOR_TOUCH_MS);
  const sim = await openSimulator({
    stateFile,
    presence: delay ? () => new Promise<PresenceAnswer>((resolve) => setTimeout(() => resolve(answer), delay)) : () => answer,
    ...(answer === 'never' ? { upTimeoutMs: SIMULATED_TOUCH_TIMEOUT_MS } : {}),
  });
  return { source: simulatorKeySource(sim), transport: 'simulator' };
}

export interface WindowsOptions {
  /** Parents Windows' dialogs (the app window; the CLI uses the foreground window). */
  hwnd?: () => WindowHandle | null;
  relaunchElevated?: WindowsRoute['relaunchElevated'];
  /** This process is the elevated copy: raw HID works, so there is no Windows Security route. */
  elevated?: boolean;
  /** Opens Windows' security-key settings (the app: main's shell opener), where such a key changes its PIN. */
  openKeySettings?: () => Promise<void>;
}

/** USB keys, with webauthn.dll as the route on Windows when raw HID is refused (non-elevated). */
export async function authenticatorFromEnv(
  env: NodeJS.ProcessEnv, interaction: UserInteraction, windowsOptions: WindowsOptions = {},
): Promise<{ authenticator: Authenticator; transport: KeyEnvironment['transport'] }> {
  const { source, transport } = await keySourceFromEnv(env);
  const windows = transport === 'hid' && process.platform === 'win32' && !windowsOptions.elevated
    ? await windowsRoute(interaction, windowsOptions)
    : undefined;
  return { authenticator: new Authenticator(source, interaction, windows), transport };
}

/** webauthn.dll through koffi, loaded only on the Windows route (koffi's C type tables cost startup elsewhere). */
async function windowsRoute(interaction: UserInteraction, { hwnd, relaunchElevated }: WindowsOptions): Promise<WindowsRoute> {
  const { tryCreateWebAuthnWin } = await import('../../../native/webauthn-win/webauthn-win');
  return { webauthn: () => tryCreateWebAuthnWin({ interaction, ...(hwnd ? { hwnd } : {}) }), ...(relaunchElevated ? { relaunchElevated } : {}) };
}
