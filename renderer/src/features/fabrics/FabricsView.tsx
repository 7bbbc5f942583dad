// Fabrics the operator may reach (role badge, via group, device count, sync age), their devices
// (search and role filter), and clusters with bare metal machines and keysets.
import { useMemo, useState } from 'react';
import type { FabricSummary, NetworkDevice } from '../../../../electron/shared/inventory';
import { call, errorText } from '../../api';
import { ageText } from '../../ui/format';
import { useAsync } from '../../ui/useAsync';
import { ConnectDialog } from '../sessions/ConnectDialog';
import type { OpenedSession } from '../sessions/tabs';
import { AttemptText, useConnectHistory } from '../quick-connect/history';
import { ClustersList } from './ClustersList';

export function FabricsView({ onOpened, clustersAvailable, historyAvailable }: {
  onOpened: (s: OpenedSession) => void; clustersAvailable: boolean; historyAvailable: boolean;
}) {
  const [refresh, setRefresh] = useState(0);
  const fabrics = useAsync(() => call('core:fabrics.list', { refresh: refresh > 0 }), [refresh]);
  const [selected, setSelected] = useState<string>();
  const fabric = fabrics.value?.find((f) => f.id === selected) ?? fabrics.value?.[0];
  return (
    <div className="fabrics">
      <aside className="fabric-list" aria-label="Fabrics">
        <div className="row-between">
          <h2>Fabrics</h2>
          <button type="button" onClick={() => setRefresh((n) => n + 1)} disabled={fabrics.loading}>Refresh</button>
        </div>
        {fabrics.error ? <p className="error" role="alert">{fabrics.error}</p> : null}
        {fabrics.value?.some((f) => f.offline) ? <AzureOffline fabrics={fabrics.value} onSignedIn={() => setRefresh((n) => n + 1)} /> : null}
        {fabrics.value?.length === 0 ? <p className="empty">No fabrics. You need the Nexus Network Fabric Service Reader or Writer role.</p> : null}
        <ul>
          {fabrics.value?.map((f) => (
            <li key={f.id}>
              <button type="button" className={`fabric ${f.id === fabric?.id ? 'selected' : ''}`} aria-pressed={f.id === fabric?.id}
                onClick={() => setSelected(f.id)} data-testid="fabric-item">
                <span className="fabric-name">{f.name}{f.drill ? <span className="badge drill">drill</span> : null}</span>
                {f.sshConfig ? <span className="badge">ssh_config</span> : <span className={`badge role-${f.role.toLowerCase()}`}>{f.role}</span>}
                {f.viaGroup ? <span className="muted small">via {f.viaGroup}</span> : null}
                <span className="muted small">{f.sshConfig
                  ? `${f.deviceCount} hosts · from ${f.location ?? 'ssh_config'}`
                  : `${f.deviceCount} devices · ${f.offline ? 'offline, ' : ''}synced ${ageText(f.lastSynced)}`}</span>
              </button>
            </li>
          ))}
        </ul>
        {clustersAvailable ? <ClustersList /> : null}
      </aside>
      <section className="devices" aria-label="Devices">
        {fabric ? <DevicesTable fabric={fabric} onOpened={onOpened} historyAvailable={historyAvailable} /> : null}
      </section>
    </div>
  );
}

/** Azure down is the normal case: the cache is used, connecting works; signing in is offered, not required. */
function AzureOffline({ fabrics, onSignedIn }: { fabrics: FabricSummary[]; onSignedIn: () => void }) {
  const [status, setStatus] = useState<string>();
  const oldest = Math.min(...fabrics.filter((f) => f.offline).map((f) => f.lastSynced));
  const signIn = () => call('core:auth.signIn').then(() => { setStatus(undefined); onSignedIn(); }, (e: unknown) => setStatus(errorText(e)));
  return (
    <div className="note" role="status" data-testid="azure-offline">
      <p>Azure is not reachable. Fabrics and devices are from the copy saved {ageText(oldest)}; you can connect with them and the jump hosts from Settings.</p>
      <button type="button" onClick={() => void signIn()}>Sign in again</button>
      {status ? <p className="small">{status}</p> : null}
    </div>
  );
}

function DevicesTable({ fabric, onOpened, historyAvailable }: { fabric: FabricSummary; onOpened: (s: OpenedSession) => void; historyAvailable: boolean }) {
  const devices = useAsync(() => call('core:fabrics.devices', { fabricId: fabric.id }), [fabric.id]);
  const history = useConnectHistory(historyAvailable);
  const [query, setQuery] = useState('');
  const [role, setRole] = useState('');
  const [connecting, setConnecting] = useState<NetworkDevice>();
  const roles = useMemo(() => [...new Set(devices.value?.map((d) => d.role) ?? [])].sort(), [devices.value]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (devices.value ?? []).filter((d) => (!role || d.role === role) &&
      (!q || [d.name, d.hostName, d.managementIpv4, d.managementIpv6, d.role].some((v) => v?.toLowerCase().includes(q))));
  }, [devices.value, query, role]);
  return (
    <>
      <div className="row-between">
        <h2>{fabric.name} {fabric.sshConfig ? <span className="badge">ssh_config</span> : <span className={`badge role-${fabric.role.toLowerCase()}`}>{fabric.role}</span>}</h2>
        <div className="filters">
          <input type="search" placeholder="Search devices" aria-label="Search devices" value={query} onChange={(e) => setQuery(e.target.value)} />
          <select aria-label="Filter by role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">All roles</option>
            {roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </div>
      </div>
      {devices.error ? <p className="error" role="alert">{devices.error}</p> : null}
      <table className="table" data-testid="devices-table">
        <thead><tr><th>Name</th><th>Role</th><th>Host</th><th>Management address</th><th>Last connect</th><th className="col-state">State</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {shown.map((d) => {
            const mark = history.mark(d);
            return (
              <tr key={d.id} className={mark.recent ? 'recent' : undefined}>
                <td className="nowrap" title={[d.provisioningState, d.administrativeState, d.configurationState].filter(Boolean).join(' · ')}>{d.name}</td>
                <td>{d.role}</td>
                <td className="nowrap host-name">{d.hostName}</td>
                <td className="mono nowrap">{d.managementIpv4 ?? d.managementIpv6 ?? '—'}</td>
                <td className="small nowrap" data-testid="last-attempt">{mark.attempt ? <AttemptText attempt={mark.attempt} /> : <span className="muted">—</span>}</td>
                <td className="small col-state">{[d.administrativeState, d.configurationState].filter(Boolean).join(' · ')}</td>
                <td className="nowrap">
                  {historyAvailable ? (
                    <button type="button" className="icon" aria-pressed={mark.favourite} aria-label={`Favourite ${d.hostName}`}
                      title={mark.favourite ? 'Favourite: first in quick connect' : 'Mark as favourite'} onClick={() => void history.toggle(d)}>
                      {mark.favourite ? '★' : '☆'}
                    </button>
                  ) : null}
                  <button type="button" onClick={() => setConnecting(d)} aria-label={`Connect to ${d.hostName}`}>Connect</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {devices.value && shown.length === 0 ? <p className="empty">No device matches.</p> : null}
      {connecting ? (
        <ConnectDialog fabricId={fabric.id} role={fabric.role} device={connecting} onClose={() => setConnecting(undefined)}
          onOpened={(s) => { setConnecting(undefined); history.reload(); onOpened(s); }} />
      ) : null}
    </>
  );
}
