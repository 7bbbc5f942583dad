// A fleet run's results: a status row per device, every device's output side by side for one
// command, a diff of that command's output against one device, and the exports.
import { useState } from 'react';
import type { FleetRunResult } from '../../../../electron/shared/fleet';
import { call, errorText } from '../../api';
import { lineDiff } from './lineDiff';

const STATUS_CLASS = { ok: 'ok', failed: 'error', skipped: 'warn', stopped: 'warn' } as const;

async function download(runId: string, format: 'json' | 'html'): Promise<void> {
  const report = await call('core:fleet.report', { runId, format });
  const url = URL.createObjectURL(new Blob([report.text], { type: report.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = report.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function FleetResults({ result }: { result: FleetRunResult }) {
  const [command, setCommand] = useState(result.commands[0] ?? '');
  const [baseline, setBaseline] = useState<string>('');
  const [error, setError] = useState<string>();
  const withOutput = result.devices.filter((d) => d.commands.some((c) => c.command === command));
  const base = withOutput.find((d) => d.name === baseline);
  const baseText = base?.commands.find((c) => c.command === command)?.output ?? '';
  const exp = (format: 'json' | 'html') => download(result.runId, format).catch((e: unknown) => setError(errorText(e)));
  return (
    <section className="panel fleet-results" aria-labelledby="fleet-results" data-testid="fleet-results">
      <div className="row-between">
        <h2 id="fleet-results">Results <span className="muted small">{result.devices.length} devices in {(result.durationMs / 1000).toFixed(1)} s</span></h2>
        <div className="filters">
          <button type="button" onClick={() => void exp('json')}>Export JSON</button>
          <button type="button" onClick={() => void exp('html')}>Export HTML report</button>
        </div>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <table className="table" data-testid="fleet-summary">
        <thead><tr><th>Device</th><th>Status</th><th>Path</th><th>Duration</th><th>Via</th></tr></thead>
        <tbody>
          {result.devices.map((d) => (
            <tr key={`${d.fabric}/${d.name}`}>
              <td className="nowrap">{d.name}</td>
              <td className={STATUS_CLASS[d.status]}>{d.status}{d.error ? ` — ${d.error.message}` : ''}</td>
              <td>{d.path === 'backup' ? 'backup path' : d.path ? 'primary' : '—'}</td>
              <td>{(d.durationMs / 1000).toFixed(1)} s</td>
              <td className="small">{d.via}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="filters wrap">
        <label>Command
          <select value={command} onChange={(e) => setCommand(e.target.value)}>
            {result.commands.map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
        <label>Compare with
          <select value={baseline} onChange={(e) => setBaseline(e.target.value)} aria-describedby="fleet-diff-help">
            <option value="">No comparison (side by side)</option>
            {withOutput.map((d) => <option key={d.name} value={d.name}>{d.name}</option>)}
          </select>
        </label>
        <span id="fleet-diff-help" className="muted small">Lines only on the compared device are marked −, lines only on this device +.</span>
      </div>
      <div className="fleet-grid" data-testid="fleet-outputs">
        {result.devices.map((d) => {
          const c = d.commands.find((x) => x.command === command);
          return (
            <article key={`${d.fabric}/${d.name}`} className="fleet-card" aria-label={`${d.name}: ${command}`}>
              <h3>{d.name} <span className={`small ${STATUS_CLASS[d.status]}`}>{c ? `exit ${c.exitCode ?? '?'} · ${(c.durationMs / 1000).toFixed(1)} s` : d.status}</span></h3>
              {!c ? <p className="muted">No output.</p> : base && base !== d ? (
                <pre className="fleet-out" data-testid="fleet-diff" tabIndex={0}>{lineDiff(baseText, c.output).map((l, i) => (
                  <span key={i} className={`diff-${l.kind}`}>{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '− ' : '  '}{l.text}{'\n'}</span>
                ))}</pre>
              ) : <pre className="fleet-out" tabIndex={0}>{c.output}{c.stderr ? `\n${c.stderr}` : ''}</pre>}
            </article>
          );
        })}
      </div>
    </section>
  );
}
