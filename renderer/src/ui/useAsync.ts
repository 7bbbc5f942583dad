// Loads something through the contract and keeps {value, error, loading}; reload() runs it again.
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../api';

export interface AsyncState<T> {
  value: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ value?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (value) => { if (live) setState({ value, loading: false }); },
      (err: unknown) => { if (live) setState({ error: errorText(err), loading: false }); },
    );
    return () => { live = false; };
  }, [run, tick]);
  return { value: state.value, error: state.error, loading: state.loading, reload: () => setTick((n) => n + 1) };
}
