// Key status and readiness: the preflight checks, re-upload, import of resident keys.
import { useEffect, useRef, useState } from 'react';
import type { KeyDevice, Readiness } from '../../../../electron/shared/keys';
import { syncPassed, syncSentence } from '../../../../electron/shared/key-sync';
import { pinChangeRoute, WINDOWS_PIN_CHANGE_TEXT } from '../../../../electron/shared/pin-change';
import { call, errorText, useEvent } from '../../api';
import { NewPinForm } from '../../ui/NewPinForm';
import { ProgressLine } from '../../ui/ProgressLine';
import { useAsync } from '../../ui/useAsync';

const ICON = { ok: '✔', warn: '!', fail: '✖', unknown: '?' } as const;

const MINUTE_MS = 60_000;

/** Re-renders every minute while shown: "uploaded … ago" stays true on a panel left open. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), MINUTE_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function ReadinessList({ readiness }: { readiness: Readiness }) {
  const now = useMinuteClock();
  // The sync line is told from core's fact (when the key was uploaded) against this clock, not as checked.
  const live = (c: Readiness['checks'][number]) => (c.id === 'sync' && readiness.sync
    ? { ...c, status: syncPassed(readiness.sync, now) ? 'ok' as const : 'warn' as const, detail: syncSentence(readiness.sync, now) } : c);
  return (
    <ul className="checks" data-testid="readiness">
      {readiness.checks.map(live).map((c) => (
        <li key={c.id} className={`check check-${c.status}`} data-status={c.status} data-check={c.id}>
          <span className="check-icon" aria-hidden="true">{ICON[c.status]}</span>
          <span><strong>{c.label}</strong><br /><span className="small">{c.detail}</span></span>
          <span className="sr-only">{c.status}</span>
        </li>
      ))}
    </ul>
  );
}

type Run = (label: string, work: () => Promise<unknown>) => Promise<boolean>;

/** A key behind Windows Security: Windows changes its PIN in its own settings (WebAuthn has no call for it). */
function PinInWindowsSettings({ busy, run, onClose }: { busy: boolean; run: Run; onClose: () => void }) {
  const open = useRef<HTMLButtonElement>(null);
  useEffect(() => open.current?.focus(), []);
  return (
    <section aria-labelledby="change-pin" className="change-pin" data-testid="pin-windows-settings">
      <h3 id="change-pin">Change PIN</h3>
      <p>{WINDOWS_PIN_CHANGE_TEXT}</p>
      <div className="actions">
        <button type="button" ref={open} disabled={busy} onClick={() => void run('Open Windows settings', () => call('core:keys.openPinSettings'))}>
          Open Windows security key settings
        </button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </section>
  );
}

/** Change the PIN of a key that has one: the old PIN, then the new one twice (or, on Windows without admin, Windows' settings). */
function ChangePin({ device, busy, run }: { device: KeyDevice; busy: boolean; run: Run }) {
  const deviceId = device.id;
  const [open, setOpen] = useState(false);
  const [oldPin, setOldPin] = useState('');
  if (!open) return <button type="button" disabled={busy} onClick={() => setOpen(true)}>Change PIN</button>;
  if (pinChangeRoute(device.transport) === 'windows-settings') return <PinInWindowsSettings busy={busy} run={run} onClose={() => setOpen(false)} />;
  return (
    <section aria-labelledby="change-pin" className="change-pin">
      <h3 id="change-pin">Change PIN</h3>
      <NewPinForm submitLabel="Change PIN" busy={busy} onSubmit={(newPin) => void run('Change PIN', () => call('core:keys.changePin', { deviceId, oldPin, newPin }))
        .then((ok) => { if (ok) { setOldPin(''); setOpen(false); } })}
        actions={<button type="button" onClick={() => { setOldPin(''); setOpen(false); }}>Cancel</button>}>
        <label>Current PIN <input type="password" autoComplete="current-password" minLength={4} maxLength={63} value={oldPin}
          onChange={(e) => setOldPin(e.target.value)} aria-label="Current PIN" /></label>
      </NewPinForm>
    </section>
  );
}

