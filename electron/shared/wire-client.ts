// The calling side of the wire (wire.ts): numbered requests, replies matched by id, events fanned
// out to subscribers. Transport-agnostic: Electron main uses it over a MessagePort, the browser test
// host's page script over a WebSocket.
import { events, isEventName, type EventName, type Reply } from './contract';
import { ErrorCode, errorMessage } from './error-codes';
import { FromCore, type OsRequest, type ToCore } from './wire';

export interface WireClientOptions {
  send(message: ToCore): void;
  /** Answers core's OS requests (Electron main only); absent: they are refused. */
  os?: (request: OsRequest) => Promise<unknown>;
}

export class WireClient {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private closed = false;

  constructor(private readonly options: WireClientOptions) {}

  invoke(method: string, input: unknown): Promise<Reply> {
    if (this.closed) return Promise.resolve(disconnected());
    const id = this.nextId++;
    return new Promise<Reply>((resolve) => {
      this.pending.set(id, resolve);
      this.options.send({ t: 'invoke', id, method, input });
    });
  }

  subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Feed every message from core here; malformed messages are dropped (and reported). */
  receive(raw: unknown): boolean {
    const parsed = FromCore.safeParse(raw);
    if (!parsed.success) return false;
    const message = parsed.data;
    if (message.t === 'reply') {
      this.settle(message.id, message.reply as Reply);
    } else if (message.t === 'event') {
      if (!isEventName(message.event)) return false;
      const payload = events[message.event].safeParse(message.payload);
      if (!payload.success) return false;
      for (const listener of this.listeners.get(message.event) ?? []) listener(payload.data);
    } else {
      void this.answerOs(message.id, message.request);
    }
    return true;
  }

  /** The transport closed: every open request fails with CORE_DISCONNECTED. */
  close(): void {
    this.closed = true;
    for (const id of [...this.pending.keys()]) this.settle(id, disconnected());
  }

  private settle(id: number, reply: Reply): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve(reply);
  }

  private async answerOs(id: number, request: OsRequest): Promise<void> {
    let reply: Reply;
    if (!this.options.os) {
      reply = { ok: false, error: { code: ErrorCode.OS_SERVICE_UNAVAILABLE, message: `${request.op} is not offered here` } };
    } else {
      try {
        reply = { ok: true, value: (await this.options.os(request)) ?? null };
      } catch (err) {
        reply = { ok: false, error: { code: ErrorCode.OS_SERVICE_FAILED, message: `${request.op} failed: ${errorMessage(err)}`.slice(0, 2048) } };
      }
    }
    if (!this.closed) this.options.send({ t: 'os-reply', id, reply });
  }
}

function disconnected(): Reply {
  return { ok: false, error: { code: ErrorCode.CORE_DISCONNECTED, message: 'The app core is not running; restart the app.' } };
}
