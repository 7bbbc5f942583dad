// Connect: jump host (from settings per fabric), device user name (template, editable), path, method.
// Defaults come from what is known: a v1.5-only device opens on the password path, a device whose
// primary path failed in the last minutes on the backup path. A failed connect stays in this dialog
// with the reason and the next actions: retry, the backup path, the Method D v1.5 account. On the
// v1.5 path it warns when the fabric's passwords are split (PasswordSplitNote).
import { useEffect, useRef, useState } from 'react';
import type { ConnectDefaults } from '../../../../electron/shared/contract';
import type { AccessRole, NetworkDevice } from '../../../../electron/shared/inventory';
import { inertText } from '../../../../electron/shared/inert-text';
import type { AccessMethod, ConnectRequest, PathChoice } from '../../../../electron/shared/sessions';
import { call, errorText } from '../../api';
import { Modal } from '../../ui/Modal';
import { PasswordSplitNote } from './PasswordSplitNote';
import type { OpenedSession } from './tabs';

/** The jump host in words: its address, the jumps before it, or why there is none. */
function jumpText(defaults: ConnectDefaults | undefined): string {
  const j = defaults?.jumpHost;
  if (j) return `${j.user}@${j.host}:${j.port}${j.via.length ? ` via ${j.via.join(' → ')}` : ''}`;
  if (defaults?.sshConfig) return 'none: ssh_config connects directly';
  return defaults?.jumpProblem ? 'cannot be used (see below)' : 'not set — add one in Settings';
}

export function ConnectDialog(props: {
  fabricId: string; role: AccessRole; device: NetworkDevice; onOpened: (s: OpenedSession) => void; onClose: () => void;
}) {
  const { device, fabricId } = props;
  const [defaults, setDefaults] = useState<ConnectDefaults>();
  const [user, setUser] = useState('');
  const [path, setPath] = useState<PathChoice>('primary');
  const [method, setMethod] = useState<AccessMethod>(device.v15Only ? 'v1.5' : 'v2.0');
  const [suggestion, setSuggestion] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const userRef = useRef<HTMLInputElement>(null);
  const connectRef = useRef<HTMLButtonElement>(null);
  const retryRef = useRef<HTMLButtonElement>(null);
  useEffect(() => { if (error) retryRef.current?.focus(); }, [error]);

  useEffect(() => {
    call('core:connect.defaults', { fabricId, deviceId: device.id }).then((d) => {
      setDefaults(d);
      setUser(d.user);
      // Core remembers what the last connects found (shared with nbg): a recent primary failure preselects the backup.
      const notes: string[] = [];
      if (device.v15Only) notes.push('This device takes only Method D v1.5 logins: enter the shared account name.');
      if (d.backupAvailable && d.path === 'backup') {
        setPath('backup');
        notes.push('The management path to this device failed a few minutes ago: the backup path is chosen.');
      }
      setSuggestion(notes.join(' ') || undefined);
    }, (err: unknown) => setError(errorText(err)));
  }, [fabricId, device.id, device.v15Only]);
  // Once the defaults are on screen (Connect enabled), the primary control: the account name for a
  // v1.5-only device, else Connect.
  useEffect(() => {
    if (defaults) (device.v15Only ? userRef.current : connectRef.current)?.focus();
  }, [defaults, device.v15Only]);

  const connect = async (change: Partial<ConnectRequest> = {}) => {
    const request: ConnectRequest = { fabricId, deviceId: device.id, user, path, method, cols: 120, rows: 32, ...change };
    setPath(request.path);
    setMethod(request.method);
    setBusy(true);
    setError(undefined);
    try {
      const info = await call('core:sessions.open', request);
      props.onOpened({ info, request, role: props.role, backupAvailable: defaults?.backupAvailable ?? false });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const useV15 = () => {
    setMethod('v1.5');
    setError(undefined);
    setSuggestion('Enter the Method D v1.5 account name, then Connect: the device will ask for its password.');
    userRef.current?.select();
    userRef.current?.focus();
  };

  return (
    <Modal title={`Connect to ${device.hostName}`} onEscape={busy ? undefined : props.onClose} testId="connect-dialog">
      <form onSubmit={(e) => { e.preventDefault(); void connect(); }}>
        <dl className="kv">
          <dt>Jump host</dt>
          <dd data-testid="connect-jump">{inertText(jumpText(defaults))}</dd>
          {defaults?.sshConfig ? <><dt>Route</dt><dd data-testid="connect-route">{inertText(defaults.sshConfig.route.join(' → '))}</dd></> : null}
          <dt>Device</dt><dd className="mono">{device.managementIpv4 ?? device.managementIpv6 ?? '—'}</dd>
        </dl>
        {defaults?.jumpProblem ? <p className="error" role="alert" data-testid="connect-jump-problem">{inertText(defaults.jumpProblem)}</p> : null}
        {defaults?.notes.length ? (
          <p className="note small" data-testid="connect-config-notes">
            From ssh_config, not used by this connect: {inertText(defaults.notes.join('; '))}.
          </p>
        ) : null}
        {suggestion ? <p className="note" data-testid="connect-suggestion">{suggestion}</p> : null}
        <label>{method === 'v1.5' ? 'Method D v1.5 account' : 'Device user name'}
          <input ref={userRef} value={user} onChange={(e) => setUser(e.target.value)} aria-label="Device user name" required /></label>
        <fieldset>
          <legend>Path</legend>
          <label><input type="radio" name="path" checked={path === 'primary'} onChange={() => setPath('primary')} /> Primary (management network)</label>
          <label><input type="radio" name="path" checked={path === 'backup'} disabled={!defaults?.backupAvailable}
            onChange={() => setPath('backup')} /> Backup (in-band loopback){defaults && !defaults.backupAvailable ? ' — no address known' : ''}</label>
        </fieldset>
        <fieldset>
          <legend>Method</legend>
          <label><input type="radio" name="method" checked={method === 'v2.0'} onChange={() => setMethod('v2.0')} disabled={device.v15Only} />
            {' '}Method D v2.0 (security key){device.v15Only ? ' — not offered by this device' : ''}</label>
          <label><input type="radio" name="method" checked={method === 'v1.5'} onChange={() => setMethod('v1.5')} /> Method D v1.5 fallback (password)</label>
        </fieldset>
        {method === 'v1.5' ? <PasswordSplitNote fabricId={fabricId} deviceId={device.id} /> : null}
        {error ? (
          <div className="failure" role="alert" data-testid="connect-failure">
            <p className="error" data-testid="connect-error">{inertText(error)}</p>
            <div className="actions start">
              <button ref={retryRef} type="button" disabled={busy} onClick={() => void connect()}>Retry</button>
              {path === 'primary' && defaults?.backupAvailable
                ? <button type="button" disabled={busy} onClick={() => void connect({ path: 'backup' })}>Try the backup path</button> : null}
              {method === 'v2.0' ? <button type="button" disabled={busy} onClick={useV15}>Use the Method D v1.5 account</button> : null}
            </div>
          </div>
        ) : null}
        <div className="actions">
          <button type="button" onClick={props.onClose} disabled={busy}>Cancel</button>
          <button ref={connectRef} type="submit" className="primary" disabled={busy || !user || !(defaults?.jumpHost || defaults?.sshConfig)}>{busy ? 'Connecting…' : 'Connect'}</button>
        </div>
      </form>
    </Modal>
  );
}
