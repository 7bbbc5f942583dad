// Page-side script of the browser test host: defines window.breakglass over a WebSocket with the
// same wire protocol Electron main uses over its MessagePort. Injected before the page's own
// scripts (Playwright addInitScript), so the renderer bundle stays byte-for-byte the shipped one.
import './zod-jitless';
import type { BreakglassApi, EventName } from '../../../electron/shared/contract';
import { WireClient } from '../../../electron/shared/wire-client';
import type { ToCore } from '../../../electron/shared/wire';

const socket = new WebSocket(`ws://${location.host}/__breakglass/ws`);
const queued: string[] = [];
const client = new WireClient({
  send: (message: ToCore) => {
    const text = JSON.stringify(message);
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
    else queued.push(text);
  },
});
socket.addEventListener('open', () => { for (const text of queued.splice(0)) socket.send(text); });
socket.addEventListener('message', (e) => { client.receive(JSON.parse(String(e.data))); });
socket.addEventListener('close', () => client.close());

const api: BreakglassApi = {
  invoke: ((method: string, input?: unknown) => client.invoke(method, input)) as BreakglassApi['invoke'],
  subscribe: ((event: EventName, listener: (payload: unknown) => void) => client.subscribe(event, listener)) as BreakglassApi['subscribe'],
};
Object.defineProperty(window, 'breakglass', { value: Object.freeze(api), writable: false, configurable: false });
