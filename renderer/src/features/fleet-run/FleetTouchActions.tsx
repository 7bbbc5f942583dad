// The fleet run's touch queue where the operator is looking: inside the touch prompt, "touch 3 of
// 12 — ToR-2 via jump-1" with Skip (that device) and Stop (the run). The prompt host tracks the
// run's login events from the moment it is mounted, so it knows whose touch is asked.
import { useState } from 'react';
import { call, errorText, useEvent } from '../../api';

export interface FleetLogin { runId: string; device: string; line: string }

/** The fleet device whose login (and touch) is under way, if any. */
export function useFleetLogin(): FleetLogin | undefined {
  const [login, setLogin] = useState<FleetLogin>();
  useEvent('ui:fleet', (e) => setLogin((cur) => {
    if (e.kind === 'login') return { runId: e.runId, device: e.device, line: `touch ${e.index} of ${e.total} — ${e.device} via ${e.via}` };
    if (e.kind === 'started') return undefined;
    return cur && e.result.name === cur.device ? undefined : cur;
  }));
  return login;
}

export function FleetTouchActions({ login }: { login: FleetLogin }) {
  const [error, setError] = useState<string>();
  const act = (work: Promise<unknown>) => work.catch((e: unknown) => setError(errorText(e)));
  return (
    <div data-testid="fleet-touch">
      <p className="fleet-queue">Fleet run: {login.line}</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <div className="actions">
        <button type="button" onClick={() => void act(call('core:fleet.skip', { runId: login.runId, device: login.device }))}>Skip {login.device}</button>
        <button type="button" className="danger" onClick={() => void act(call('core:fleet.stop', { runId: login.runId }))}>Stop the run</button>
      </div>
    </div>
  );
}