/** Who Azure calls are made as, with sign-in and sign-out (a drill has its own operator). */
function Account({ busy, run }: { busy: boolean; run: Run }) {
  const app = useAsync(() => call('core:app.state'), []);
  if (!app.value || app.value.unavailable.includes('core:auth.signIn')) return null;
  const who = app.value.identity;
  return (
    <>
      <h3>Entra account</h3>
      <p data-testid="account">{who ? `Signed in as ${who.userPrincipalName}.` : 'Not signed in.'}{app.value.drill ? ' (drill operator)' : ''}</p>
      <div className="actions">
        {who ? <button type="button" disabled={busy} onClick={() => void run('Sign out', () => call('core:auth.signOut')).then(app.reload)}>Sign out</button> : null}
        <button type="button" disabled={busy} onClick={() => void run('Sign in', () => call('core:auth.signIn')).then(app.reload)}>{who ? 'Switch account' : 'Sign in'}</button>
      </div>
    </>
  );
}

export function KeyPanel() {
  const state = useAsync(() => call('core:keys.state'), []);
  const readiness = useAsync(() => call('core:keys.readiness'), []);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  useEvent('ui:keys', () => state.reload());
  const run = async (label: string, work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setMessage(undefined);
    try {
      await work();
      setMessage(`${label}: done`);
      readiness.reload();
      state.reload();
      return true;
    } catch (err) {
      setMessage(`${label}: ${errorText(err)}`);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const key = state.value?.key;
  const first = state.value?.devices[0];
  const problems = state.value?.fileProblems ?? [];
  return (
    <div className="panel">
      <h2>Security key</h2>
      {state.error ? <p className="error">{state.error}</p> : null}
      <ul className="small">
        {state.value?.devices.map((d) => (
          <li key={d.id}>{d.label}{d.firmware ? `, firmware ${d.firmware}` : ''}{d.pinRetries !== undefined ? `, ${d.pinRetries} PIN tries left` : ''}{d.pinBlocked ? ' — PIN blocked' : ''}</li>
        ))}
        {state.value && state.value.devices.length === 0 ? <li>No security key connected.</li> : null}
      </ul>
      {key ? (
        <dl className="kv">
          <dt>Key file</dt><dd className="mono">{key.path}</dd>
          <dt>Fingerprint</dt><dd className="mono">{key.fingerprint}</dd>
          <dt>Options</dt><dd>{[key.resident ? 'resident' : 'not resident', key.verifyRequired ? 'PIN required' : 'no PIN required'].join(', ')}</dd>
        </dl>
      ) : <p>{problems.length ? 'No usable key on this computer.' : 'No key on this computer yet.'}</p>}
      {first && (first.pinSet || pinChangeRoute(first.transport) === 'windows-settings') ? <ChangePin device={first} busy={busy} run={run} /> : null}
      {problems.length ? (
        <ul className="error" data-testid="key-file-problems">
          {problems.map((p) => <li key={p.file}>Key file not usable: {p.message}</li>)}
        </ul>
      ) : null}
      <h3>Readiness</h3>
      {readiness.error ? <p className="error">{readiness.error}</p> : null}
      {readiness.value ? <ReadinessList readiness={readiness.value} /> : null}
      {message ? <p role="status">{message}</p> : null}
      <ProgressLine />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => readiness.reload()}>Check again</button>
        <button type="button" disabled={busy} onClick={() => run('Import resident key', () => call('core:keys.importResident', {}))}>Import resident key</button>
        <button type="button" disabled={busy || !key} onClick={() => run('Upload', () => call('core:keys.upload'))}>Upload again</button>
      </div>
      <Account busy={busy} run={run} />
    </div>
  );
}
