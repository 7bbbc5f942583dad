// What the audit view filters on and the export names for each entry: the device it is about, the
// operator who was signed in, and how it ended. Shared by the app's query, the export and the
// forwarded records, so a filter in the app and a column in the SIEM mean the same thing.
import type { AuditEntry } from './events';

/** success: it was done; refused: someone or something said no (the operator, the key, the agent, a
 *  host-key check); failed: it went wrong, or the log found a problem with itself. */
export type AuditOutcome = 'success' | 'refused' | 'failed';

/** The device (or hop, or security key) the entry is about, when it names one: its inventory name where the entry has it. */
export function entryDevice(e: AuditEntry): string {
  if (e.type === 'connect-attempt' || e.type === 'connect-outcome') return e.hops.at(-1)?.name ?? e.target;
  if ('target' in e) return e.target;
  if (e.type === 'sign' || e.type === 'sign-refused') return e.hop ?? '';
  if (e.type === 'host-key') return e.hop ?? e.host;
  if (e.type === 'key-management') return e.device ?? '';
  return '';
}

const REFUSED_HOST_KEY = new Set(['refuse', 'mismatch', 'certificate-rejected']);

/** How the entry ended; undefined for entries that only say something started (a connect attempt, a fleet run's start). */
export function entryOutcome(e: AuditEntry): AuditOutcome | undefined {
  if ('outcome' in e) return e.outcome === 'ok' ? 'success' : e.outcome === 'cancelled' ? 'refused' : 'failed';
  switch (e.type) {
    case 'sign': case 'session-end': return 'success';
    case 'sign-refused': case 'agent-refusal': return 'refused';
    case 'host-key': return REFUSED_HOST_KEY.has(e.decision) ? 'refused' : 'success';
    case 'log-integrity': return 'failed';
    case 'fleet-run': return e.phase === 'start' ? undefined : (e.failed ?? 0) > 0 ? 'failed' : 'success';
    case 'fleet-output': return e.exitCode === undefined || e.exitCode === 0 ? 'success' : 'failed';
    case 'connect-attempt': return undefined;
  }
}

/** The account signed in at each entry ('' when nobody was): a sign-in is its new account's, a sign-out still the leaving one's. */
export function operatorsBySeq(entries: readonly AuditEntry[]): Map<number, string> {
  const out = new Map<number, string>();
  let current = '';
  for (const e of entries) {
    if (e.type === 'sign-in' && e.outcome === 'ok') current = e.account;
    out.set(e.seq, current);
    if (e.type === 'sign-out' && e.outcome === 'ok') current = '';
  }
  return out;
}
