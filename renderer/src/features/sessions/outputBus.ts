// Session output arrives as ui:session.output events, possibly before a tab's terminal exists
// (a device banner while the open call is still returning). Output for a session without a
// terminal attached is kept (bounded) and handed over when the terminal attaches.
import type { EventPayload } from '../../../../electron/shared/contract';

const MAX_BUFFERED_CHARS = 1 << 20;
const buffers = new Map<string, string[]>();
const writers = new Map<string, (data: string) => void>();
let started = false;

export function startOutputBus(): void {
  if (started) return;
  started = true;
  window.breakglass.subscribe('ui:session.output', (e: EventPayload<'ui:session.output'>) => {
    const writer = writers.get(e.id);
    if (writer) { writer(e.data); return; }
    const buffer = buffers.get(e.id) ?? [];
    buffer.push(e.data);
    while (buffer.reduce((n, s) => n + s.length, 0) > MAX_BUFFERED_CHARS) buffer.shift();
    buffers.set(e.id, buffer);
  });
}

export function attachOutput(id: string, writer: (data: string) => void): () => void {
  for (const chunk of buffers.get(id) ?? []) writer(chunk);
  buffers.delete(id);
  writers.set(id, writer);
  return () => { if (writers.get(id) === writer) writers.delete(id); };
}
