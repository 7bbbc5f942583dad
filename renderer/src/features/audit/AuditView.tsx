// The audit view: status at the top (chain, forwarding), filters, "n of m events", export of the
// filtered set or all, and a page of the log in operator sentences with local times. Filtering and
// paging happen in core; this screen only holds the form and the page it shows.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AuditEntry, AuditView as AuditPage, Recording } from '../../../../electron/shared/audit';
import { call, errorText } from '../../api';
import { useAsync } from '../../ui/useAsync';
import { AuditFilters } from './AuditFilters';
import { AuditStatusPanel } from './AuditStatusPanel';
import { countText, EMPTY_FORM, filterOf, isFiltered, type FilterForm } from './filters';
import { ReplayPlayer } from './ReplayPlayer';

const PAGE = 100;
/** Typing in a text filter queries core once the operator pauses. */
const TYPING_PAUSE_MS = 250;

const OUTCOME_TEXT = { success: 'Succeeded', refused: 'Refused', failed: 'Failed' } as const;

export function AuditView() {
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [query, setQuery] = useState(form);
  const [offset, setOffset] = useState(0);
  const [tick, setTick] = useState(0);
  const status = useAsync(() => call('core:audit.status'), [tick]);
  // A preset ("last hour") counts back from when the filter was set or Reload was pressed.
  const asked = useMemo(() => filterOf(query, Date.now()), [query, tick]);
  const page = useAsync<AuditPage | undefined>(
    () => ('filter' in asked ? call('core:audit.view', { filter: asked.filter, offset, limit: PAGE }) : Promise.resolve(undefined)),
    [asked, offset],
  );
  const [shown, setShown] = useState<AuditPage>();
  useEffect(() => { if (page.value) setShown(page.value); }, [page.value]);
  const [replay, setReplay] = useState<{ recording: Recording; title: string }>();
  const [message, setMessage] = useState<{ text: string; tone: 'ok' | 'error' | 'muted' }>();

  // Selects apply at once; text waits for a pause in typing.
  const change = (next: FilterForm) => {
    setForm(next);
    setOffset(0);
    if (next.device === form.device && next.operator === form.operator) setQuery(next);
  };
  useEffect(() => {
    const timer = setTimeout(() => setQuery(form), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [form]);

  const open = (e: AuditEntry) => call('core:audit.recording', { sessionId: e.sessionId ?? '' })
    .then((recording) => setReplay({ recording, title: `Session with ${e.device ?? 'a device'}, ended ${localTime(e.time)}` }),
      (err: unknown) => setMessage({ text: errorText(err), tone: 'error' }));
  const filtered = isFiltered(query);
  const exportAs = async (format: 'csv' | 'jsonl', scope: 'filtered' | 'all') => {
    setMessage(undefined);
    try {
      const r = await call('core:audit.export', { format, ...(scope === 'filtered' && 'filter' in asked ? { filter: asked.filter } : {}) });
      setMessage(r.saved ? { text: `Saved ${events(r.entries)} to ${r.file ?? 'the file'}.`, tone: 'ok' } : { text: 'Not saved: the save dialog was closed.', tone: 'muted' });
    } catch (err) {
      setMessage({ text: errorText(err), tone: 'error' });
    }
  };
  const showOperator = shown?.entries.some((e) => e.operator) ?? false;
  // On the first or last page its button is disabled; the keyboard focus moves to the other one.
  const newer = useRef<HTMLButtonElement>(null);
  const older = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const at = lastPager.current;
    if (!at?.disabled || (document.activeElement !== at && document.activeElement !== document.body)) return;
    (at === older.current ? newer.current : older.current)?.focus();
  }, [shown]);
  const lastPager = useRef<HTMLButtonElement | null>(null);
  const [scope, setScope] = useState<'filtered' | 'all'>('filtered');
  const effectiveScope = filtered ? scope : 'all';

  return (
    <div className="panel audit">
      <div className="row-between"><h2>Audit log</h2><button type="button" onClick={() => setTick((n) => n + 1)}>Reload</button></div>
      {status.error ? <p className="error">{status.error}</p> : null}
      {status.value ? <AuditStatusPanel status={status.value} /> : null}
      {replay ? <ReplayPlayer recording={replay.recording} title={replay.title} onClose={() => setReplay(undefined)} /> : null}
      <AuditFilters form={form} onChange={change} devices={shown?.devices ?? []} operators={shown?.operators ?? []} />
      <div className="row-between audit-bar">
        <p className="count" role="status" data-testid="audit-count">
          {'problem' in asked ? <span className="error">{asked.problem}</span>
            : shown ? countText(shown.offset, shown.entries.length, shown.matched, shown.total, filtered) : 'Loading…'}
        </p>
        {shown && shown.matched > PAGE ? (
          <div className="row pager" role="group" aria-label="Pages">
            <button ref={newer} type="button" disabled={offset === 0} onClick={() => { lastPager.current = newer.current; setOffset(Math.max(0, offset - PAGE)); }}>Newer</button>
            <button ref={older} type="button" disabled={offset + PAGE >= shown.matched} onClick={() => { lastPager.current = older.current; setOffset(offset + PAGE); }}>Older</button>
          </div>
        ) : null}
        <div className="row export" role="group" aria-label="Export">
          {filtered ? (
            <label>Export
              <select value={scope} onChange={(e) => setScope(e.target.value as 'filtered' | 'all')}>
                <option value="filtered">the matching {events(shown?.matched ?? 0)}</option>
                <option value="all">all {events(shown?.total ?? 0)}</option>
              </select>
            </label>
          ) : null}
          <button type="button" disabled={'problem' in asked} onClick={() => void exportAs('csv', effectiveScope)}>Export CSV…</button>
          <button type="button" disabled={'problem' in asked} onClick={() => void exportAs('jsonl', effectiveScope)}
            title="The log's lines as they are, with their hashes and MACs: nbg audit verify can check them">Export JSONL…</button>
        </div>
      </div>
      <p role="status" data-testid="audit-message" className={message?.tone ?? ''}>{message?.text ?? ''}</p>
      {page.error ? <p className="error">{page.error}</p> : null}
      <table className="table audit-table" aria-busy={page.loading}>
        <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">What happened</th>{showOperator ? <th scope="col">Operator</th> : null}<th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {shown?.entries.map((e, i) => (
            <tr key={`${e.seq}-${i}`}>
              <td className="nowrap">{e.seq}</td>
              <td className="small nowrap"><time dateTime={e.time}>{localTime(e.time)}</time></td>
              <td className="nowrap">{e.event}</td>
              <td className={e.outcome === 'success' ? 'nowrap' : 'nowrap outcome-bad'}>{e.outcome ? OUTCOME_TEXT[e.outcome] : ''}</td>
              <td>{e.summary}</td>
              {showOperator ? <td className="small">{e.operator ?? ''}</td> : null}
              <td>{e.sessionId ? <button type="button" aria-label={`Replay session with ${e.device ?? 'a device'}`} onClick={() => void open(e)}>Replay</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const events = (n: number) => `${n.toLocaleString('en')} event${n === 1 ? '' : 's'}`;

/** The entry's time in the reader's own zone, with the zone named (the log keeps UTC). */
function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
}
