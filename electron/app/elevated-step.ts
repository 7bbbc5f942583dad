// The core of the elevated copy of the desktop app (Windows, started through UAC by the operator's
// app): one raw-HID step with the operator's key folder and app home, as told by the context main
// applied to the environment, and the prompt broker. Nothing else: no Entra sign-in, tokens,
// safeStorage, sessions or audit log.
import { actionText } from '../../native/authenticator/transport-choice';
import type { ElevatedAction, StepOutcome } from '../shared/keys';
import { createCore, type Core } from './dispatcher';
import { authenticatorFromEnv } from '../core/keys/authenticator-factory';
import { runElevatedStep } from '../core/keys/elevated-step';
import { KeyStore } from '../core/keys/store';
import { appHome, sshDir } from '../core/paths';
import { PromptBroker } from '../core/prompts/broker';
import { SettingsStore } from '../core/settings/store';
import { APP_VERSION } from './compose';

export async function composeElevatedStepCore(options: { action: ElevatedAction; env?: NodeJS.ProcessEnv }): Promise<Core> {
  const { action } = options;
  const env = options.env ?? process.env;
  const broker = new PromptBroker();
  // Raw HID only: no relaunch, no Windows Security stand-in key; a refused open says so.
  const { authenticator } = await authenticatorFromEnv(env, broker, { elevated: true });
  const store = new KeyStore(sshDir(env));
  let outcome: Promise<StepOutcome> | undefined;
  return createCore({
    version: APP_VERSION, drill: false, settings: SettingsStore.inHome(appHome(env)), broker,
    step: {
      step: { action, text: actionText(action) },
      // Runs once; asking again (a reloaded window) gets the same outcome.
      run: () => (outcome ??= runElevatedStep(action, { authenticator, store, interaction: broker })),
    },
  });
}
