// The app's forwarding loop: one delivery at start, then one per interval, never two at once,
// off the session path (a timer that does not keep the process alive). Failures are reported and
// the entries simply wait for the next round.
import { errorMessage } from '../../../../native/errors';
import type { AuditForwarder } from './forwarder';

export interface ForwardingLoop {
  stop(): Promise<void>;
}

export function forwardPeriodically(forwarder: AuditForwarder, intervalMs: number, log: (message: string) => void): ForwardingLoop {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = () => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        for (const s of await forwarder.deliver()) {
          if (s.lastError) log(`audit forwarding to ${s.sink}: ${s.pending} entries waiting (${s.lastError})`);
          if (s.diverged) log(`audit forwarding to ${s.sink}: ${s.diverged}`);
        }
      } catch (err) {
        log(`audit forwarding skipped this round: ${errorMessage(err).split('\n')[0]}`);
      }
    });
  };
  round();
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
