// The prompts of a drill: PIN, touch and key choice go to the operator as in a real break-glass
// (the base interaction); the v1.5 password is the one from this drill's briefing; every drill host
// key is in the drill's known_hosts, so an unknown or changed one is refused and reported.
import type { UserInteraction } from '../../native/interaction';
import type { CoreInteraction } from '../core/prompts/interaction';
import type { DrillFabric } from './fabric';

export function drillInteraction(base: UserInteraction, fabric: DrillFabric, report: (line: string) => void): CoreInteraction {
  return {
    selectKey: (choices, context) => base.selectKey(choices, context),
    pin: (request) => base.pin(request),
    touch: (context, cancel) => base.touch(context, cancel),
    confirm: (question) => base.confirm(question),
    async hostKey(q) {
      report(`   refused unknown host key ${q.fingerprint} for ${q.host}:${q.port}: every drill key is in the drill's known_hosts`);
      return 'refuse';
    },
    async hostKeyMismatch(info) {
      report(`   HOST KEY CHANGED for ${info.host}:${info.port} (${info.fingerprint}, expected ${info.expected.join(', ')})`);
    },
    async password(q) {
      const account = fabric.v15Accounts.find((a) => a.user === q.user);
      if (account) report(`   using the ${account.user} password from the drill briefing`);
      return account?.password ?? null;
    },
    // The drill flow never forwards the agent; a request to sign for a device is refused.
    confirmSign: async () => false,
  };
}
