// The key `nbg drill` practises with: the operator's real security key when one is plugged in
// (and has sk key files), otherwise the simulated drill key - the same one the desktop app's drill
// mode uses - created and enrolled on first use with a PIN the briefing states. Its touches are
// approved.
import { Authenticator } from '../../native/authenticator/authenticator';
import { hidKeySource } from '../../native/authenticator/key-source';
import type { UserInteraction } from '../../native/interaction';
import { keySourceFromEnv } from '../core/keys/authenticator-factory';
import { enrollKey } from '../core/keys/enroll';
import { AuthenticatorSigner } from '../core/keys/signer';
import { KeyStore } from '../core/keys/store';
import { appHome } from '../core/paths';
import type { SkSigner } from '../core/ssh/agent/types';
import { drillKeyDir, openDrillKey } from '../drill/drill-key';
import type { CliIo, OptionValues } from './command';
import { servicesFor } from './runtime';

export interface DrillKey {
  signer: SkSigner;
  /** Answers PIN, touch and key-choice prompts for the signer's key. */
  interaction: UserInteraction;
}

export const DRILL_SIMULATOR_PIN = '123456';

/** Answers the one-time setup of the simulated key (its PIN is public by design). */
const setupAnswers: UserInteraction = {
  pin: async () => DRILL_SIMULATOR_PIN, touch: () => () => undefined, confirm: async () => true, selectKey: async (c) => c[0]?.id ?? null,
};

export async function drillKey(io: CliIo, values: OptionValues): Promise<DrillKey | undefined> {
  const { services, interaction } = servicesFor(io, values);
  // A drill must run on any computer: when USB keys cannot even be listed (no HID library), the
  // simulated key stands in, exactly as when none is plugged in.
  if (!io.env.NBG_SIMULATOR && (await hidKeySource().list().catch(() => [])).length > 0) {
    const signer = await services.signer();
    return (await signer.identities()).length ? { signer, interaction } : undefined;
  }
  const home = appHome(io.env);
  const source = io.env.NBG_SIMULATOR ? (await keySourceFromEnv(io.env)).source : (await openDrillKey(home, () => 'approve')).source;
  const operator = new Authenticator(source, interaction);
  const store = new KeyStore(drillKeyDir(home));
  if ((await store.list()).length === 0) {
    const { keys } = await operator.listKeys();
    let setup = operator;
    if (keys[0]?.pin === 'unset') {
      await operator.setPin(DRILL_SIMULATOR_PIN);
      setup = new Authenticator(source, setupAnswers);
    }
    await enrollKey(setup, store, interaction, { transport: 'simulator' });
  }
  io.stderr.write(`Drill key: a simulated security key (PIN ${DRILL_SIMULATOR_PIN}; touches are approved for you).\n`);
  return { signer: new AuthenticatorSigner(operator, store), interaction };
}
