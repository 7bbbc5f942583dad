// Network Cloud clusters: bare metal machines, their BMM keysets (users, jump hosts, expiry) and
// BMC keysets (users, expiry; ReadOnly or Administrator on the baseboard management controllers).
import type { BmmKeyset } from '../../../../electron/shared/inventory';
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
          <summary>{c.name} <span className="muted small">{c.machines.length} machines · {c.keysets.length} BMM keysets · {c.bmcKeysets?.length ?? 0} BMC keysets</span></summary>
          <ul className="small">
            {c.machines.map((m) => <li key={m.id}>{m.name} <span className="mono">{m.oamIpv4 ?? ''}</span> {m.readyState ?? ''}</li>)}
          </ul>
          <KeysetList label="BMM keysets" keysets={c.keysets} testId="bmm-keysets" />
          <KeysetList label="BMC keysets" keysets={c.bmcKeysets ?? []} testId="bmc-keysets" />
        </details>
      ))}
    </div>
  );
}

function KeysetList(props: { label: string; keysets: BmmKeyset[]; testId: string }) {
  if (props.keysets.length === 0) return null;
  return (
    <ul className="small" aria-label={props.label} data-testid={props.testId}>
      {props.keysets.map((k) => (
        <li key={k.id}>{k.name}: {k.privilegeLevel}, {k.users.length} users, expires {k.expiration}
          {k.jumpHostsAllowed.length ? `, jump ${k.jumpHostsAllowed.join(', ')}` : ''}{k.status ? ` (${k.status})` : ''}</li>
      ))}
    </ul>
  );
}
