// The connect history as the device table shows it: a favourite star, the last attempt and when.
import { useCallback, useEffect, useState } from 'react';
import type { NetworkDevice } from '../../../../electron/shared/inventory';
import type { AttemptOutcome, ConnectAttempt, ConnectHistory } from '../../../../electron/shared/workspace';
import { call } from '../../api';
import { ageText } from '../../ui/format';

/** Recents: the devices tried last, at most this many marked. */
const RECENT_COUNT = 5;

const OUTCOME_TEXT: Record<AttemptOutcome, string> = {
  answered: 'answered',
  backup: 'backup path used',
  refused: 'sign-in refused',
  unreachable: 'not answering',
  failed: 'failed',
};
const OUTCOME_CLASS: Record<AttemptOutcome, string> = {
  answered: 'ok', backup: 'warn', refused: 'error', unreachable: 'error', failed: 'error',
};

export function AttemptText({ attempt }: { attempt: ConnectAttempt }) {
  return <><span className={OUTCOME_CLASS[attempt.outcome]}>{OUTCOME_TEXT[attempt.outcome]}</span> <span className="muted">{ageText(attempt.at)}</span></>;
}

const same = (a: { fabricId: string; deviceId: string }, d: NetworkDevice) =>
  a.deviceId.toLowerCase() === d.id.toLowerCase() && a.fabricId.toLowerCase() === d.fabricId.toLowerCase();

export function useConnectHistory(available: boolean) {
  const [history, setHistory] = useState<ConnectHistory>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!available) return;
    // The history only adds marks; without it the table still works, so a read failure shows none.
    call('core:history.get').then(setHistory, () => setHistory(undefined));
  }, [available, tick]);
  const mark = useCallback((d: NetworkDevice) => {
    const index = history?.attempts.findIndex((a) => same(a, d)) ?? -1;
    return {
      favourite: !!history?.favourites.some((f) => same(f, d)),
      attempt: index >= 0 ? history?.attempts[index] : undefined,
      recent: index >= 0 && index < RECENT_COUNT,
    };
  }, [history]);
  const toggle = async (d: NetworkDevice) => {
    setHistory(await call('core:history.favourite', { fabricId: d.fabricId, deviceId: d.id, favourite: !mark(d).favourite }));
  };
  return { mark, toggle, reload: () => setTick((n) => n + 1) };
}
