// The renderer's only door to the app: window.breakglass (preload in Electron, a WebSocket shim in
// the browser test host). Replies carry errors as data; here they become ApiError again.
import { useEffect, useRef } from 'react';
import type {
  BreakglassApi, EventName, EventPayload, InvokeArgs, MethodName, MethodOutput,
} from '../../electron/shared/contract';

declare global {
  interface Window {
    breakglass: BreakglassApi;
  }
}

export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function call<M extends MethodName>(method: M, ...args: InvokeArgs<M>): Promise<MethodOutput<M>> {
  const reply = await window.breakglass.invoke(method, ...args);
  if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
  return reply.value;
}

/** Subscribes for the component's lifetime; the latest handler is always the one called. */
export function useEvent<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => window.breakglass.subscribe(event, (p) => latest.current(p)), [event]);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
