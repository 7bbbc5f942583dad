// Composition of the shipped core: the settings file and prompt broker always; the security key,
// Azure, sessions, audit and drill services as they are wired in. With nothing configured (no
// Entra app registration in settings) the app starts in drill mode so a first launch shows
// something real.
import { createCore, type Core } from '../core/app';
import { appHome } from '../core/paths';
import { PromptBroker } from '../core/prompts/broker';
import { SettingsStore } from '../core/settings/store';
import type { OsServices } from '../shared/os';

export const APP_VERSION = '0.1.0';

export interface ComposeOptions {
  os: OsServices;
  home?: string;
}

export async function composeAppCore(options: ComposeOptions): Promise<Core> {
  const settings = SettingsStore.inHome(options.home ?? appHome());
  const configured = (await settings.get()).azure !== undefined;
  return createCore({ version: APP_VERSION, drill: !configured, settings, broker: new PromptBroker() });
}
