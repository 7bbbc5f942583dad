// The audit view's filter form as the operator sets it, and the query core runs from it. Times
// are picked in local time (datetime-local); core gets UTC instants. Presets count back from the
// moment the query is made, so "last hour" stays the last hour on Reload.
import type { AuditFilter, AuditOutcome } from '../../../../electron/shared/audit';

export type TimeRange = 'any' | '1h' | '24h' | '7d' | 'custom';

export interface FilterForm {
  device: string;
  operator: string;
  outcome: AuditOutcome | '';
  range: TimeRange;
  /** datetime-local values ("2026-12-03T08:00"), local time. */
  from: string;
  to: string;
}

export const EMPTY_FORM: FilterForm = { device: '', operator: '', outcome: '', range: 'any', from: '', to: '' };

export const RANGE_LABEL: Record<TimeRange, string> = {
  any: 'Any time', '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', custom: 'From … to … (local time)',
};

const MINUTE_MS = 60_000;
const RANGE_MS: Record<'1h' | '24h' | '7d', number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

export function isFiltered(form: FilterForm): boolean {
  return form.device.trim() !== '' || form.operator.trim() !== '' || form.outcome !== '' || form.range !== 'any';
}

/** A datetime-local value as a UTC instant (the browser reads it in the local zone); undefined when empty or invalid. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The query for core, or the reason the form cannot be one. */
export function filterOf(form: FilterForm, now: number): { filter: AuditFilter } | { problem: string } {
  const filter: AuditFilter = {
    ...(form.device.trim() ? { device: form.device.trim() } : {}),
    ...(form.operator.trim() ? { operator: form.operator.trim() } : {}),
    ...(form.outcome ? { outcome: form.outcome } : {}),
  };
  if (form.range === 'custom') {
    const from = localToIso(form.from);
    // "To 09:30" includes 09:30:59: the picker has minutes, the log has milliseconds.
    const toMinute = localToIso(form.to);
    const to = toMinute && new Date(Date.parse(toMinute) + MINUTE_MS - 1).toISOString();
    if (from && to && from > to) return { problem: 'The start of the time range is after its end.' };
    return { filter: { ...filter, ...(from ? { from } : {}), ...(to ? { to } : {}) } };
  }
  if (form.range !== 'any') return { filter: { ...filter, from: new Date(now - RANGE_MS[form.range]).toISOString() } };
  return { filter };
}

/** "12 of 340 events match the filters", or "340 events", with the page shown when there are more. */
export function countText(offset: number, shown: number, matched: number, total: number, filtered: boolean): string {
  const n = (x: number) => x.toLocaleString('en');
  if (matched === 0) return filtered ? `0 of ${n(total)} events match the filters.` : 'No events in the log yet.';
  const head = filtered ? `${n(matched)} of ${n(total)} events match the filters` : `${n(total)} events`;
  return shown < matched ? `${head}; showing ${n(offset + 1)}–${n(offset + shown)}, newest first.` : `${head}, newest first.`;
}
