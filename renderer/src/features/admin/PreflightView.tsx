// The administrator's Method D v2.0 preflight: run the checks (optionally for named subscriptions),
// then each check with its verdict in words, what was found and the fix, and who holds the Nexus
// roles on each fabric. Focus goes to the result's heading when the checks finish.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { FabricHoldersView, PreflightCheck, PreflightReport, PreflightStatus } from '../../../../electron/shared/admin';
import { call, errorText } from '../../api';

const ICON: Record<PreflightStatus, string> = { pass: '✔', warn: '!', fail: '✖', unknown: '?' };
const WORD: Record<PreflightStatus, string> = { pass: 'Passed', warn: 'Warning', fail: 'Failed', unknown: 'Could not tell' };
/** The readiness list's colours: ok / warn / fail / unknown. */
const CLASS: Record<PreflightStatus, string> = { pass: 'ok', warn: 'warn', fail: 'fail', unknown: 'unknown' };
const SUBSCRIPTION = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function summaryOf(r: PreflightReport): string {
  const count = (s: PreflightStatus) => r.checks.filter((c) => c.status === s).length;
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`, `${count('warn')} with a warning`, `${count('unknown')} could not be checked`];
  return `${r.ok ? 'Ready' : 'Not ready'}: ${parts.join(', ')}`;
}

function CheckItem({ c }: { c: PreflightCheck }) {
  return (
    <li className={`check check-${CLASS[c.status]}`} data-status={c.status} data-testid="preflight-check">
      <span className="check-icon" aria-hidden="true">{ICON[c.status]}</span>
      <span>
        <strong>{c.title}</strong> <span className={`badge status-${CLASS[c.status]}`}>{WORD[c.status]}</span>
        <br /><span className="small muted">{c.subject}</span>
        <br /><span>{c.detail}</span>
        {c.fix ? <><br /><span className="small">To fix: </span>{c.fix.startsWith('az ') ? <code className="fix">{c.fix}</code> : <span>{c.fix}</span>}</> : null}
      </span>
    </li>
  );
}

function Holders({ f }: { f: FabricHoldersView }) {
  return (
    <section aria-labelledby={`holders-${f.fabricName}`} className="holders" data-testid="holders">
      <h3 id={`holders-${f.fabricName}`}>{f.fabricName}: {f.users} of at most {f.limit} users</h3>
      {f.holders.length ? (
        <table className="table">
          <thead><tr><th scope="col">Name</th><th scope="col">Account</th><th scope="col">Role</th><th scope="col">How</th></tr></thead>
          <tbody>
            {f.holders.map((h) => (
              <tr key={`${h.name}-${h.userPrincipalName ?? ''}`}>
                <td>{h.name}</td><td>{h.userPrincipalName ?? '—'}</td>
                <td><span className={`badge role-${h.role.toLowerCase()}`}>{h.role}</span></td><td>{h.how.join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p>Nobody holds a Nexus Network Fabric role on this fabric.</p>}
      {f.nestedGroups.length ? (
        <ul className="small">
          {f.nestedGroups.map((n) => <li key={`${n.parent}/${n.name}`}>Group {n.name} sits inside {n.parent}: nested groups are not supported, so its members get no break-glass account.</li>)}
        </ul>
      ) : null}
      {f.others.length ? <p className="small">Not users, so no account: {f.others.map((o) => `${o.name} (${o.kind})`).join(', ')}.</p> : null}
    </section>
  );
}

export function PreflightView() {
  const [subs, setSubs] = useState('');
  const [report, setReport] = useState<PreflightReport>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLHeadingElement>(null);
  // A finished run: the keyboard goes to its result (the Run button was disabled while it ran).
  useEffect(() => { if (report) resultRef.current?.focus(); }, [report]);

  const run = async (e: FormEvent) => {
    e.preventDefault();
    const subscriptions = subs.split(/[\s,;]+/).filter(Boolean);
    const bad = subscriptions.filter((s) => !SUBSCRIPTION.test(s));
    if (bad.length) {
      setError(`${bad.join(', ')} ${bad.length === 1 ? 'is not a subscription id' : 'are not subscription ids'} (expected the form 00000000-0000-0000-0000-000000000000).`);
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setReport(await call('core:admin.preflight', { subscriptions }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel preflight">
      <h1>Break-glass preflight</h1>
      <p className="muted">Checks that Azure is set up for Method D v2.0 break-glass on your fabrics: the NexusIdentity resource provider,
        the NexusIdentityRP Reader role, each fabric&apos;s runtime version, and who holds the Nexus Network Fabric roles. Nothing is changed.</p>
      <form onSubmit={(e) => void run(e)} className="preflight-form">
        <label htmlFor="preflight-subs">Subscriptions to check</label>
        <input id="preflight-subs" type="text" value={subs} onChange={(e) => setSubs(e.target.value)} spellCheck={false}
          placeholder="All subscriptions with fabrics" aria-describedby="preflight-subs-hint" />
        <span id="preflight-subs-hint" className="small muted">Optional: subscription ids, separated by spaces or commas.</span>
        <div className="actions start">
          <button type="submit" className="primary" data-autofocus disabled={busy}>{busy ? 'Checking…' : 'Run the checks'}</button>
        </div>
      </form>
      {busy ? <p role="status">Checking Azure and Entra…</p> : null}
      {error ? <p role="alert" className="error">{error}</p> : null}
      {report ? (
        <>
          <h2 ref={resultRef} tabIndex={-1} data-testid="preflight-summary">{summaryOf(report)}</h2>
          <p className="small muted">Checked at <time dateTime={report.checkedAt}>{new Date(report.checkedAt).toLocaleString()}</time>.</p>
          <ul className="checks">{report.checks.map((c) => <CheckItem key={`${c.kind}/${c.subject}`} c={c} />)}</ul>
          {report.fabrics.length ? <h2>Who can break-glass into each fabric</h2> : null}
          {report.fabrics.map((f) => <Holders key={f.fabricId} f={f} />)}
        </>
      ) : null}
    </div>
  );
}
