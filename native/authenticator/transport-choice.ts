// Which way to reach the security key. Raw HID (CTAPHID) is the full-featured path; on Windows
// 10 1903+ a non-elevated process is refused raw FIDO HID access, and then enroll and sign go
// through Windows WebAuthn (webauthn.dll) instead. Resident-key import and PIN management have no
// webauthn.dll equivalent: those need raw HID, so the operator is offered to run just that action
// elevated. The decision is pure; the facts (can HID open, is webauthn.dll usable) are injected.
import { NbgError } from '../errors';
import { HidAccessDeniedError } from '../hid/errors';
import type { PromptContext, UserInteraction } from '../interaction';
import { ErrorCode } from '../../electron/shared/error-codes';

/** Actions webauthn.dll can do for us. */
export type WebAuthnCapableAction = 'enroll' | 'sign';
/** Actions that need raw CTAP: credential management (list/import resident keys), clientPIN. */
export type RawHidAction = 'import-resident' | 'pin-management';
export type KeyAction = WebAuthnCapableAction | RawHidAction;

const RAW_HID_ACTIONS: readonly KeyAction[] = ['import-resident', 'pin-management'];

export function isRawHidAction(action: KeyAction): action is RawHidAction {
  return RAW_HID_ACTIONS.includes(action);
}

const ACTION_TEXT: Record<KeyAction, string> = {
  'enroll': 'Creating an SSH key on the security key',
  'sign': 'Signing in with the security key',
  'import-resident': 'Importing the SSH keys stored on the security key',
  'pin-management': 'Setting or changing the security key PIN',
};

/** The action as an operator reads it ("Importing the SSH keys stored on the security key"). */
export function actionText(action: KeyAction): string {
  return ACTION_TEXT[action];
}

export type HidOutcome<H> = { opened: H } | { error: unknown };

export type TransportDecision<H> =
  | { kind: 'hid'; connection: H }
  | { kind: 'webauthn-win' }
  /** Raw HID is refused and this action cannot use webauthn.dll: offer to run it elevated. */
  | { kind: 'needs-elevation'; action: KeyAction; reason: string }
  /** Not a case we route around: surface the HID error itself. */
  | { kind: 'fail'; error: unknown };

export interface TransportEnvironment {
  platform: NodeJS.Platform;
  /** webauthn.dll loads and is recent enough (only ever true on Windows). */
  webAuthnAvailable: boolean;
}

/** The pure rule. */
export function decideTransport<H>(action: KeyAction, hid: HidOutcome<H>, env: TransportEnvironment): TransportDecision<H> {
  if ('opened' in hid) return { kind: 'hid', connection: hid.opened };
  // Access denied means "not elevated" only on Windows; elsewhere (Linux udev rules) it is a setup
  // problem the HID error already explains.
  if (!(hid.error instanceof HidAccessDeniedError) || env.platform !== 'win32') return { kind: 'fail', error: hid.error };
  const rawOnly = isRawHidAction(action);
  if (!rawOnly && env.webAuthnAvailable) return { kind: 'webauthn-win' };
  const reason = rawOnly
    ? `${ACTION_TEXT[action]} needs direct access to the key, which Windows only allows to programs running as Administrator ` +
      '(the Windows Security dialog cannot list stored keys or manage the PIN).'
    : `${ACTION_TEXT[action]} needs Windows WebAuthn, which is not available on this Windows, or Administrator rights.`;
  return { kind: 'needs-elevation', action, reason };
}

/** The operator declined to run the action elevated, or elevation is not possible here. */
export class ElevationRequiredError extends NbgError {
  constructor(readonly action: KeyAction, reason: string) {
    super(ErrorCode.NEEDS_ELEVATION, `${reason} Run this step as Administrator to continue.`);
  }
}

export interface TransportFacts<H> {
  platform: NodeJS.Platform;
  /** Opens the key over raw HID; throws native/hid's HidAccessDeniedError when the OS refuses. */
  openHid(): Promise<H>;
  /** webauthn.dll loads and is recent enough (Windows only). */
  webAuthnAvailable(): boolean;
  /** Runs `action` in an elevated copy of the app (UAC prompt) and resolves when it finished there. */
  relaunchElevated?(action: KeyAction): Promise<void>;
  interaction?: UserInteraction;
  context?: PromptContext;
}

export type TransportChoice<H> =
  | { kind: 'hid'; connection: H }
  | { kind: 'webauthn-win' }
  /** The action already ran in the elevated copy. */
  | { kind: 'done-elevated'; action: KeyAction };

export async function chooseTransport<H>(action: KeyAction, facts: TransportFacts<H>): Promise<TransportChoice<H>> {
  let hidError: unknown;
  try {
    return { kind: 'hid', connection: await facts.openHid() };
  } catch (error) {
    hidError = error;
  }
  const decision = decideTransport<H>(action, { error: hidError }, {
    platform: facts.platform,
    webAuthnAvailable: facts.platform === 'win32' && facts.webAuthnAvailable(),
  });
  switch (decision.kind) {
    case 'hid': // not reached: an opened connection returned above
    case 'webauthn-win':
      return decision;
    case 'fail':
      throw decision.error;
    case 'needs-elevation': {
      const { interaction, context, relaunchElevated } = facts;
      if (!relaunchElevated || !interaction) throw new ElevationRequiredError(action, decision.reason);
      const yes = await interaction.confirm({
        kind: 'elevate',
        message: `${decision.reason} Run just this step as Administrator? Windows will ask for permission.`,
        context: context ?? { purpose: ACTION_TEXT[action] },
      });
      if (!yes) throw new ElevationRequiredError(action, decision.reason);
      await relaunchElevated(action);
      return { kind: 'done-elevated', action };
    }
  }
}
