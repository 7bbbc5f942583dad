// The audit log with its chain verification, and replay of a session recording.
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import type { Recording } from '../../../../electron/shared/audit';
import { call, errorText } from '../../api';
import { useAsync } from '../../ui/useAsync';

export function AuditView() {
  const view = useAsync(() => call('core:audit.view'), []);
  const [replay, setReplay] = useState<Recording>();
  const [error, setError] = useState<string>();
  const open = (sessionId: string) => call('core:audit.recording', { sessionId }).then(setReplay, (e: unknown) => setError(errorText(e)));
  return (
    <div className="panel">
      <div className="row-between"><h2>Audit log</h2><button type="button" onClick={view.reload}>Reload</button></div>
      {view.error ? <p className="error">{view.error}</p> : null}
      {error ? <p className="error">{error}</p> : null}
      {view.value ? (
        <p className={view.value.verify.ok ? 'ok' : 'error'} data-testid="audit-verify">
          {view.value.verify.ok
            ? `✔ Chain verified (${view.value.verify.checked} entries)${view.value.verify.problem ? `. ${view.value.verify.problem}` : ''}`
            : `✖ Chain broken: ${view.value.verify.problem ?? 'unknown problem'}`}
        </p>
      ) : null}
      <table className="table">
        <thead><tr><th>#</th><th>Time</th><th>Event</th><th>Summary</th><th /></tr></thead>
        <tbody>
          {view.value?.entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td><td className="small"><time dateTime={e.time}>{localTime(e.time)}</time></td><td>{e.event}</td><td>{e.summary}</td>
              <td>{e.sessionId ? <button type="button" onClick={() => void open(e.sessionId ?? '')}>Replay</button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {replay ? <Replay recording={replay} onClose={() => setReplay(undefined)} /> : null}
    </div>
  );
}

/** The entry's time in the reader's own zone, with the zone named (the log keeps UTC). */
function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
}

/** Plays output events into a read-only terminal, at most 1 s of idle time between events. */
function Replay({ recording, onClose }: { recording: Recording; onClose: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const term = new Terminal({ cols: recording.width, rows: recording.height, disableStdin: true, scrollback: 5000 });
    term.open(host.current);
    let stopped = false;
    let last = 0;
    const timers: ReturnType<typeof setTimeout>[] = [];
    let at = 0;
    for (const [time, type, data] of recording.events) {
      at += Math.min(1, Math.max(0, time - last));
      last = time;
      if (type === 'o') timers.push(setTimeout(() => { if (!stopped) term.write(data); }, at * 1000));
      if (type === 'r') {
        const [cols, rows] = data.split('x').map(Number);
        if (cols && rows) timers.push(setTimeout(() => { if (!stopped) term.resize(cols, rows); }, at * 1000));
      }
    }
    return () => { stopped = true; timers.forEach(clearTimeout); term.dispose(); };
  }, [recording]);
  return (
    <section className="replay" aria-label="Recording replay">
      <div className="row-between"><h3>Replay of {recording.sessionId}</h3><button type="button" onClick={onClose}>Close</button></div>
      <div ref={host} className="term-host replay-term" />
    </section>
  );
}
