// The security-key facade: what the app does with a key (list, enroll, import resident keys,
// sign, PIN management), reproducing ssh-keygen + ssh-sk-helper byte for byte. Prompts are
// injected; transports come from a KeySource (USB HID, or the simulator behind the same bytes).
// Each concern lives in its own module; this class picks the key and the route for each.
import type { HidDeviceInfo } from '../hid/connection';
import type { PromptContext, UserInteraction } from '../interaction';
import type { SkKeyHandle } from '../sk/types';
import { chooseKey } from './device';
import { enrollRoute, planEnroll, type EnrollOptions, type EnrollResult } from './enroll';
import { KeyCapabilityError } from './errors';
import { importResidentOverHid, type ResidentKey } from './import-resident';
import type { KeySource } from './key-source';
import { listKeys, type SecurityKeyInfo, type SecurityKeyProblem } from './list-keys';
import { requirePinSupport } from './pin';
import { KeyRouter, type WindowsRoute } from './route';
import { signRoute, type SignOptions, type SignResult } from './sign';

export type { PinCache } from './pin';
export * from './errors';
export { DEFAULT_APPLICATION, DEFAULT_COMMENT, OPENSSH_USER_ID, userIdFromName, type EnrollOptions, type EnrollResult } from './enroll';
export type { ResidentKey } from './import-resident';
export type { SecurityKeyInfo, SecurityKeyProblem } from './list-keys';
export type { WindowsRoute } from './route';
export type { SignOptions, SignResult } from './sign';
export type { SkAlgorithmName } from './ssh-records';

export class Authenticator {
  private readonly router: KeyRouter;

  constructor(source: KeySource, private readonly interaction: UserInteraction, windows?: WindowsRoute) {
    this.router = new KeyRouter(source, interaction, windows);
  }

  /** Every connected key with what the app needs to know about it; keys that fail to open are reported, not hidden. */
  listKeys(): Promise<{ keys: SecurityKeyInfo[]; problems: SecurityKeyProblem[] }> {
    return listKeys(this.router);
  }

  /** `ssh-keygen -t ed25519-sk -O resident -O verify-required` on the chosen key. */
  async enroll(options: EnrollOptions = {}): Promise<EnrollResult> {
    const plan = planEnroll(options);
    const info = await this.choose(plan.context, options.keyId);
    return this.router.route('enroll', info, plan.context, enrollRoute(plan, info.path, this.interaction));
  }

  /** `ssh-keygen -K`: every resident `ssh:` credential on the key, as handle records. */
  async importResident(options: { keyId?: string; signal?: AbortSignal } = {}): Promise<ResidentKey[]> {
    const context: PromptContext = { purpose: 'read the SSH keys stored on your security key' };
    const info = await this.choose(context, options.keyId);
    return this.router.route('import-resident', info, context, { hid: (key) => importResidentOverHid(key, this.interaction, context) });
  }

  /** What ssh-agent + ssh-sk-helper do for one signature, with the reply verified before it is returned. */
  async sign(handle: SkKeyHandle, data: Buffer, options: SignOptions): Promise<SignResult> {
    const info = await this.choose(options.context, options.keyId);
    return this.router.route('sign', info, options.context, signRoute(handle, data, options, this.interaction));
  }

  async setPin(newPin: string, options: { keyId?: string } = {}): Promise<void> {
    const context = { purpose: 'set the PIN' };
    const info = await this.choose(context, options.keyId);
    await this.router.route('pin-management', info, context, { hid: async (key) => {
      const state = key.ctap.options.clientPin;
      if (state === undefined) throw new KeyCapabilityError('This security key has no PIN support.');
      if (state === true) throw new KeyCapabilityError('This security key already has a PIN; change it instead.');
      await key.client.setPin(newPin);
    } });
  }

  async changePin(oldPin: string, newPin: string, options: { keyId?: string } = {}): Promise<void> {
    const context = { purpose: 'change the PIN' };
    const info = await this.choose(context, options.keyId);
    await this.router.route('pin-management', info, context, { hid: async (key) => {
      requirePinSupport(key);
      await key.client.changePin(oldPin, newPin);
    } });
  }

  private choose(context: PromptContext, keyId?: string): Promise<HidDeviceInfo> {
    return chooseKey(this.router.source, this.interaction, context, keyId);
  }
}
