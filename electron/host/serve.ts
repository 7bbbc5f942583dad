// The answering side of the wire (electron/shared/wire.ts): runs contract calls against core,
// forwards core's events, and lets core ask the other end for OS services. Used by the Electron
// core host over a MessagePort and by the browser test host over a WebSocket.
import type { Core } from '../app/dispatcher';
import type { Reply } from '../shared/contract';
import { ErrorCode } from '../shared/error-codes';
import type { OsServices } from '../shared/os';
import { ToCore, type FromCore, type OsRequest } from '../shared/wire';

export interface Channel {
  send(message: FromCore): void;
}

export interface CoreServer {
  /** Feed every message from the other end here. */
  receive(raw: unknown): void;
  /** Resolves once core is built (or rejects when building it failed). */
  ready: Promise<Core>;
  close(): void;
}

/**
 * Serves the core that `build` composes; `build` receives the OS services of the other end
 * (Electron main), since core needs them while it is being composed (token cache protection).
 */
export function serveCore(channel: Channel, build: (os: OsServices) => Promise<Core>): CoreServer {
  let nextOsId = 1;
  let closed = false;
  let stopEvents = (): void => undefined;
  const osPending = new Map<number, (reply: Reply) => void>();

  const askOs = async (request: OsRequest): Promise<unknown> => {
    if (closed) throw new Error('channel closed');
    const id = nextOsId++;
    const reply = await new Promise<Reply>((resolve) => {
      osPending.set(id, resolve);
      channel.send({ t: 'os', id, request });
    });
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
    return reply.value;
  };

  const bytes = (value: unknown): Uint8Array => Buffer.from(String(value), 'base64');
  const os: OsServices = {
    openExternal: async (url) => { await askOs({ op: 'openExternal', url }); },
    protect: async (data) => bytes(await askOs({ op: 'protect', data: Buffer.from(data).toString('base64') })),
    unprotect: async (data) => bytes(await askOs({ op: 'unprotect', data: Buffer.from(data).toString('base64') })),
    windowHandle: async () => {
      const value = await askOs({ op: 'windowHandle' });
      return typeof value === 'string' ? bytes(value) : null;
    },
    relaunchElevated: async (action) => { await askOs({ op: 'relaunchElevated', action }); },
    openKeySettings: async () => { await askOs({ op: 'openKeySettings' }); },
    chooseSaveFile: async (request) => {
      const value = await askOs({ op: 'chooseSaveFile', ...request });
      return typeof value === 'string' ? value : null;
    },
  };

  const ready = build(os).then((core) => {
    if (!closed) {
      stopEvents = core.onEvent((event, payload) => {
        if (!closed) channel.send({ t: 'event', event, payload });
      });
    }
    return core;
  });
  ready.catch(() => undefined); // callers see the failure through ready and through every reply

  return {
    ready,
    receive(raw) {
      const parsed = ToCore.safeParse(raw);
      if (!parsed.success || closed) return;
      const message = parsed.data;
      if (message.t === 'os-reply') {
        const resolve = osPending.get(message.id);
        osPending.delete(message.id);
        resolve?.(message.reply as Reply);
        return;
      }
      void ready.then(
        (core) => core.invoke(message.method, message.input),
        (err: unknown): Reply => ({ ok: false, error: { code: ErrorCode.CORE_START_FAILED,
          message: `The app core did not start: ${err instanceof Error ? err.message : String(err)}`.slice(0, 2048) } }),
      ).then((reply) => {
        if (!closed) channel.send({ t: 'reply', id: message.id, reply });
      });
    },
    close() {
      closed = true;
      stopEvents();
      for (const resolve of osPending.values()) {
        resolve({ ok: false, error: { code: ErrorCode.CORE_DISCONNECTED, message: 'The app window closed.' } });
      }
      osPending.clear();
    },
  };
}
