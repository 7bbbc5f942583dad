// The top of the audit view: is the chain intact and keyed, and where the evidence has gone (each
// forwarding sink); when something is wrong, what to do, in words.
import { useState } from 'react';
import type { AuditRemoteCheck, AuditSinkStatus, AuditStatus } from '../../../../electron/shared/audit';
import { call, errorText } from '../../api';
import { ageText } from '../../ui/format';

const SINK_NAME: Record<AuditSinkStatus['sink'], string> = {
  syslog: 'Syslog over TLS', 'azure-monitor': 'Azure Monitor Logs', webhook: 'Webhook',
};

const SINK_STATE: Record<AuditSinkStatus['state'], string> = {
  'not-configured': '', current: 'up to date', waiting: 'entries waiting', failing: 'delivery failing',
  diverged: 'log changed after sending',
};

const when = (iso: string | undefined) => (iso ? `${new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} (${ageText(Date.parse(iso))})` : 'never');

function ChainLine({ chain }: { chain: AuditStatus['chain'] }) {
  const keying = chain.keyStore ? `keyed: each entry's MAC checked with the key in ${chain.keyStore}` : 'not keyed: only hash-chained';
  const older = chain.keyStore && chain.unkeyed > 0 ? `; ${chain.unkeyed} older entries from before keying are only hash-chained` : '';
  if (chain.state === 'broken') {
    const where = chain.brokenAt?.seq !== undefined ? `entry ${chain.brokenAt.seq}` : chain.brokenAt?.line !== undefined ? `line ${chain.brokenAt.line}` : 'the log';
    return (
      <p className="status-line status-bad" data-testid="audit-verify">
        <span aria-hidden="true">✖ </span><strong>Chain broken at {where}.</strong> {chain.problem}
        {chain.problems > 1 ? ` (and ${chain.problems - 1} more problems)` : ''}
      </p>
    );
  }
  if (chain.state === 'empty') return <p className="status-line" data-testid="audit-verify">No entries yet: nothing has been recorded on this machine.</p>;
  return (
    <p className={`status-line ${chain.keyStore ? 'status-good' : 'status-warn'}`} data-testid="audit-verify">
      <span aria-hidden="true">✔ </span><strong>Chain intact</strong> ({chain.entries} entries), {keying}{older}.
    </p>
  );
}

function SinkRow({ s }: { s: AuditSinkStatus }) {
  const bad = s.state === 'failing' || s.state === 'diverged';
  return (
    <tr data-testid={`sink-${s.sink}`} data-state={s.state}>
      <th scope="row">{SINK_NAME[s.sink]}</th>
      <td>{s.configured ? <span className="nowrap">{s.destination}</span> : <span className="muted">not configured</span>}</td>
      <td className={`nowrap ${bad ? 'error' : s.state === 'waiting' ? 'warn' : s.state === 'current' ? 'ok' : 'muted'}`}>{s.configured ? SINK_STATE[s.state] : ''}</td>
      <td>{s.configured ? (s.deliveredSeq ? `${when(s.deliveredAt)}, up to entry ${s.deliveredSeq}` : 'never') : ''}</td>
      <td>{s.configured ? s.pending : ''}</td>
      <td>{s.lastError ? <span className="error">{s.lastError}{s.lastTriedAt ? ` (tried ${ageText(Date.parse(s.lastTriedAt))})` : ''}</span> : ''}</td>
    </tr>
  );
}

const REMOTE_CLASS: Record<AuditRemoteCheck['state'], string> = {
  matches: 'status-good', differs: 'status-bad', unreachable: 'status-warn', 'no-checkpoint': 'status-warn', 'not-configured': '',
};

/** The log against the last checkpoint Azure Monitor received: asked on demand, since it goes to Azure. */
function RemoteCheck() {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<AuditRemoteCheck | undefined>();
  const check = async () => {
    setBusy(true);
    try {
      setResult(await call('core:audit.checkRemote'));
    } catch (err) {
      setResult({ state: 'unreachable', message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="remote-check">
      <button type="button" onClick={() => void check()} disabled={busy}>{busy ? 'Asking Azure Monitor…' : 'Compare with Azure Monitor'}</button>
      <p className={`status-line ${result ? REMOTE_CLASS[result.state] : ''}`} data-testid="audit-remote" role="status" hidden={!result}>
        {result ? <>{result.state === 'differs' ? <strong>Differs from Azure Monitor: </strong> : null}{result.message}</> : null}
      </p>
    </div>
  );
}

export function AuditStatusPanel({ status }: { status: AuditStatus }) {
  const configured = status.forwarding.filter((s) => s.configured);
  const advice = [status.chain.advice, ...status.forwarding.map((s) => s.advice)].filter((a): a is string => Boolean(a));
  return (
    <section className="audit-status" aria-labelledby="audit-status-title">
      <h3 id="audit-status-title" className="sr-only">Status</h3>
      <ChainLine chain={status.chain} />
      {configured.length === 0 ? (
        <p className="status-line status-warn" data-testid="audit-forwarding">
          Forwarding is not configured: the evidence is only on this machine. Set auditForward in settings.json (see the README, "Audit log and forwarding").
        </p>
      ) : (
        <table className="table sinks" data-testid="audit-forwarding">
          <caption className="caption">Forwarding{status.forwardingNote ? <span className="muted"> — {status.forwardingNote}</span> : null}</caption>
          <thead><tr><th scope="col">Sink</th><th scope="col">Destination</th><th scope="col">State</th><th scope="col">Last delivered</th><th scope="col">Waiting</th><th scope="col">Last error</th></tr></thead>
          <tbody>{status.forwarding.map((s) => <SinkRow key={s.sink} s={s} />)}</tbody>
        </table>
      )}
      {configured.some((s) => s.sink === 'azure-monitor') && !status.forwardingNote ? <RemoteCheck /> : null}
      {advice.length ? (
        <div className="note" role="note" data-testid="audit-advice">
          <strong>What to do</strong>
          <ul>{advice.map((a) => <li key={a}>{a}</li>)}</ul>
        </div>
      ) : null}
    </section>
  );
}
