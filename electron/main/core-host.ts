// Starts the core host (a utilityProcess) and talks to it over a MessagePort with the wire client.
import type { EventName, Reply } from '../shared/contract';
import type { OsRequest } from '../shared/wire';
import { WireClient } from '../shared/wire-client';

export interface PortSlice {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export interface ChildSlice<P> {
  postMessage(message: unknown, transfer: P[]): void;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface CoreHostDeps<P> {
  fork(): ChildSlice<P>;
  channel(): { port1: PortSlice; port2: P };
  os(request: OsRequest): Promise<unknown>;
  onExit?(code: number): void;
}

export interface CoreHost {
  invoke(method: string, input: unknown): Promise<Reply>;
  onEvent(event: EventName, listener: (payload: unknown) => void): () => void;
  stop(): void;
}

export function startCoreHost<P>(deps: CoreHostDeps<P>): CoreHost {
  const child = deps.fork();
  const { port1, port2 } = deps.channel();
  const client = new WireClient({ send: (message) => port1.postMessage(message), os: deps.os });
  port1.on('message', (event) => {
    if (!client.receive(event.data)) console.error('dropped a malformed message from core');
  });
  port1.on('close', () => client.close());
  port1.start();
  child.postMessage({ t: 'connect' }, [port2]);
  child.on('exit', (code) => {
    client.close();
    deps.onExit?.(code);
  });
  return {
    invoke: (method, input) => client.invoke(method, input),
    onEvent: (event, listener) => client.subscribe(event, listener),
    stop() {
      client.close();
      port1.close();
      child.kill();
    },
  };
}

/** How often a dying core host is started again before the app shows its fatal screen. */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
}
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 3, windowMs: 60_000 };

export interface SupervisedCoreHostDeps<P> extends Omit<CoreHostDeps<P>, 'onExit'> {
  policy?: RestartPolicy;
  now?: () => number;
  /** A core host exited unexpectedly; `restarted` says whether a new one took its place. */
  onCrash?(code: number, restarted: boolean): void;
}

/**
 * A core host that starts itself again when it dies, so the window (and the other tabs' UI) stays:
 * calls go to the current host, subscriptions carry over, and subscribers of `ui:core` learn that
 * the sessions of the old core are gone. A host that keeps dying is left dead (CORE_DISCONNECTED).
 */
export function superviseCoreHost<P>(deps: SupervisedCoreHostDeps<P>, names: readonly EventName[]): CoreHost {
  const policy = deps.policy ?? DEFAULT_RESTART_POLICY;
  const now = deps.now ?? Date.now;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const emit = (event: EventName, payload: unknown) => { for (const l of listeners.get(event) ?? []) l(payload); };
  const crashes: number[] = [];
  let stopped = false;
  let current: CoreHost;

  const launch = (): CoreHost => {
    const host = startCoreHost({
      ...deps,
      onExit: (code) => {
        if (stopped || host !== current) return;
        const at = now();
        crashes.push(at);
        while (crashes.length > 0 && (crashes[0] ?? at) <= at - policy.windowMs) crashes.shift();
        const restart = crashes.length <= policy.maxRestarts;
        deps.onCrash?.(code, restart);
        if (!restart) return;
        current = launch();
        emit('ui:core', { restartedAt: at });
      },
    });
    for (const name of names) if (name !== 'ui:core') host.onEvent(name, (payload) => emit(name, payload));
    return host;
  };
  current = launch();

  return {
    invoke: (method, input) => current.invoke(method, input),
    onEvent(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    stop() {
      stopped = true;
      current.stop();
    },
  };
}
