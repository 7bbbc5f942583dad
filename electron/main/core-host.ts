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
