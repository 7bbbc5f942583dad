// The one step the elevated copy of the desktop app runs (Windows without admin rights): import the
// resident keys into the operator's key folder, or set / change the PIN. Same authenticator, key
// store and prompts as the app; the operator answers them in the elevated window. The audit log
// is not written here: the operator's app holds it (one writer) and records the imported keys
// when the step returns.
import { CancelledError, KeyCapabilityError, NoSecurityKeyError, type Authenticator, type SecurityKeyInfo } from '../../../native/authenticator/authenticator';
import { NbgError } from '../../../native/errors';
import type { PromptContext } from '../../../native/interaction';
import type { ElevatedAction, ElevatedStep, StepOutcome } from '../../shared/keys';
import type { StepInteraction } from '../prompts/interaction';
import { importResidentKeys } from './enroll';
import type { KeyStore } from './store';

/** The elevated copy of the app (Windows): one raw-HID step, run once. */
export interface StepService {
  step: ElevatedStep;
  run(): Promise<StepOutcome>;
}

export interface ElevatedStepDeps {
  authenticator: Authenticator;
  store: KeyStore;
  interaction: StepInteraction;
}

export async function runElevatedStep(action: ElevatedAction, deps: ElevatedStepDeps): Promise<StepOutcome> {
  return action === 'import-resident' ? importStep(deps) : pinStep(deps);
}

async function importStep({ authenticator, store, interaction }: ElevatedStepDeps): Promise<StepOutcome> {
  const imported = await importResidentKeys(authenticator, store, interaction);
  const saved = imported.filter((k) => !k.skipped).length;
  return {
    message: imported.length === 0 ? 'The security key holds no resident ssh: keys.'
      : `Saved ${saved} of ${imported.length} SSH ${imported.length === 1 ? 'key' : 'keys'} into ${store.dir}.`,
    details: imported.map((k) => `${k.skipped ? 'Kept existing' : 'Saved'} ${k.file} (${k.fingerprint})`),
  };
}

/** Set the PIN of a key without one; change it (current PIN first) on a key that has one. */
async function pinStep({ authenticator, interaction }: ElevatedStepDeps): Promise<StepOutcome> {
  const key = await chooseKey(authenticator, interaction);
  const context: PromptContext = { purpose: key.pin === 'set' ? `change the PIN of ${key.label}` : `set the PIN of ${key.label}` };
  if (key.pin === 'unsupported') throw new KeyCapabilityError('This security key has no PIN support.');
  if (key.pin === 'unset') {
    await authenticator.setPin(await newPin(interaction, context), { keyId: key.id });
    return { message: `PIN set on ${key.label}.`, details: [] };
  }
  const current = await interaction.pin({ context, retriesLeft: key.pinRetries ?? 0, previousWrong: false });
  if (current === null) throw new CancelledError('Changing the PIN');
  await authenticator.changePin(current, await newPin(interaction, context), { keyId: key.id });
  return { message: `PIN changed on ${key.label}.`, details: [] };
}

/** The key to manage, with its PIN state (which decides between set and change). */
async function chooseKey(authenticator: Authenticator, interaction: StepInteraction): Promise<SecurityKeyInfo> {
  const { keys, problems } = await authenticator.listKeys();
  const problem = problems[0];
  if (keys.length === 0 && problem) throw new NbgError(problem.error.code, problem.error.message);
  if (keys.length <= 1) {
    if (!keys[0]) throw new NoSecurityKeyError();
    return keys[0];
  }
  const id = await interaction.selectKey(keys.map((k) => ({ id: k.id, label: k.label })), { purpose: 'manage the PIN' });
  const chosen = keys.find((k) => k.id === id);
  if (!chosen) throw new CancelledError('Choosing a security key');
  return chosen;
}

async function newPin(interaction: StepInteraction, context: PromptContext): Promise<string> {
  const pin = await interaction.newPin(context);
  if (pin === null) throw new CancelledError('Choosing the new PIN');
  return pin;
}
