// Network Cloud clusters: bare metal machines and their keysets (users, jump hosts, expiry).
import { call } from '../../api';
import { useAsync } from '../../ui/useAsync';

export function ClustersList() {
  const clusters = useAsync(() => call('core:clusters.list'), []);
  // Clusters are not needed to connect to a fabric device: when Azure is down this is a note, not an alarm.
  if (clusters.error) return <p className="muted small" data-testid="clusters-unavailable">Clusters are not available now: {clusters.error}</p>;
  if (!clusters.value?.length) return null;
  return (
    <div className="clusters">
      <h2>Clusters</h2>
      {clusters.value.map((c) => (
        <details key={c.id}>
          <summary>{c.name} <span className="muted small">{c.machines.length} machines · {c.keysets.length} keysets</span></summary>
          <ul className="small">
            {c.machines.map((m) => <li key={m.id}>{m.name} <span className="mono">{m.oamIpv4 ?? ''}</span> {m.readyState ?? ''}</li>)}
          </ul>
          <ul className="small">
            {c.keysets.map((k) => (
              <li key={k.id}>{k.name}: {k.privilegeLevel}, {k.users.length} users, expires {k.expiration}, jump {k.jumpHostsAllowed.join(', ')}{k.status ? ` (${k.status})` : ''}</li>
            ))}
          </ul>
        </details>
      ))}
    </div>
  );
}
