// Settings → Agent on/off: runs the app's ssh-agent (Unix socket or private Windows pipe) while
// the setting is on, so stock OpenSSH can use the security key; every signature asks first.
import { errorMessage } from '../../../../native/errors';
import type { PromptBroker } from '../../prompts/broker';
import { AgentServer, type AgentRefusal } from './server';
import type { SkSigner } from './types';
import type { Settings } from '../../../shared/settings';

export interface AgentSwitch {
  apply(agent: Settings['agent']): Promise<void>;
  close(): Promise<void>;
}

export function agentSwitch(signer: SkSigner, broker: PromptBroker, log: (message: string) => void,
  onRefusal?: (refusal: AgentRefusal) => void): AgentSwitch {
  let running: AgentServer | null = null;
  let applied = '';
  let queue: Promise<void> = Promise.resolve();
  const apply = (agent: Settings['agent']) => {
    queue = queue.then(async () => {
      const wanted = agent.enabled ? JSON.stringify(agent) : '';
      if (wanted === applied) return;
      await running?.close();
      running = null;
      applied = '';
      if (!agent.enabled) return;
      const where = agent.path
        ? (process.platform === 'win32' ? { pipeName: agent.path } : { socketPath: agent.path })
        : {};
      running = await AgentServer.start({
        signer, ...where,
        ...(onRefusal ? { onRefusal } : {}),
        // The question closes when the asking client goes (its signal).
        confirmSign: (r) => broker.confirmSign({
          keyFingerprint: r.keyFingerprint, origin: r.requester,
          context: { purpose: r.context.purpose, ...(r.context.hop ? { hop: r.context.hop } : {}), ...(r.context.signal ? { signal: r.context.signal } : {}) },
        }),
      });
      applied = wanted;
      log(`ssh-agent listening at ${running.path}`);
    }).catch((err: unknown) => log(`ssh-agent not started: ${errorMessage(err)}`));
    return queue;
  };
  return {
    apply,
    async close() {
      await queue;
      await running?.close();
      running = null;
    },
  };
}
