// Bare metal machines for the quick-connect palette: every machine of every Network Cloud cluster,
// shaped like a device row (name, OS host name, role "BMM", OAM address) so it is found and ranked
// the same way, and connected to with target 'bmm' (core plans it with the operator's keyset login).
import type { ClusterSummary, NetworkDevice } from '../../../../electron/shared/inventory';
import { call, errorText } from '../../api';

export const BMM_ROLE = 'BMM';

export interface MachineRow {
  device: NetworkDevice;
  /** The cluster's name, shown where a device shows its fabric's. */
  fabricName: string;
  target: 'bmm';
}

export function machineRows(clusters: ClusterSummary[]): MachineRow[] {
  return clusters.flatMap((c) => c.machines.map((m): MachineRow => ({
    device: {
      id: m.id, name: m.name, fabricId: c.id, role: BMM_ROLE, hostName: m.machineName ?? m.name,
      ...(m.oamIpv4 ? { managementIpv4: m.oamIpv4 } : {}), ...(m.sshPort ? { sshPort: m.sshPort } : {}),
    },
    fabricName: c.name,
    target: 'bmm',
  })));
}

/** The machines (from the offline cache when Azure is unreachable, with since when), or why they cannot be listed now (a note, not a failure). */
export async function loadMachines(): Promise<{ rows: MachineRow[]; problem?: string; offlineSince?: number }> {
  try {
    const clusters = await call('core:clusters.list');
    const offline = clusters.filter((c) => c.offline);
    return { rows: machineRows(clusters), ...(offline.length ? { offlineSince: Math.min(...offline.map((c) => c.lastSynced ?? 0)) } : {}) };
  } catch (err) {
    return { rows: [], problem: `Bare metal machines are not available now: ${errorText(err)}` };
  }
}
