// The filter bar: device, operator, outcome and time range, each a labelled control the keyboard
// reaches in order; the choices for device and operator come from the log (core sends them).
import type { AuditOutcome } from '../../../../electron/shared/audit';
import { isFiltered, RANGE_LABEL, type FilterForm, type TimeRange } from './filters';

const OUTCOMES: { value: AuditOutcome | ''; label: string }[] = [
  { value: '', label: 'Any outcome' }, { value: 'success', label: 'Succeeded' }, { value: 'refused', label: 'Refused or cancelled' }, { value: 'failed', label: 'Failed' },
];

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export function AuditFilters({ form, onChange, devices, operators }: {
  form: FilterForm;
  onChange: (next: FilterForm) => void;
  devices: string[];
  operators: string[];
}) {
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => onChange({ ...form, [key]: value });
  return (
    <form className="filters wrap audit-filters" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
      <label>Device
        <input type="search" list="audit-devices" value={form.device} placeholder="any device" onChange={(e) => set('device', e.target.value)} />
      </label>
      <datalist id="audit-devices">{devices.map((d) => <option key={d} value={d} />)}</datalist>
      <label>Operator
        <input type="search" list="audit-operators" value={form.operator} placeholder="anyone" onChange={(e) => set('operator', e.target.value)} />
      </label>
      <datalist id="audit-operators">{operators.map((o) => <option key={o} value={o} />)}</datalist>
      <label>Outcome
        <select value={form.outcome} onChange={(e) => set('outcome', e.target.value as FilterForm['outcome'])}>
          {OUTCOMES.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
      <label>Time
        <select value={form.range} onChange={(e) => set('range', e.target.value as TimeRange)}>
          {(Object.keys(RANGE_LABEL) as TimeRange[]).map((r) => <option key={r} value={r}>{RANGE_LABEL[r]}</option>)}
        </select>
      </label>
      {form.range === 'custom' ? (
        <>
          <label>From ({zone})
            <input type="datetime-local" value={form.from} onChange={(e) => set('from', e.target.value)} />
          </label>
          <label>To ({zone})
            <input type="datetime-local" value={form.to} onChange={(e) => set('to', e.target.value)} />
          </label>
        </>
      ) : null}
      <button type="button" disabled={!isFiltered(form)} onClick={() => onChange({ ...form, device: '', operator: '', outcome: '', range: 'any', from: '', to: '' })}>
        Clear filters
      </button>
    </form>
  );
}
