// Signature counters per key: one that goes backwards means a cloned or reset key. The writer
// flags it on the entry, from counters the head file carries; verify recomputes it from the
// history, so a head file whose counters were lowered cannot hide one.
import type { AuditEntry } from './events';

/** Highest signature counter seen per key fingerprint. */
export type Counters = Map<string, number>;

export function counterRegressed(counters: Counters, keyFingerprint: string, counter: number): boolean {
  const last = counters.get(keyFingerprint);
  return last !== undefined && counter < last;
}

export function noteCounter(counters: Counters, entry: AuditEntry): void {
  if (entry.type === 'sign') counters.set(entry.keyFingerprint, Math.max(entry.counter, counters.get(entry.keyFingerprint) ?? 0));
  if (entry.type === 'connect-outcome' && entry.keyFingerprint && entry.skCounter !== undefined) {
    counters.set(entry.keyFingerprint, Math.max(entry.skCounter, counters.get(entry.keyFingerprint) ?? 0));
  }
}
