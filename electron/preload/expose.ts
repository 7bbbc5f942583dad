// window.breakglass = { invoke, subscribe } and nothing else. Channel names are checked against the
// contract here too, so a compromised page cannot reach any other ipcRenderer channel.
import { isEventName, isMethodName } from '../shared/channels';
import type { BreakglassApi, Reply } from '../shared/contract';
import { ErrorCode } from '../shared/error-codes';

export interface IpcRendererSlice {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function createBreakglassApi(ipc: IpcRendererSlice): BreakglassApi {
  return {
    invoke: (async (method: string, input?: unknown): Promise<Reply> => {
      if (!isMethodName(method)) {
        return { ok: false, error: { code: ErrorCode.CONTRACT_UNKNOWN_METHOD, message: 'Unknown method' } };
      }
      return (await ipc.invoke(method, input)) as Reply;
    }) as BreakglassApi['invoke'],
    subscribe: ((event: string, listener: (payload: unknown) => void) => {
      if (!isEventName(event)) throw new Error(`Unknown event ${String(event).slice(0, 64)}`);
      // The IpcRendererEvent never reaches the page: it carries sender and ports.
      const handler = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(event, handler);
      return () => { ipc.removeListener(event, handler); };
    }) as BreakglassApi['subscribe'],
  };
}
