// Connect: jump host (from settings per fabric), device user name (template, editable), path, method.
import { useEffect, useState } from 'react';
import type { ConnectDefaults } from '../../../../electron/shared/contract';
import type { NetworkDevice } from '../../../../electron/shared/inventory';
import type { AccessMethod, PathChoice, SessionInfo } from '../../../../electron/shared/sessions';
import { call, errorText } from '../../api';
import { Modal } from '../../ui/Modal';

export function ConnectDialog(props: { fabricId: string; device: NetworkDevice; onOpened: (s: SessionInfo) => void; onClose: () => void }) {
  const { device } = props;
  const [defaults, setDefaults] = useState<ConnectDefaults>();
  const [user, setUser] = useState('');
  const [path, setPath] = useState<PathChoice>('primary');
  const [method, setMethod] = useState<AccessMethod>('v2.0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    call('core:connect.defaults', { fabricId: props.fabricId, deviceId: device.id }).then((d) => {
      setDefaults(d);
      setUser(d.user);
    }, (err: unknown) => setError(errorText(err)));
  }, [props.fabricId, device.id]);

  const connect = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onOpened(await call('core:sessions.open', { fabricId: props.fabricId, deviceId: device.id, user, path, method, cols: 120, rows: 32 }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={`Connect to ${device.hostName}`} onEscape={busy ? undefined : props.onClose} testId="connect-dialog">
      <form onSubmit={(e) => { e.preventDefault(); void connect(); }}>
        <dl className="kv">
          <dt>Jump host</dt>
          <dd data-testid="connect-jump">{defaults?.jumpHost ? `${defaults.jumpHost.user}@${defaults.jumpHost.host}:${defaults.jumpHost.port}` : 'not set — add one in Settings'}</dd>
          <dt>Device</dt><dd className="mono">{device.managementIpv4 ?? device.managementIpv6 ?? '—'}</dd>
        </dl>
        <label>Device user name <input value={user} onChange={(e) => setUser(e.target.value)} aria-label="Device user name" required data-autofocus /></label>
        <fieldset>
          <legend>Path</legend>
          <label><input type="radio" name="path" checked={path === 'primary'} onChange={() => setPath('primary')} /> Primary (management network)</label>
          <label><input type="radio" name="path" checked={path === 'backup'} disabled={!defaults?.backupAvailable}
            onChange={() => setPath('backup')} /> Backup (in-band loopback){defaults && !defaults.backupAvailable ? ' — no address known' : ''}</label>
        </fieldset>
        <fieldset>
          <legend>Method</legend>
          <label><input type="radio" name="method" checked={method === 'v2.0'} onChange={() => setMethod('v2.0')} /> Method D v2.0 (security key)</label>
          <label><input type="radio" name="method" checked={method === 'v1.5'} onChange={() => setMethod('v1.5')} /> Method D v1.5 fallback (password)</label>
        </fieldset>
        {error ? <p className="error" role="alert" data-testid="connect-error">{error}</p> : null}
        <div className="actions">
          <button type="button" onClick={props.onClose} disabled={busy}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || !user || !defaults?.jumpHost}>{busy ? 'Connecting…' : 'Connect'}</button>
        </div>
      </form>
    </Modal>
  );
}
