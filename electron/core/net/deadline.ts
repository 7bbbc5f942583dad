// The overall time one user action (a `nbg fabrics`, a refresh in the app) may spend on the
// network, across every request, retry, Retry-After wait and page. Carried implicitly through
// the async calls of that action, so the layers in between need not pass it along.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ActionDeadline {
  /** Epoch ms after which no request is started and no wait is begun. */
  at: number;
  budgetMs: number;
}

const current = new AsyncLocalStorage<ActionDeadline>();

/** Runs `fn` with a deadline `budgetMs` from now; a nested call can shorten it, never extend it. */
export function withDeadline<T>(budgetMs: number, fn: () => Promise<T>, now = Date.now()): Promise<T> {
  const outer = current.getStore();
  const mine: ActionDeadline = { at: now + budgetMs, budgetMs };
  return current.run(outer && outer.at <= mine.at ? outer : mine, fn);
}

export function currentDeadline(): ActionDeadline | undefined {
  return current.getStore();
}

/** Milliseconds left for the current action (Infinity outside one). */
export function remainingMs(now = Date.now()): number {
  const d = current.getStore();
  return d ? d.at - now : Infinity;
}
