// Ctrl+K: one search box over every device of every fabric. Favourites and recents come first;
// Enter connects with the usual plan (the fabric's jump host, the templated user, primary path
// with the backup as fallback), so a known device is a few keystrokes and the PIN away.
import { useMemo, useState } from 'react';
import type { ConnectRequest } from '../../../../electron/shared/sessions';
import { call, errorText } from '../../api';
import { ageText } from '../../ui/format';
import { Modal } from '../../ui/Modal';
import { useAsync } from '../../ui/useAsync';
import type { OpenedSession } from '../sessions/tabs';
import { loadAllDevices, offlineSince } from './allDevices';
import { loadMachines } from './machines';
import { paletteEntries, rankEntries, type PaletteEntry } from './match';

const SHOWN = 12;

export function QuickConnect(props: { historyAvailable: boolean; onOpened: (s: OpenedSession) => void; onClose: () => void }) {
  const all = useAsync(() => loadAllDevices(props.historyAvailable), [props.historyAvailable]);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const machines = useAsync(() => loadMachines(), []);
  // Devices first (the cache answers at once); machines join when Network Cloud has answered, ranked with them.
  const entries = useMemo(() => (all.value ? paletteEntries([...all.value.devices, ...machines.value?.rows ?? []], all.value.history) : []),
    [all.value, machines.value]);
  const shown = useMemo(() => rankEntries(entries, query, SHOWN), [entries, query]);
  const current = shown[Math.min(active, shown.length - 1)];
  const offline = all.value ? offlineSince(all.value.fabrics) : undefined;

  const connect = async (entry: PaletteEntry | undefined) => {
    if (!entry || busy) return;
    const { device, target } = entry;
    setBusy(device.hostName);
    setError(undefined);
    try {
      const defaults = await call('core:connect.defaults', { fabricId: device.fabricId, deviceId: device.id, ...(target ? { target } : {}) });
      // The same preselection as the connect dialog: v1.5 for v1.5-only devices, the backup path after a recent failure.
      const request: ConnectRequest = {
        fabricId: device.fabricId, deviceId: device.id, user: defaults.user, path: defaults.path ?? 'primary',
        method: defaults.method ?? (device.v15Only ? 'v1.5' : 'v2.0'), cols: 120, rows: 32, ...(target ? { target } : {}),
      };
      const info = await call('core:sessions.open', request);
      const role = all.value?.fabrics.find((f) => f.id === device.fabricId)?.role ?? 'Reader';
      props.onOpened({ info, request, role, backupAvailable: defaults.backupAvailable });
    } catch (err) {
      setError(errorText(err));
      setBusy(undefined);
    }
  };

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); setActive((i) => Math.min(i + 1, shown.length - 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((i) => Math.max(i - 1, 0)); }
    else if (e.key === 'Enter') { e.preventDefault(); void connect(current); }
  };

  return (
    <Modal title="Quick connect" onEscape={busy ? undefined : props.onClose} testId="quick-connect">
      <input type="search" role="combobox" aria-label="Device or machine name, host name, role or address" aria-expanded="true"
        aria-controls="qc-list" aria-activedescendant={current ? `qc-${shown.indexOf(current)}` : undefined}
        placeholder="Device or machine name, host name, role or address" value={query} data-autofocus autoComplete="off"
        onChange={(e) => { setQuery(e.target.value); setActive(0); }} onKeyDown={onKey} disabled={!!busy} className="qc-input" />
      {offline !== undefined ? (
        <p className="warn small" data-testid="qc-offline">Azure is not answering: devices from the offline inventory, synced {ageText(offline)}.</p>
      ) : null}
      {all.error ? <p className="error" role="alert">{all.error}</p> : null}
      {all.value?.problems.map((p) => <p key={p} className="error small">{p}</p>)}
      {machines.value?.problem ? <p className="muted small" data-testid="qc-machines-unavailable">{machines.value.problem}</p> : null}
      {machines.value?.offlineSince !== undefined ? (
        <p className="warn small" data-testid="qc-machines-offline">Bare metal machines from the offline cache, synced {ageText(machines.value.offlineSince)}.</p>
      ) : null}
      <ul id="qc-list" role="listbox" aria-label="Devices" className="qc-list">
        {shown.map((entry, i) => (
          <li key={entry.device.id} id={`qc-${i}`} role="option" aria-selected={entry === current}
            className={`qc-item ${entry === current ? 'active' : ''}`} onMouseMove={() => setActive(i)} onClick={() => void connect(entry)}>
            <span className="qc-name">{entry.favourite ? <span aria-label="favourite" className="star">★ </span> : null}{entry.device.name}</span>
            <span className="mono">{entry.device.hostName}</span>
            <span className="muted small">{entry.device.role} · {entry.fabricName} · {entry.device.managementIpv4 ?? entry.device.managementIpv6 ?? 'no address'}</span>
            {entry.lastAttempt !== undefined ? <span className="muted small">tried {ageText(entry.lastAttempt)}</span> : null}
          </li>
        ))}
      </ul>
      {all.value && shown.length === 0 ? <p className="empty">No device matches.</p> : null}
      <p className="muted small" aria-live="polite" data-testid="qc-status">
        {busy ? `Connecting to ${busy}…` : error ? '' : '↑ ↓ to choose, Enter to connect, Esc to close.'}
      </p>
      {error ? <p className="error" role="alert" data-testid="qc-error">{error}</p> : null}
    </Modal>
  );
}

/** Ctrl+K (⌘K on macOS) from anywhere, the terminal included: captured before xterm sees it. */
export function isQuickConnectKey(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k';
}
